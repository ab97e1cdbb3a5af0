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
        refuseHiddenTables(connection, merge);
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

    /**
     * A TEMP table or view of the connection with the name of a replicated table hides it from the merge's writes,
     * which name no schema (they run in triggers too): the merged rows would go into the TEMP table, gone with the
     * connection, while the changes count as merged.
     *
     * @throws SQLException 0A000 naming the table
     */
    private static void refuseHiddenTables(SQLiteConnection connection, String merge) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT t.name FROM"
                + " temp.sqlite_master AS t JOIN main.sqlite_master AS m ON m.type = 'table' AND m.name = t.name"
                + " COLLATE NOCASE WHERE t.type IN ('table', 'view') AND EXISTS (SELECT 1 FROM main.sqlite_master AS c"
                + " WHERE c.name = m.name || '__crsql_clock' COLLATE NOCASE) LIMIT 1")) {
            if (rs.next()) {
                throw new SQLException(merge + " on a connection whose TEMP " + rs.getString(1) + " hides the"
                        + " replicated table of that name: the merge would write the TEMP one. Merge on another"
                        + " connection, or drop the TEMP table first", SqlErrors.FEATURE_NOT_SUPPORTED);
            }
        }
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
