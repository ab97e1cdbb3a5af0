package io.corrosion.jdbc.node;

import io.corrosion.jdbc.AgentConnection;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CorrosionDatabase;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.DatabaseExtension;
import io.corrosion.jdbc.crr.CrrEngine;
import io.corrosion.jdbc.crr.CrrSession;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.keys.KeysExtension;
import io.corrosion.jdbc.keys.LastInsertRowid;
import io.corrosion.jdbc.keys.LocalTables;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * What the driver runs for one database file: the key allocator ({@link KeysExtension}) and the CRR engine
 * ({@link CrrEngine}) behind one {@link DatabaseExtension}: the key allocator's statement hook runs first (the CRR side
 * rewrites its output), and the engine's site id is the node identity for slot claims.
 *
 * <p>On every physical connection: the engine attached, then the key allocator's setup. On the file's first writable
 * connection, before the application gets it: {@code merge-equal-values} stored as the engine's config, the slot claims
 * made a CRR if the node replicates ({@code bind} or {@code seeds}), and every table of the file that is not a CRR yet (and not local) upgraded and back-filled — or, if it
 * cannot be a CRR (no primary key, a UNIQUE constraint of the table, ...), left local with a WARN naming the rule and the
 * remedy.
 */
public final class NodeExtension implements DatabaseExtension {
    /** The driver's default extension. */
    public static final DatabaseExtension.Factory FACTORY = NodeExtension::new;

    private static final Logger log = LoggerFactory.getLogger(NodeExtension.class);

    private final CorrosionDatabase database;
    private final KeysExtension keys;
    private final SchemaPolicy policy;
    private final SchemaStatements schema;
    private final NodeStatementHook hook;
    /** Every connection set up on the file (the application's and the driver's own), until closed. */
    private final Map<SQLiteConnection, NodeConnection> connections = new ConcurrentHashMap<>();
    /** The file's commit listeners that hear the merges the application makes itself ({@link MergeNotices}). */
    private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
    private boolean opened;
    private CrrSession first;
    private AutoCloseable journalHold;

    private NodeExtension(CorrosionDatabase database) {
        this.database = database;
        this.keys = KeysExtension.create(database, CrrEngine::siteId);
        this.policy = new SchemaPolicy(keys.localTables());
        this.schema = new SchemaStatements(policy);
        this.hook = new NodeStatementHook(keys.statementHook(), schema, new TableAsSelect(policy),
                connections::get, this::resolveClaims);
    }

    /**
     * The engine is attached first: the key allocator's setup writes its slot claim, and the claims table is a CRR
     * whose capture needs the engine's functions on the connection.
     */
    @Override
    public void setUpConnection(SQLiteConnection connection) throws SQLException {
        CrrSession session = CrrEngine.attach(connection, true);
        NodeConnection node = new NodeConnection(connection, session, new MergeNotices(commitListeners));
        connection.addCommitListener(node.notices);
        session.routeMerges(changes -> mergeInStatement(node, changes));
        connections.put(connection, node);
        try {
            holdJournal(session);
            keys.setUpConnection(connection);
            openOnce(node);
            LastInsertRowid.restore(connection, 0); // after the setup's inserts: the application inserted nothing yet
        } catch (SQLException | RuntimeException e) {
            connections.remove(connection);
            closeQuietly(session);
            throw e;
        }
    }

    /** The journal stays open while the file is, however the application's connections come and go. */
    private synchronized void holdJournal(CrrSession session) {
        if (first == null) {
            first = session;
            journalHold = session.retainJournal();
        }
    }

