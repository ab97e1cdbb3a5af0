package io.corrosion.jdbc.node;

import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CorrosionDatabase;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.DatabaseExtension;
import io.corrosion.jdbc.crr.CrrEngine;
import io.corrosion.jdbc.crr.CrrSession;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.keys.KeysExtension;
import io.corrosion.jdbc.keys.LocalTables;
import io.corrosion.jdbc.crr.PackedColumns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * made a CRR, and every table of the file that is not a CRR yet (and not local) upgraded and back-filled — or, if it
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
    private final Map<SQLiteConnection, NodeConnection> connections = new ConcurrentHashMap<>();
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private boolean opened;

    private NodeExtension(CorrosionDatabase database) {
        this.database = database;
        this.keys = KeysExtension.create(database, CrrEngine::siteId);
        this.policy = new SchemaPolicy(keys.localTables());
        this.schema = new SchemaStatements(policy);
        this.hook = new NodeStatementHook(keys.statementHook(), schema, connections::get);
    }

    /**
     * The engine is attached first: the key allocator's setup writes its slot claim, and the claims table is a CRR
     * whose capture needs the engine's functions on the connection.
     */
    @Override
    public void setUpConnection(SQLiteConnection connection) throws SQLException {
        CrrSession session = CrrEngine.attach(connection);
        NodeConnection node = new NodeConnection(connection, session);
        connections.put(connection, node);
        try {
            keys.setUpConnection(connection);
            openOnce(node);
        } catch (SQLException | RuntimeException e) {
            connections.remove(connection);
            closeQuietly(session);
            throw e;
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
        if (s.crrName(LocalTables.REPLICATED_INTERNAL) == null) {
            s.asInternalCrr(LocalTables.REPLICATED_INTERNAL); // created by the key allocator's setup just before
        }
        int upgraded = 0;
        for (String table : s.nonCrrTables()) {
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
        return c == null ? CrrApi.NONE : new SessionApi(c.session, this::addCommitListener);
    }

    /** A merged slot claim may name this node's slot: the key allocator applies the conflict rule. */
    @Override
    public void rowsMerged(SQLiteConnection connection, String table, List<byte[]> packedKeys) throws SQLException {
        if (!table.equals(LocalTables.REPLICATED_INTERNAL)) {
            return;
        }
        try (PreparedStatement p = connection.prepareStatement("SELECT site_id FROM " + LocalTables.REPLICATED_INTERNAL
                + " WHERE slot = ?")) {
            for (byte[] key : packedKeys) {
                Object slot = PackedColumns.unpack(key).get(0);
                p.setObject(1, slot);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next() && slot instanceof Long s) {
                        keys.claimMerged(connection, s.intValue(), rs.getBytes(1));
                    }
                }
            }
        }
    }

    /** Registers a listener of the file's local commits; closing the handle removes it. */
    public AutoCloseable addCommitListener(CommitListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The key allocator of this file (slot claims, local tables). */
    public KeysExtension keys() {
        return keys;
    }

    /** Tables of the file that are not CRRs because they cannot be, with the rule they break and the remedy. */
    public Map<String, String> tablesLeftLocal() {
        return policy.leftLocal();
    }

    @Override
    public void close() {
        keys.close();
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
