package io.corrosion.jdbc;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * Runs the driver's own JDBC statements on an application's connection, also from inside a SQL function that SQLite
 * is executing on that same connection (a trigger calling back into Java); for the CRR engine and the key allocator.
 *
 * <p>sqlite-jdbc ends every statement run in auto-commit mode with {@code BEGIN; COMMIT} to make sure no
 * transaction lingers; nested inside a running statement that BEGIN succeeds and the COMMIT fails, leaving the
 * connection in a transaction. Marking the connection as not auto-committing for the duration of the nested
 * work skips that step; SQLite's own transaction state is untouched. sqlite-jdbc's generated keys are off meanwhile
 * too ({@link #withoutGeneratedKeys}).
 */
public final class Reentrant {
    private Reentrant() {}

    /** Work with JDBC statements. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    public static <T> T run(SQLiteConnection conn, Work<T> work) throws SQLException {
        SQLiteConnectionConfig cfg = conn.getConnectionConfig();
        boolean autoCommit = cfg.isAutoCommit();
        cfg.setAutoCommit(false);
        try {
            return withoutGeneratedKeys(conn, work);
        } finally {
            cfg.setAutoCommit(autoCommit);
        }
    }

    /**
     * Runs the driver's own statements without sqlite-jdbc's generated-keys bookkeeping, which after every INSERT
     * matches the SQL against a regex and runs {@code SELECT last_insert_rowid()}: most of the cost of a merge. That
     * query also stays open until the statement runs again, and an open query makes the application's {@code VACUUM}
     * fail ("SQL statements in progress"). The application's own statements are unaffected (the flag is restored
     * before they complete).
     */
    public static <T> T withoutGeneratedKeys(SQLiteConnection conn, Work<T> work) throws SQLException {
        SQLiteConnectionConfig cfg = conn.getConnectionConfig();
        boolean keys = cfg.isGetGeneratedKeys();
        cfg.setGetGeneratedKeys(false);
        try {
            return work.run();
        } finally {
            cfg.setGetGeneratedKeys(keys);
        }
    }
}
