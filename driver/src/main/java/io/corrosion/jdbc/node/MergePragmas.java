package io.corrosion.jdbc.node;

import io.corrosion.jdbc.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * A merge on an application's connection ({@code applyChanges}, {@code INSERT INTO crsql_changes}) runs as the agent's
 * merges do ({@link MergeConnection}): without foreign-key checks and actions, and ignoring CHECK constraints. A
 * cascade the merge ran would delete rows without a change for the other nodes, which would differ for good; a child
 * that arrives before its parent would be refused. Outside a transaction both are set for the merge's own and put back
 * after it; inside one SQLite keeps {@code foreign_keys} as it is, so a connection with it on is refused there.
 */
final class MergePragmas implements AutoCloseable {
    private final SQLiteConnection connection;
    private final boolean foreignKeysBack;
    private final boolean checksBack;

    private MergePragmas(SQLiteConnection connection, boolean foreignKeysBack, boolean checksBack) {
        this.connection = connection;
        this.foreignKeysBack = foreignKeysBack;
        this.checksBack = checksBack;
    }

    /**
     * Turns foreign keys off and CHECK constraints to ignored for a merge, named {@code merge} in the refusal.
     *
     * @throws SQLException 0A000 in a transaction on a connection with {@code foreign_keys} on
     */
    static MergePragmas enter(SQLiteConnection connection, String merge) throws SQLException {
        boolean foreignKeys = pragma(connection, "foreign_keys");
        if (foreignKeys) {
            if (connection.getAutoCommit()) {
                set(connection, "foreign_keys", false);
            }
            if (pragma(connection, "foreign_keys")) { // SQLite keeps it as it is inside a transaction
                throw new SQLException(merge + " in a transaction on a connection with foreign_keys on: a merge must"
                        + " not run foreign-key checks or actions (ON DELETE CASCADE would delete rows without a change"
                        + " for other nodes). Merge outside a transaction, or with foreign_keys off",
                        SqlErrors.FEATURE_NOT_SUPPORTED);
            }
        }
        boolean checks = !pragma(connection, "ignore_check_constraints");
        if (checks) {
            try {
                set(connection, "ignore_check_constraints", true);
            } catch (SQLException e) {
                new MergePragmas(connection, foreignKeys, false).restore(e);
                throw e;
            }
        }
        return new MergePragmas(connection, foreignKeys, checks);
    }

    /** Puts back what {@link #enter} changed. */
    @Override
    public void close() throws SQLException {
        SQLException failed = new SQLException("could not restore the connection's foreign_keys and"
                + " ignore_check_constraints after a merge", SqlErrors.GENERAL_ERROR);
        restore(failed);
        if (failed.getSuppressed().length > 0) {
            throw failed;
        }
    }

    private void restore(SQLException failures) {
        if (checksBack) {
            try {
                set(connection, "ignore_check_constraints", false);
            } catch (SQLException e) {
                failures.addSuppressed(e);
            }
        }
        if (foreignKeysBack) {
            try {
                set(connection, "foreign_keys", true);
            } catch (SQLException e) {
                failures.addSuppressed(e);
            }
        }
    }

    private static boolean pragma(SQLiteConnection connection, String name) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() && rs.getInt(1) != 0;
        }
    }

    private static void set(SQLiteConnection connection, String name, boolean on) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA " + name + " = " + (on ? "ON" : "OFF"));
        }
    }
}
