package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.CorrosionDatabase;
import io.corrosion.jdbc.DatabaseExtension;
import io.corrosion.jdbc.intercept.GeneratorStatements;
import io.corrosion.jdbc.intercept.StatementHook;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Cluster-safe generated keys and local tables for one database file: the piece of the driver's extension that a
 * composite extension (with the CRR engine) runs first. Its parts, for composing:
 * <ul>
 *   <li>{@link #setUpConnection}: per physical connection, before the application uses it — on the file's first
 *       connection creates the internal tables and establishes site id and slot ({@link SlotClaims}); on every one
 *       registers the SQL functions, a commit listener and the TEMP table the generator UPDATE writes.</li>
 *   <li>{@link #statementHook()}: rewrites INSERTs, CREATE TABLE and Hibernate's generator statements. Composed
 *       hooks should run it first and hand its output SQL (re-planned) to the next hook; pass
 *       {@code afterExecute}/{@code afterFailure} to it with the application's original plan.</li>
 *   <li>{@link #localTables()}: the policy the CRR engine asks before making a table a CRR.</li>
 *   <li>{@link #claimMerged}: the slot conflict rule, for the replication layer after it merged a claim.</li>
 *   <li>{@link #keyMerged}: the counters move past keys in this node's slot that other nodes' rows bring.</li>
 *   <li>{@link #factory(NodeIdentity)}: where the site id comes from (the CRR engine's, once there is one).</li>
 * </ul>
 */
public final class KeysExtension implements DatabaseExtension {
    /** Keys with the allocator's own site id, until the CRR engine provides one. */
    public static final DatabaseExtension.Factory FACTORY = factory(NodeIdentity.OWN);

    private final String description;
    private final LocalTables localTables;
    private final NodeSlots slots;
    private final KeyAllocator allocator;
    private final GeneratorBlocks generators;
    private final Reservations reservations = new Reservations();
    private final KeyTargets targets = new KeyTargets();
    private final Map<SQLiteConnection, ConnectionKeys> connections = new ConcurrentHashMap<>();
    private final KeyStatementHook hook;
    private final SchemaConnection schema;

    /** The factory of key extensions whose site id comes from {@code identity}. */
    public static DatabaseExtension.Factory factory(NodeIdentity identity) {
        return database -> create(database, identity);
    }

    /** The key extension of {@code database}, for a composite extension that runs it as one of its parts. */
    public static KeysExtension create(CorrosionDatabase database, NodeIdentity identity) {
        return new KeysExtension(database, identity);
    }

    KeysExtension(CorrosionDatabase database, NodeIdentity identity) {
        this.description = database.path().orElse(":memory:");
        this.localTables = new LocalTables(database.node());
        this.slots = new NodeSlots(identity, database.node().nodeSlot());
        this.allocator = new KeyAllocator(reservations, slots);
        this.generators = new GeneratorBlocks(reservations, slots);
        this.schema = new SchemaConnection(database);
        this.hook = new KeyStatementHook(database.node(), localTables, new KeyTables(), schema, targets, allocator,
                connections::get);
    }

    @Override
    public void setUpConnection(SQLiteConnection connection) throws SQLException {
        if (slots.establish(connection)) {
            localTables.scan(connection);
        }
        try (Statement s = connection.createStatement()) {
            // CREATE ... AS SELECT, not an INSERT: that would set the connection's last_insert_rowid() to 1
            // (LastInsertRowid), on every connection.
            s.executeUpdate("CREATE TEMP TABLE IF NOT EXISTS " + GeneratorStatements.ACK_TABLE + " AS SELECT 0 AS v");
        }
        ConnectionKeys keys = new ConnectionKeys(connection, reservations, generators::recheckOutstanding,
                hook::schemaChanged, schema.readerFor(connection), slots);
        KeyFunctions.register(keys, targets, hook::tableTarget, allocator, generators);
        connection.addCommitListener(keys);
        connections.put(connection, keys);
    }

    @Override
    public void connectionClosed(SQLiteConnection connection) {
        ConnectionKeys keys = connections.remove(connection);
        if (keys != null) {
            keys.close();
        }
    }

    @Override
    public void close() {
        schema.close();
    }

    @Override
    public StatementHook statementHook() {
        return hook;
    }

    /** The local-table policy of this file. */
    public LocalTables localTables() {
        return localTables;
    }

    /**
     * The slot this node generates keys in, as the file has it committed; null before it has one (read-only file). A
     * transaction whose merge moved the slot generates its own keys in the new one until it commits ({@link NodeSlots}).
     */
    public NodeSlot slot() {
        return slots.slot();
    }

    /** The site id slot claims carry; null before the node has a slot. */
    public byte[] siteId() {
        return slots.siteId();
    }

    /**
     * For the replication layer, after it merged changes of the claim of {@code slot} into
     * {@code __corrosion_node_slots}: if another site claims this node's slot now, applies the conflict rule
     * ({@link SlotClaims}) in the caller's transaction on {@code connection}. Returns the slot that transaction generates
     * keys in; it becomes the node's when the transaction commits, and a rollback leaves the node's slot as it was.
     */
    public NodeSlot claimMerged(SQLiteConnection connection, int slot) throws SQLException {
        ConnectionKeys c = keysOf(connection);
        SlotClaims.Claim claim = SlotClaims.claim(connection, slot);
        return claim == null ? slots.slot(c) : slots.claimMerged(c, slot, claim);
    }

    private ConnectionKeys keysOf(SQLiteConnection connection) throws SQLException {
        ConnectionKeys c = connections.get(connection);
        if (c == null) {
            throw new SQLException("The connection is closed or was not opened by the driver: it has no generated keys."
                    + " Use a connection of the driver. (SQLSTATE 08003)", "08003");
        }
        return c;
    }

    /**
     * After a merge on {@code connection} failed: SQLite undid what it wrote, key reservations among it (an application
     * trigger's keys, {@link #keyMerged}), which the transaction must not trust any more.
     */
    public void mergeFailed(SQLiteConnection connection) {
        ConnectionKeys c = connections.get(connection);
        if (c != null) {
            c.distrust();
        }
    }

    /**
     * True if {@code key} is one this node could generate in the transaction on {@code connection}: in its slot. False
     * before it has a slot.
     */
    public boolean inOwnSlot(SQLiteConnection connection, long key) {
        ConnectionKeys c = connections.get(connection);
        int slot = c == null ? slots.current() : slots.current(c);
        return slot >= 0 && IdScheme.slotOf(key) == slot;
    }

    /**
     * For the replication layer, after it merged rows of {@code table} (in the caller's transaction on
     * {@code connection}) whose largest key in this node's slot is {@code key}: the table's counter moves past it, in
     * memory and persisted in that transaction, as for a key the application supplied. Another node's rows land in this
     * node's slot when the node was restored from a copy with its slot configured (its predecessor's later rows), when
     * two nodes claimed one slot before they saw each other (the one that keeps it gets the other's rows), or when
     * another node's application supplied the key. Without this the node would generate those keys again: an INSERT
     * would fail on the existing row, or an upsert overwrite it.
     */
    public void keyMerged(SQLiteConnection connection, String table, long key) throws SQLException {
        ConnectionKeys c = connections.get(connection);
        KeyTargets.KeyTarget target = c == null ? null : hook.tableTarget(c, table);
        if (target != null) {
            allocator.noteMerged(c, target, key);
        }
    }

    @Override
    public String toString() {
        return "KeysExtension[" + description + ", slot " + slots.slot() + "]";
    }
}
