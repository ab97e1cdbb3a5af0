package io.corrosion.jdbc.replication;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.crr.CrrEngine;
import io.corrosion.jdbc.crr.CrrSession;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * One node's file for store tests, without gossip: an application connection with the CRR engine, and the agent's
 * store on its own connections. {@link #restart()} closes the store and opens it again, as a process restart would.
 */
final class StoreNode implements AutoCloseable {
    final Path file;
    final CrrAccess app;
    final CrrSession crr;
    final AgentCounters counters = new AgentCounters();
    final TransactionGate gate = new TransactionGate();
    final List<AppliedVersion> applied = new ArrayList<>();
    final List<Changeset> published = new ArrayList<>();
    WriterConnection writer;
    CrrAccess reader;
    CrrAccess publisherConnection;
    Bookkeeping books;
    PendingChanges pending;
    SqliteChangesetStore store;
    LocalPublisher publisher;
    WalSync walSync;
    /** How the WAL is flushed before local versions leave (the agent's by default); tests may replace it. */
    WalSync.Flush flush = WalSync.FDATASYNC;
    /** Sees each round of local changesets as the publisher hands it to gossip; tests may replace it. */
    java.util.function.Consumer<List<Changeset>> handOff = round -> { };
    SiteId site;

    StoreNode(Path file, String... schema) throws SQLException {
        this.file = file;
        SQLiteConnection c = connect(file);
        this.crr = CrrEngine.attach(c);
        this.app = new CrrAccess(PlainSessionApi.agentConnection(c, crr));
        for (String sql : schema) {
            exec(sql);
        }
        start();
    }

    /** A node whose file has {@code tables} ({@code CREATE TABLE} statements), each made a CRR. */
    static StoreNode withCrrs(Path file, String... tables) throws SQLException {
        StoreNode n = new StoreNode(file);
        for (String table : tables) {
            n.exec(table);
            n.crr.schema().asCrr(table.split(" ")[2]);
        }
        return n;
    }

    static CrrAccess open(Path file) throws SQLException {
        SQLiteConnection c = connect(file);
        return new CrrAccess(PlainSessionApi.agentConnection(c, CrrEngine.attach(c)));
    }

    private static SQLiteConnection connect(Path file) throws SQLException {
        SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
        }
        return c;
    }

    private void start() throws SQLException {
        writer = new WriterConnection(open(file), counters, gate);
        writer.transaction(() -> {
            ReplicationSchema.create(writer.crr().connection());
            return null;
        });
        site = SiteId.of(writer.crr().siteId());
        reader = open(file);
        publisherConnection = open(file);
        books = new Bookkeeping();
        books.load(writer.crr().connection());
        pending = new PendingChanges(writer.crr().connection());
        walSync = WalSync.of(publisherConnection.connection(), path -> flush.flush(path), counters);
        publisher = new LocalPublisher(site, new VersionSource(publisherConnection), writer, round -> {
                    handOff.accept(round);
                    published.addAll(round);
                    return round.size();
                }, walSync::upTo, VersionChunker.MAX_PAYLOAD_BYTES, counters, 0);
        store = new SqliteChangesetStore(file.getFileName().toString(), site, writer, books, pending,
                new SyncReader(site, new VersionSource(reader), reader.connection()),
                () -> walSync.upTo(publisher.latest()), applied::addAll, counters);
    }

    void restart() throws SQLException {
        stop();
        start();
    }

    private void stop() throws SQLException {
        writer.close();
        reader.close();
        publisherConnection.close();
    }

    /** Runs a statement in autocommit; its commit reaches the publisher as the commit listener would tell it. */
    StoreNode exec(String sql) throws SQLException {
        try (Statement s = app.connection().createStatement()) {
            s.execute(sql);
        }
        if (publisher != null) {
            publisher.committed(app.dbVersion());
        }
        return this;
    }

    /** Every local version committed so far, as the publisher sends them (those already taken are skipped). */
    List<Changeset> publish() throws SQLException {
        published.clear();
        publisher.committed(app.dbVersion());
        publisher.publish();
        return new ArrayList<>(published);
    }

    List<List<Object>> rows(String sql) throws SQLException {
        return Rows.query(app.connection(), sql);
    }

    List<List<Object>> changes() throws SQLException {
        return Rows.changes(app.connection());
    }

    @Override
    public void close() throws SQLException {
        stop();
        app.close();
    }
}
