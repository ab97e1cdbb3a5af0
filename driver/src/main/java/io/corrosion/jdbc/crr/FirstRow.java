package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the first row of a query on sqlite-jdbc's own prepared statement without a {@link java.sql.ResultSet}: every
 * {@code executeQuery} of sqlite-jdbc fetches the names of all result columns through JNI, one Java string each, before
 * the first row is read (its result set forgets them when closed). For the merge's clock record (26 columns for a table
 * of 4) that was ~4.5 µs of the ~5.3 µs a lookup took, a third of a merged row (measured with async-profiler, 2 cores).
 * {@link Direct} binds the parameters, steps once, reads the columns the caller asks for and resets the statement,
 * through the public {@code org.sqlite.core} calls {@code executeQuery} itself makes. Those are sqlite-jdbc's internals:
 * with a version that lacks them (an application's dependency management may choose another sqlite-jdbc than the one
 * this driver is built with) the reads go through a ResultSet as before, slower, and the driver says so once at INFO.
 */
final class FirstRow {
    private static final Logger LOG = LoggerFactory.getLogger(FirstRow.class);

    /**
     * The columns of the current row, by 0-based index, as SQLite's {@code sqlite3_column_*} see them (type codes as in
     * {@link PackedColumns}: SQLite's fundamental types).
     */
    interface Columns {
        boolean isNull(int col) throws SQLException;

        long getLong(int col) throws SQLException;

        /** The column's value as {@link SqlValues} holds one: null, Long, Double, String or byte[]. */
        Object getObject(int col) throws SQLException;

        /** The column as text (a number as SQLite prints it), or null. */
        String getString(int col) throws SQLException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(Columns row) throws SQLException;
    }

    /** Whether this sqlite-jdbc has the calls {@link Direct} makes (checked by name, before its class is loaded). */
    static final boolean DIRECT_AVAILABLE = directAvailable();

    private FirstRow() {}

    /**
     * Runs {@code query} (a statement of sqlite-jdbc's, from {@link java.sql.Connection#prepareStatement} on a
     * {@link org.sqlite.SQLiteConnection}) with {@code params} bound in order; {@code reader} reads its first row, or the
     * result is {@code none} if it has none.
     */
    static <T> T read(PreparedStatement query, Object[] params, Reader<T> reader, T none) throws SQLException {
        return read(query, params, reader, none, DIRECT_AVAILABLE);
    }

    /** {@link #read}, directly or through a ResultSet (tests run both). */
    static <T> T read(PreparedStatement query, Object[] params, Reader<T> reader, T none, boolean direct)
            throws SQLException {
        return direct ? Direct.read(query, params, reader, none) : viaResultSet(query, params, reader, none);
    }

    private static <T> T viaResultSet(PreparedStatement query, Object[] params, Reader<T> reader, T none)
            throws SQLException {
        for (int i = 0; i < params.length; i++) {
            query.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                return none;
            }
            return reader.read(new Columns() {
                @Override
                public boolean isNull(int col) throws SQLException {
                    return rs.getObject(col + 1) == null;
                }

                @Override
                public long getLong(int col) throws SQLException {
                    return rs.getLong(col + 1);
                }

                @Override
                public Object getObject(int col) throws SQLException {
                    return SqlValues.normalize(rs.getObject(col + 1));
                }

                @Override
                public String getString(int col) throws SQLException {
                    return rs.getString(col + 1);
                }
            });
        }
    }

    private static boolean directAvailable() {
        try {
            Class<?> statement = Class.forName("org.sqlite.core.CoreStatement");
            Class<?> db = Class.forName("org.sqlite.core.DB");
            Class<?> pointer = Class.forName("org.sqlite.core.SafeStmtPtr");
            pointer.getMethod("safeRun", Class.forName("org.sqlite.core.SafeStmtPtr$SafePtrFunction"));
            pointer.getMethod("safeRunConsume", Class.forName("org.sqlite.core.SafeStmtPtr$SafePtrConsumer"));
            for (String column : new String[] {"column_type", "column_long", "column_double", "column_text", "column_blob"}) {
                db.getMethod(column, long.class, int.class);
            }
            db.getMethod("reset", long.class);
            if (statement.getField("pointer").getType() == pointer
                    && db.getMethod("execute", statement, Object[].class).getReturnType() == boolean.class) {
                return true;
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("sqlite-jdbc's statement internals are not as expected", e);
        }
        LOG.info("The sqlite-jdbc on the class path lacks the statement calls corrosion-jdbc reads merged rows with;"
                + " reading them through ResultSets instead (slower merges). Use the sqlite-jdbc version corrosion-jdbc"
                + " depends on.");
        return false;
    }

    /** The reads through {@code org.sqlite.core}; loaded only when {@link #DIRECT_AVAILABLE}. */
    private static final class Direct {
        private Direct() {}

        static <T> T read(PreparedStatement query, Object[] params, Reader<T> reader, T none) throws SQLException {
            org.sqlite.core.CoreStatement s = (org.sqlite.core.CoreStatement) query;
            org.sqlite.core.DB db = s.getDatabase();
            s.pointer.safeRunConsume(org.sqlite.core.DB::reset);
            try {
                if (!db.execute(s, params)) {
                    return none;
                }
                return s.pointer.safeRun((d, stmt) -> reader.read(new Row(d, stmt)));
            } finally {
                s.pointer.safeRunConsume(org.sqlite.core.DB::reset);
            }
        }

        private record Row(org.sqlite.core.DB db, long stmt) implements Columns {
            @Override
            public boolean isNull(int col) throws SQLException {
                return db.column_type(stmt, col) == PackedColumns.NULL;
            }

            @Override
            public long getLong(int col) throws SQLException {
                return db.column_long(stmt, col);
            }

            @Override
            public Object getObject(int col) throws SQLException {
                return switch (db.column_type(stmt, col)) {
                    case PackedColumns.INTEGER -> db.column_long(stmt, col);
                    case PackedColumns.REAL -> db.column_double(stmt, col);
                    case PackedColumns.BLOB -> db.column_blob(stmt, col);
                    case PackedColumns.NULL -> null;
                    default -> db.column_text(stmt, col);
                };
            }

            @Override
            public String getString(int col) throws SQLException {
                return isNull(col) ? null : db.column_text(stmt, col);
            }
        }
    }
}
