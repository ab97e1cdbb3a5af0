package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.Reentrant;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * What the key allocator keeps per physical connection: the reservations its current transaction wrote
 * ({@link Reservations}), the statement that writes them, whether the transaction ran DDL, and the slot the conflict
 * rule moved the node to in it ({@link NodeSlots}), which becomes the node's when it commits.
 */
final class ConnectionKeys implements SQLiteCommitListener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionKeys.class);
    private static final String WRITE = "INSERT INTO " + Reservations.TABLE + " (name, next, step) VALUES (?, ?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET next = max(next, excluded.next), "
            + "step = CASE WHEN excluded.step > 0 THEN excluded.step ELSE step END";

    private final SQLiteConnection connection;
    private final Reservations reservations;
    private final Runnable afterPromotion;
    private final Runnable afterSchemaTransaction;
    private final NodeSlots slots;
    private final Map<String, Long> pending = new HashMap<>();
    private final KeyTables.SchemaReader committed;
    private PreparedStatement write;
    private boolean ranDdl;
    /** The slot the conflict rule moved the node to in the current transaction; null if it did not. */
    private NodeSlot movedSlot;
    /** A TEMP table or view of this connection may have the name of a table of the file, which it then hides. */
    private volatile boolean madeTempObjects;

    /**
     * @param afterPromotion         runs after a commit made this connection's reservations durable
     * @param afterSchemaTransaction runs after a transaction that ran DDL committed or rolled back
     * @param committed              reads the committed state of the file
     * @param slots                  the node's slot, which a move of this connection's transaction becomes at commit
     */
    ConnectionKeys(SQLiteConnection connection, Reservations reservations, Runnable afterPromotion,
            Runnable afterSchemaTransaction, KeyTables.SchemaReader committed, NodeSlots slots) {
        this.connection = connection;
        this.slots = slots;
        this.committed = committed;
        this.reservations = reservations;
        this.afterPromotion = afterPromotion;
        this.afterSchemaTransaction = afterSchemaTransaction;
    }

    SQLiteConnection connection() {
        return connection;
    }

    /**
     * Reads committed state on the driver's schema connection, never on this one: a read here could start the
     * application's transaction snapshot before its first write (see {@link KeyTables}).
     */
    <T> T readCommitted(KeyTables.SchemaRead<T> read) throws SQLException {
        return committed.read(read);
    }

    /** The reservation of {@code name} this connection's transaction wrote and may still trust; 0 if none. */
    synchronized long pending(String name) {
        return pending.getOrDefault(name, 0L);
    }

    /** Raises the persisted value of {@code name} to at least {@code next}, in the current transaction. */
    synchronized void persist(String name, long next, long step) throws SQLException {
        if (write == null) {
            write = connection.prepareStatement(WRITE);
        }
        write.setString(1, name);
        write.setLong(2, next);
        write.setLong(3, step);
        Reentrant.run(connection, write::executeUpdate);
        pending.merge(name, next, Math::max);
    }

    /** The current transaction changed the schema; its end changes what other connections see. */
    synchronized void noteDdl() {
        ranDdl = true;
    }

    /** A TEMP table or view of this connection may hide a table of the file. */
    void noteTempObject() {
        madeTempObjects = true;
    }

    /**
     * True if {@code table}, written without a schema, is a TEMP table or view of this connection: SQLite looks there
     * first, so the statement writes it, not the file's table of that name.
     */
    boolean hiddenByTemp(String table) throws SQLException {
        if (!madeTempObjects) {
            return false;
        }
        try (PreparedStatement p = connection.prepareStatement("SELECT 1 FROM temp.sqlite_master"
                + " WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE")) {
            p.setString(1, table);
            try (java.sql.ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** True once a TEMP table or view hides a table of the file here: its statements' rewrites are its own. */
    boolean madeTempObjects() {
        return madeTempObjects;
    }

    /** This connection's transaction changed the schema: only this connection sees its tables as they are now. */
    synchronized boolean inSchemaTransaction() {
        return ranDdl;
    }

    private void schemaTransactionEnded() {
        boolean ddl;
        synchronized (this) {
            ddl = ranDdl;
            ranDdl = false;
        }
        if (ddl) {
            afterSchemaTransaction.run();
        }
    }

    /** The slot the conflict rule moved the node to in the current transaction; null if it did not. */
    synchronized NodeSlot movedSlot() {
        return movedSlot;
    }

    /** The conflict rule moved the node to {@code slot} in the current transaction: the node's once it commits. */
    synchronized void slotMoved(NodeSlot slot) {
        movedSlot = slot;
    }

    /**
     * Forget this transaction's reservations: a statement failed, or it rolled back (to a savepoint). Either may have
     * undone the claim of a slot the rule moved to, or left it: the transaction's slot is read again from its node row.
     */
    synchronized void distrust() {
        pending.clear();
        if (movedSlot == null) {
            return;
        }
        try {
            NodeSlot recorded = Reentrant.run(connection, () -> SlotClaims.recorded(connection));
            movedSlot = recorded == null || recorded.equals(slots.slot()) ? null : recorded;
        } catch (SQLException e) {
            // keep the move: if the claim was undone, the transaction's keys in the new slot go with it
            log.error("Could not read which slot this node's transaction claims after a failed statement; its keys stay"
                    + " in slot {}. Roll the transaction back if it failed.", movedSlot.slot(), e);
        }
    }

    @Override
    public void onCommit() {
        schemaTransactionEnded();
        NodeSlot moved;
        synchronized (this) {
            moved = movedSlot;
            movedSlot = null;
        }
        if (moved != null) {
            slots.committed(moved);
        }
        Map<String, Long> committed;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            committed = new HashMap<>(pending);
            pending.clear();
        }
        reservations.promote(committed);
        afterPromotion.run();
    }

    @Override
    public void onRollback() {
        schemaTransactionEnded();
        synchronized (this) {
            movedSlot = null; // before distrust: the rule's claim is undone, and no SQL runs in SQLite's rollback hook
        }
        distrust();
    }

    synchronized void close() {
        closeQuietly(write);
    }

    private static void closeQuietly(Statement s) {
        if (s != null) {
            try {
                s.close();
            } catch (SQLException ignored) {
                // the connection is gone already; nothing holds the statement
            }
        }
    }
}
