package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.intercept.Identifiers;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * What the key allocator keeps per physical connection: the reservations its current transaction wrote
 * ({@link Reservations}) and the statements it runs from inside the application's INSERT (an SQL function may run
 * statements on its own connection; their writes belong to the running statement and its transaction).
 */
final class ConnectionKeys implements SQLiteCommitListener {
    private static final String WRITE = "INSERT INTO " + Reservations.TABLE + " (name, next, step) VALUES (?, ?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET next = max(next, excluded.next), "
            + "step = CASE WHEN excluded.step > 0 THEN excluded.step ELSE step END";
    private static final String READ = "SELECT next, step FROM " + Reservations.TABLE + " WHERE name = ?";

    private final SQLiteConnection connection;
    private final Reservations reservations;
    private final Runnable afterPromotion;
    private final Runnable afterSchemaTransaction;
    private final Map<String, Long> pending = new HashMap<>();
    private PreparedStatement write;
    private PreparedStatement read;
    private boolean ranDdl;

    /**
     * @param afterPromotion         runs after a commit made this connection's reservations durable
     * @param afterSchemaTransaction runs after a transaction that ran DDL committed or rolled back
     */
    ConnectionKeys(SQLiteConnection connection, Reservations reservations, Runnable afterPromotion,
            Runnable afterSchemaTransaction) {
        this.connection = connection;
        this.reservations = reservations;
        this.afterPromotion = afterPromotion;
        this.afterSchemaTransaction = afterSchemaTransaction;
    }

    SQLiteConnection connection() {
        return connection;
    }

    /** The reservation of {@code name} this connection's transaction wrote and may still trust; 0 if none. */
    synchronized long pending(String name) {
        return pending.getOrDefault(name, 0L);
    }

    @FunctionalInterface
    private interface Nested<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a statement from inside the application's running statement. sqlite-jdbc ends every statement it runs in
     * auto-commit mode with its own BEGIN and COMMIT, which inside another statement would open a transaction it
     * cannot commit; its auto-commit flag is lowered meanwhile (it changes nothing in SQLite).
     */
    private <T> T nested(Nested<T> work) throws SQLException {
        var config = connection.getConnectionConfig();
        boolean autoCommit = config.isAutoCommit();
        config.setAutoCommit(false);
        try {
            return work.run();
        } finally {
            config.setAutoCommit(autoCommit);
        }
    }

    /** Raises the persisted value of {@code name} to at least {@code next}, in the current transaction. */
    synchronized void persist(String name, long next, long step) throws SQLException {
        if (write == null) {
            write = connection.prepareStatement(WRITE);
        }
        write.setString(1, name);
        write.setLong(2, next);
        write.setLong(3, step);
        nested(write::executeUpdate);
        pending.merge(name, next, Math::max);
    }

    /** The persisted {next, step} of {@code name} as this connection's transaction sees it; null if none. */
    synchronized long[] read(String name) throws SQLException {
        if (read == null) {
            read = connection.prepareStatement(READ);
        }
        read.setString(1, name);
        return nested(() -> {
            try (ResultSet rs = read.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        });
    }

    /**
     * The first counter of {@code slot} above every key of that slot already in the table (rows inserted before the
     * driver, or keys the application supplied) up to {@code maxId}; 0 for a table without any. Scans the table: runs
     * once per table and node, when the node has no counter for it yet.
     */
    long firstFreeCounter(String table, String keyColumn, int slot, long maxId) throws SQLException {
        String k = Identifiers.quote(keyColumn);
        String sql = "SELECT max(" + k + ") FROM main." + Identifiers.quote(table) + " WHERE typeof(" + k
                + ") = 'integer' AND " + k + " BETWEEN 1 AND " + maxId + " AND (" + k + " - 1) % " + IdScheme.SLOTS + " = " + slot;
        return nested(() -> {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                long max = rs.next() ? rs.getLong(1) : 0;
                return max < 1 ? 0 : IdScheme.counterOf(max) + 1;
            }
        });
    }

    /** The current transaction changed the schema; its end changes what other connections see. */
    synchronized void noteDdl() {
        ranDdl = true;
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

    /** Forget this transaction's reservations: a statement failed, or it rolled back (to a savepoint). */
    synchronized void distrust() {
        pending.clear();
    }

    @Override
    public void onCommit() {
        schemaTransactionEnded();
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
        distrust();
    }

    synchronized void close() {
        closeQuietly(write);
        closeQuietly(read);
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
