package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * Reads the first row of a query on sqlite-jdbc's own prepared statement without a {@link java.sql.ResultSet}: every
 * {@code executeQuery} of sqlite-jdbc fetches the names of all result columns through JNI, one Java string each, before
 * the first row is read (its result set forgets them when closed). For the merge's clock record (26 columns for a table
 * of 4) that was ~4.5 µs of the ~5.3 µs a lookup took, a third of a merged row (measured with async-profiler, 2 cores).
 * This binds the parameters, steps once, reads the columns the caller asks for and resets the statement, through the
 * public {@code org.sqlite.core} calls {@code executeQuery} itself uses (sqlite-jdbc is pinned, see the parent pom).
 */
final class FirstRow {
    /** The columns of the current row, by 0-based index, as SQLite's {@code sqlite3_column_*} see them. */
    static final class Columns {
        private final DB db;
        private final long stmt;

        private Columns(DB db, long stmt) {
            this.db = db;
            this.stmt = stmt;
        }

        boolean isNull(int col) throws SQLException {
            return db.column_type(stmt, col) == SQLITE_NULL;
        }

        long getLong(int col) throws SQLException {
            return db.column_long(stmt, col);
        }

        /** The column's value as {@link SqlValues} holds one: null, Long, Double, String or byte[]. */
        Object getObject(int col) throws SQLException {
            return switch (db.column_type(stmt, col)) {
                case SQLITE_INTEGER -> db.column_long(stmt, col);
                case SQLITE_FLOAT -> db.column_double(stmt, col);
                case SQLITE_BLOB -> db.column_blob(stmt, col);
                case SQLITE_NULL -> null;
                default -> db.column_text(stmt, col);
            };
        }

        /** The column as text (a number as SQLite prints it), or null. */
        String getString(int col) throws SQLException {
            return isNull(col) ? null : db.column_text(stmt, col);
        }
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(Columns row) throws SQLException;
    }

    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_BLOB = 4;
    private static final int SQLITE_NULL = 5;

    private FirstRow() {}

    /**
     * Runs {@code query} (a statement of sqlite-jdbc's, from {@link java.sql.Connection#prepareStatement} on a
     * {@link org.sqlite.SQLiteConnection}) with {@code params} bound in order; {@code reader} reads its first row, or the
     * result is {@code none} if it has none.
     */
    static <T> T read(PreparedStatement query, Object[] params, Reader<T> reader, T none) throws SQLException {
        CoreStatement s = (CoreStatement) query;
        DB db = s.getDatabase();
        s.pointer.safeRunConsume(DB::reset);
        try {
            if (!db.execute(s, params)) {
                return none;
            }
            return s.pointer.safeRun((d, stmt) -> reader.read(new Columns(d, stmt)));
        } finally {
            s.pointer.safeRunConsume(DB::reset);
        }
    }
}