    /** The file's first writable connection prepares the file; read-only ones leave it to a later one. */
    private synchronized void openOnce(NodeConnection c) throws SQLException {
        if (opened || c.raw.isReadOnly() || !c.raw.getAutoCommit()) {
            return;
        }
        CrrSession s = c.session;
        boolean mergeEqualValues = database.node().mergeEqualValues();
        if (s.mergeEqualValuesSetting() != mergeEqualValues) {
            s.setMergeEqualValues(mergeEqualValues);
        }
        if (s.crrName(LocalTables.REPLICATED_INTERNAL) != null) {
            // The key allocator may have just added a column to the claims table of a file from an older driver.
            s.schema().repairSchema();
        } else if (database.node().replicates()) {
            // A node that replicates tells the others which slot it claimed (the key allocator made the claim just
            // before); a local node's claim stays local and spends no db version.
            s.schema().asInternalCrr(LocalTables.REPLICATED_INTERNAL);
        }
        int upgraded = 0;
        for (String table : s.schema().nonCrrTables()) {
            if (!policy.localTables().isLocal(table)) {
                schema.upgradeExisting(c, table);
                upgraded += s.crrName(table) != null ? 1 : 0;
            }
        }
        opened = true;
        log.info("Opened {}: site {}, {} replicated tables{}{}", database.path().orElse(":memory:"),
                hex(s.siteId()), s.crrTables().size(), upgraded == 0 ? "" : " (" + upgraded + " upgraded now)",
                policy.leftLocal().isEmpty() ? "" : ", left local: " + policy.leftLocal().keySet());
    }

    @Override
    public void connectionClosed(SQLiteConnection connection) {
        keys.connectionClosed(connection);
        NodeConnection c = connections.remove(connection);
        if (c != null) {
            c.notices.finished(); // a commit whose call did not return through the hook
            closeQuietly(c.session);
        }
    }

    @Override
    public StatementHook statementHook() {
        return hook;
    }

    @Override
    public CrrApi crrApi(SQLiteConnection connection) {
        NodeConnection c = connections.get(connection);
        return c == null ? CrrApi.NONE : new SessionApi(c.session, connection, this, false);
    }

    /**
     * Registers a listener of the file's local commits ({@link CommitListener}: called on the file's watcher thread once
     * a commit is durable); closing the handle removes it.
     *
     * @throws UnsupportedOperationException for an in-memory database
     */
    public AutoCloseable addCommitListener(CommitListener listener) {
        CrrSession s;
        synchronized (this) {
            s = first;
        }
        AutoCloseable local = s.addCommitListener(listener);
        if (!listener.hearsMerges()) {
            return local;
        }
        commitListeners.add(listener);
        return () -> {
            commitListeners.remove(listener);
            local.close();
        };
    }

    /** The replication agent's connections are {@link MergeConnection}s. */
    @Override
    public AgentConnection openAgentConnection() throws SQLException {
        return openMergeConnection();
    }

    /**
     * A connection of the driver's own for merging changes from other nodes (the replication agent's): foreign keys
     * and CHECK constraints are not enforced on it, so no merge gets stuck on them. Not for in-memory databases.
     */
    public MergeConnection openMergeConnection() throws SQLException {
        SQLiteConnection raw = database.openPhysicalConnection();
        NodeConnection c = connections.get(raw);
        try {
            return new MergeConnection(raw, c.session, this);
        } catch (SQLException | RuntimeException e) {
            closeInternal(raw);
            throw e;
        }
    }

    /**
     * Merges {@code changes} on {@code connection} atomically and, in the same transaction, applies the slot conflict
     * rule to the slot claims among them and moves the key counters past merged keys in this node's slot: the one place
     * both the application's and the agent's merges go through. The application's are told to the commit listeners
     * once they commit ({@link MergeNotices}; the agent tells of its own).
     */
    long merge(SQLiteConnection connection, CrrSession session, List<Change> changes, boolean application)
            throws SQLException {
        MergedKeys merged = MergedKeys.of(changes, keys, connection);
        NodeConnection c = application ? connections.get(connection) : null;
        MergeNotices notices = c != null && c.notices.wanted() ? c.notices : null;
        try {
            if (notices != null) {
                int mark = notices.mark();
                try {
                    long impacted = mergeAtomically(connection, session, changes, merged, notices);
                    notices.finished(); // in auto-commit mode they committed: told now
                    return impacted;
                } catch (SQLException | RuntimeException e) {
                    notices.undoSince(mark); // undone with the merge's savepoint
                    throw e;
                }
            }
            if (merged.none()) {
                return session.apply(changes);
            }
            return mergeAtomically(connection, session, changes, merged, null);
        } catch (SQLException | RuntimeException e) {
            keys.mergeFailed(connection);
            throw e;
        }
    }

