package io.corrosion.jdbc.replication;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.CrrEngine;
import io.corrosion.jdbc.crr.CrrSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * One node of a whole-system simulation, on a real SQLite file: the application's connection with the CRR engine,
 * and the replication agent's store and publisher on connections of their own, exactly as {@link ReplicationAgent}
 * wires them, minus gossip's threads and transport (the simulation drives gossip's cores itself). The site id is
 * given, so a seed replays the same run.
 *
 * <p>Faults: {@link #crash()} closes every connection at once (what a killed process leaves is the file);
 * {@link #reopen()} starts again from the file, publishing only versions committed after it (as the agent does;
 * older ones reach peers by sync); {@link #crashDuringNextApply} kills the node in the middle of merging a changeset.
 */
public final class SimReplica implements AutoCloseable {
    private final Path file;
    private final SiteId site;
    private final AgentCounters counters = new AgentCounters();
    private final List<Changeset> published = new ArrayList<>();
    private final ChangesetStore store = new Delegate();
    private SQLiteConnection app;
    private CrrSession appCrr;
    private WriterConnection writer;
    private CrrAccess reader;
    private CrrAccess publisherConnection;
    private Bookkeeping books;
    private SqliteChangesetStore current;
    private LocalPublisher publisher;
    private Runnable crashDuringApply;
    private PendingChanges.Limits pendingLimits = PendingChanges.Limits.DEFAULT;

    /** Creates the file with this site id and the given schema (each table made a CRR), and opens it. */
    public SimReplica(Path file, byte[] siteId, List<String> createTables, List<String> tableNames)
            throws SQLException {
        this.file = file;
        this.site = SiteId.of(siteId);
        try (SQLiteConnection c = connect(file)) {
            // The engine keeps an existing local site id (ordinal 0): seed it before the first attach.
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE crsql_site_id (site_id BLOB NOT NULL, ordinal INTEGER PRIMARY KEY)");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO crsql_site_id VALUES (?, 0)")) {
                p.setBytes(1, siteId);
                p.executeUpdate();
            }
            try (CrrSession crr = CrrEngine.attach(c); Statement s = c.createStatement()) {
                for (String sql : createTables) {
                    s.execute(sql);
                }
                for (String table : tableNames) {
                    crr.schema().asCrr(table);
                }
            }
        }
        reopen();
        if (!java.util.Arrays.equals(appCrr.siteId(), siteId)) {
            throw new IllegalStateException("the engine did not keep the seeded site id");
        }
    }

    private static SQLiteConnection connect(Path file) throws SQLException {
        SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=OFF"); // a killed process loses nothing the OS has; power loss is not simulated
            s.execute("PRAGMA busy_timeout=5000");
        }
        return c;
    }

    private static CrrAccess open(Path file, boolean faulty, SimReplica owner) throws SQLException {
        SQLiteConnection c = connect(file);
        CrrSession session = CrrEngine.attach(c);
        PlainSessionApi api = faulty ? new CrashingApi(session, c, owner) : new PlainSessionApi(session);
        return new CrrAccess(PlainSessionApi.agentConnection(c, session, api));
    }

    public SiteId siteId() {
        return site;
    }

    public boolean isOpen() {
        return app != null;
    }

    /** The application's connection (CRR engine attached). */
    public Connection app() {
        return app;
    }

    /** The committed local db version. */
    public long dbVersion() throws SQLException {
        return appCrr.dbVersion();
    }

    /** This node's clock entries of one local db version, as {@code crsql_changes} shows them now. */
    public List<Change> localChanges(long dbVersion) throws SQLException {
        return appCrr.changes(site.toBytes(), dbVersion, dbVersion);
    }

    /** Gossip's store on this file; it follows the node through restarts. */
    public ChangesetStore store() {
        return store;
    }

    /** What the agent would broadcast now: every local version committed and not yet published. */
    public List<Changeset> publish() throws SQLException {
        published.clear();
        publisher.committed(appCrr.dbVersion());
        publisher.publish();
        return new ArrayList<>(published);
    }

    /** Whether this node has every version of {@code site} up to {@code head}, with no gap or partial version. */
    public boolean hasAllUpTo(SiteId other, long head) {
        return books.hasAllUpTo(other, head);
    }

    public long rejectedChangesets() {
        return counters.changesetsRejected.sum();
    }

    /** Of the rejected changesets, those refused because the changes kept for a missing schema reached a bound. */
    public long pendingChangesRefused() {
        return counters.changesetsRefusedPendingFull.sum();
    }

    /** Changes kept here until their table or column exists, as the agent's stats show them. */
    public long pendingChanges() throws SQLException {
        try (Statement s = writer.crr().connection().createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM " + ReplicationSchema.PENDING)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Restarts the node with these bounds on the changes kept for a missing schema (changes, bytes; overall, per site). */
    public void boundPendingChanges(long maxChanges, long maxBytes, long maxChangesPerSite, long maxBytesPerSite)
            throws SQLException {
        pendingLimits = new PendingChanges.Limits(maxChanges, maxBytes, maxChangesPerSite, maxBytesPerSite);
        crash();
        reopen();
    }

    /** Migrates this node: creates a table (made a CRR) on the application's connection. */
    public void createTable(String createSql, String table) throws SQLException {
        try (Statement s = app.createStatement()) {
            s.execute(createSql);
        }
        appCrr.schema().asCrr(table);
    }

    /** What the agent thread does after a migration: merges the kept changes whose schema exists now. */
    public long mergeKeptChanges() throws SQLException {
        return current.mergeKeptChanges();
    }

    /**
     * The next apply that merges at least two changes merges half of them, then the process dies: the writer's
     * connection closes with the transaction open (SQLite rolls it back, as recovery after a kill would) and
     * {@code onCrash} runs (the simulation takes the node down).
     */
    public void crashDuringNextApply(Runnable onCrash) {
        this.crashDuringApply = onCrash;
    }

    /**
     * A local fault on the agent's writer connection, as a read-only file causes it: with {@code readOnly} every
     * write of the agent fails with SQLITE_READONLY ({@code PRAGMA query_only}); the application's connection is
     * untouched.
     */
    public void writerReadOnly(boolean readOnly) throws SQLException {
        try (Statement s = writer.crr().connection().createStatement()) {
            s.execute("PRAGMA query_only = " + (readOnly ? "ON" : "OFF"));
        }
    }

    /**
     * A full disk under the agent's writer connection: with {@code full} the file may not grow past the pages it has
     * ({@code PRAGMA max_page_count}, clamped by SQLite to the current page count), so every write that needs a new
     * page fails with SQLITE_FULL; the application's connection is untouched.
     */
    public void writerDiskFull(boolean full) throws SQLException {
        try (Statement s = writer.crr().connection().createStatement()) {
            s.execute("PRAGMA max_page_count = " + (full ? 1 : Integer.MAX_VALUE));
        }
    }

    /**
     * Kills the node: every connection closed at once, nothing finished (the application's CRR session too: its
     * journal watcher would outlive the node and reopen a deleted file).
     */
    public void crash() {
        for (AutoCloseable c : new AutoCloseable[] {writer, reader, publisherConnection, appCrr, app}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // a dying process does not care
            }
        }
        app = null;
        appCrr = null;
        current = null;
        crashDuringApply = null;
    }

    /** Starts the node again from its file. */
    public void reopen() throws SQLException {
        app = connect(file);
        appCrr = CrrEngine.attach(app);
        writer = new WriterConnection(open(file, true, this), counters, new TransactionGate());
        writer.transaction(() -> {
            ReplicationSchema.create(writer.crr().connection());
            return null;
        });
        reader = open(file, false, this);
        publisherConnection = open(file, false, this);
        books = new Bookkeeping();
        books.load(writer.crr().connection());
        PendingChanges pending = new PendingChanges(writer.crr().connection(), pendingLimits);
        publisher = new LocalPublisher(site, new VersionSource(publisherConnection), writer, round -> {
                    published.addAll(round);
                    return round.size();
                }, v -> v, VersionChunker.MAX_PAYLOAD_BYTES, counters, publisherConnection.dbVersion());
        current = new SqliteChangesetStore(file.getFileName().toString(), site, writer, books, pending,
                new SyncReader(site, new VersionSource(reader), reader.connection()), publisher::latest, v -> { },
                counters);
    }

    @Override
    public void close() {
        crash();
    }

    /** Forwards to the store of the node's current life. */
    private final class Delegate implements ChangesetStore {
        private SqliteChangesetStore live() {
            if (current == null) {
                throw new IllegalStateException(file.getFileName() + " is down");
            }
            return current;
        }

        @Override
        public List<ApplyOutcome> apply(List<Changeset> batch) {
            return live().apply(batch);
        }

        @Override
        public SyncState syncState() {
            return live().syncState();
        }

        @Override
        public ReadBatch read(List<SyncNeed> needs, int maxBytes) {
            return live().read(needs, maxBytes);
        }
    }

    /** The writer's CRR API, able to die half-way through a merge. */
    private static final class CrashingApi extends PlainSessionApi {
        private final SQLiteConnection connection;
        private final SimReplica owner;

        CrashingApi(CrrSession session, SQLiteConnection connection, SimReplica owner) {
            super(session);
            this.connection = connection;
            this.owner = owner;
        }

        @Override
        public long applyChanges(List<Change> changes) throws SQLException {
            Runnable onCrash = owner.crashDuringApply;
            if (onCrash == null || changes.size() < 2) {
                return super.applyChanges(changes);
            }
            owner.crashDuringApply = null;
            super.applyChanges(changes.subList(0, changes.size() / 2));
            connection.close();
            owner.crash();
            onCrash.run();
            throw new SQLException("simulated crash in the middle of an apply", "08006");
        }
    }
}
