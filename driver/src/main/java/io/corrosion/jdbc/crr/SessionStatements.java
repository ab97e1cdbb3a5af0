package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * The statements a {@link CrrSession} keeps prepared for its connection's life: each CRR's merge statements
 * ({@link TableStatements}) and the engine's other frequent ones, by SQL text. Preparing costs more than running most
 * of them. Not thread-safe, like the connection.
 */
final class SessionStatements {
    private final SQLiteConnection conn;
    private final Map<String, TableStatements> tables = new HashMap<>();
    private Statements.OneUse prepared;

    SessionStatements(SQLiteConnection conn) {
        this.conn = conn;
        this.prepared = new Statements.OneUse(conn);
    }

    /** The merge statements of {@code t}, prepared again when its shape changed. */
    TableStatements of(TableInfo t) throws SQLException {
        TableStatements s = tables.get(t.name());
        if (s == null || s.table != t) {
            if (s != null) {
                s.close();
            }
            s = new TableStatements(conn, t);
            tables.put(t.name(), s);
        }
        return s;
    }

    /** The statement for {@code sql}, prepared on first use. */
    PreparedStatement prepared(String sql) throws SQLException {
        return prepared.prepare(sql);
    }

    /** Closes and forgets the statement for {@code sql} (it failed: sqlite-jdbc may have finalized it). */
    void forget(String sql, Exception cause) {
        closeInto(() -> prepared.forget(sql), cause);
    }

    /**
     * Closes every statement, to be prepared again on next use: sqlite-jdbc finalizes a statement whose step failed
     * with an error such as SQLITE_FULL or SQLITE_IOERR, and the kept one would fail with "statement is not executing"
     * from then on (a full disk would stop the merges for good, not just until there is space).
     */
    void forgetAll(Exception cause) {
        for (TableStatements s : tables.values()) {
            closeInto(s::close, cause);
        }
        tables.clear();
        closeInto(prepared::close, cause);
    }

    /** Closes the statements of a table that is no more. */
    void drop(String table) throws SQLException {
        TableStatements s = tables.remove(table);
        if (s != null) {
            s.close();
        }
    }

    /** Closes them all; if the connection is closed already, only forgets them (they died with it). */
    void close() throws SQLException {
        if (conn.isClosed()) {
            tables.clear();
            prepared = new Statements.OneUse(conn); // they died with the connection: nothing to close
            return;
        }
        SQLException failed = new SQLException("closing the session's statements failed");
        forgetAll(failed);
        if (failed.getSuppressed().length > 0) {
            throw (SQLException) failed.getSuppressed()[0];
        }
    }

    private interface Closer {
        void close() throws SQLException;
    }

    private static void closeInto(Closer closer, Exception cause) {
        try {
            closer.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