    /** {@link #merge}'s transaction (or savepoint): the changes, then the claims' rule and the keys to skip. */
    private long mergeAtomically(SQLiteConnection connection, CrrSession session, List<Change> changes,
            MergedKeys merged, MergeNotices notices) throws SQLException {
        return session.atomically(() -> {
            long impacted = notices == null ? session.apply(changes) : applyTold(session, changes, notices);
            MergedKeys.resolveClaims(keys, connection, merged.claimedSlots());
            merged.skipKeys(keys, connection);
            return impacted;
        });
    }

    /**
     * A row the application's statement inserts into {@code crsql_changes}, merged by the view's trigger inside that
     * statement, as {@link #merge} merges it: the key counters move past a merged key in this node's slot right away;
     * a slot claim waits for the statement's end ({@link #resolveClaims}), since the trigger merges a claim's row one
     * column at a time and the conflict rule must see the whole row (its site id and whether it was configured).
     */
    private long mergeInStatement(NodeConnection c, List<Change> changes) throws SQLException {
        MergedKeys merged = MergedKeys.of(changes, keys, c.raw);
        // inside the running statement: its transaction, no savepoint
        long impacted = c.notices.wanted() ? applyTold(c.session, changes, c.notices) : c.session.apply(changes);
        merged.skipKeys(keys, c.raw);
        for (long slot : merged.claimedSlots()) {
            if (!c.claimsMerged.contains(slot)) {
                c.claimsMerged.add(slot);
            }
        }
        return impacted;
    }

    /** Merges the changes one origin version at a time, each version's told to {@code notices} with its impact. */
    private static long applyTold(CrrSession session, List<Change> changes, MergeNotices notices) throws SQLException {
        long impacted = 0;
        for (List<Change> version : MergeNotices.byOrigin(changes)) {
            long n = session.apply(version);
            notices.merged(version, n);
            impacted += n;
        }
        return impacted;
    }

    /**
     * After a statement that merged rows of {@code crsql_changes}: the slot conflict rule for the claims among them, in
     * the statement's transaction — in auto-commit mode the one the driver began around it
     * ({@link NodeConnection#beginMerge}), committed after the rule — or, beside SQL that is not a read or write of rows
     * (BEGIN, DDL, ATTACH, ...), in one of its own right after it. Also after a failed one: the statements of its string or batch before it kept
     * theirs. SQLite's
     * {@code last_insert_rowid()} stays the application's.
     */
    private void resolveClaims(NodeConnection c) throws SQLException {
        if (c.claimsMerged.isEmpty()) {
            return;
        }
        List<Long> slots = List.copyOf(c.claimsMerged);
        c.claimsMerged.clear();
        long rowid = LastInsertRowid.of(c.raw);
        c.session.atomically(() -> {
            MergedKeys.resolveClaims(keys, c.raw, slots);
            return null;
        });
        LastInsertRowid.restore(c.raw, rowid);
    }

    /** Closes one of the driver's own connections (and its CRR session). */
    void closeInternal(SQLiteConnection connection) throws SQLException {
        NodeConnection c = connections.remove(connection);
        if (c != null) {
            closeQuietly(c.session);
        }
        connection.close();
    }

    /** The key allocator of this file (slot claims, local tables). */
    public KeysExtension keys() {
        return keys;
    }

    /** Tables of the file that are not CRRs because they cannot be, with the rule they break and the remedy. */
    public Map<String, String> tablesLeftLocal() {
        return policy.leftLocal();
    }

    /**
     * Stops the key allocator, detaches the engine from the connections still set up (the driver's own), and lets the
     * journal go: its last flush marks the file cleanly closed.
     */
    @Override
    public void close() {
        keys.close();
        for (NodeConnection c : List.copyOf(connections.values())) {
            connections.remove(c.raw);
            closeQuietly(c.session);
        }
        AutoCloseable hold;
        synchronized (this) {
            hold = journalHold;
            journalHold = null;
        }
        if (hold != null) {
            try {
                hold.close();
            } catch (Exception e) {
                log.warn("Closing the journal of {} failed", database.path().orElse(":memory:"), e);
            }
        }
    }

    private static void closeQuietly(CrrSession session) {
        try {
            session.close();
        } catch (SQLException e) {
            log.debug("Detaching the CRR engine from a closed connection", e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "NodeExtension[" + database.path().orElse(":memory:") + "]";
    }
}
