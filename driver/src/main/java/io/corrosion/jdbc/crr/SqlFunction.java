package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import org.sqlite.Function;

/** A per-connection SQL function written as a lambda over its arguments. */
final class SqlFunction extends Function {
    interface Body {
        Object call(Object[] args) throws SQLException;
    }

    private static final Object[] NO_ARGS = new Object[0];

    private final Body body;
    /** Fixed argument count, or -1: saves a JNI call per invocation (functions run once per captured row). */
    private final int nArgs;
    /** How many leading arguments are always integers (literals of the calling SQL): read without asking their type. */
    private final int longArgs;

    private SqlFunction(Body body, int nArgs, int longArgs) {
        this.body = body;
        this.nArgs = nArgs;
        this.longArgs = longArgs;
    }

    static void register(java.sql.Connection conn, String name, int nArgs, boolean deterministic, Body body) throws SQLException {
        register(conn, name, nArgs, 0, deterministic, body);
    }

    /** A function whose first {@code longArgs} arguments are always integers: each of them costs one JNI call, not two. */
    static void register(java.sql.Connection conn, String name, int nArgs, int longArgs, boolean deterministic, Body body)
            throws SQLException {
        Function.create(conn, name, new SqlFunction(body, nArgs, longArgs), nArgs,
                deterministic ? Function.FLAG_DETERMINISTIC : 0);
    }

    @Override
    protected void xFunc() throws SQLException {
        int n = nArgs >= 0 ? nArgs : args();
        Object[] args = n == 0 ? NO_ARGS : new Object[n];
        for (int i = 0; i < longArgs; i++) {
            args[i] = value_long(i);
        }
        for (int i = longArgs; i < args.length; i++) {
            args[i] = switch (value_type(i)) {
                case 1 -> value_long(i);
                case 2 -> value_double(i);
                case 3 -> value_text(i);
                case 4 -> {
                    byte[] b = value_blob(i);
                    yield b == null ? new byte[0] : b; // sqlite-jdbc hands an empty blob over as null
                }
                default -> null;
            };
        }
        Object r;
        try {
            r = body.call(args);
        } catch (SQLException e) {
            throw withStateInMessage(e);
        }
        if (r == null) {
            result();
        } else if (r instanceof Long l) {
            result(l);
        } else if (r instanceof Integer i) {
            result(i);
        } else if (r instanceof Boolean b) {
            result(b ? 1 : 0);
        } else if (r instanceof Double d) {
            result(d);
        } else if (r instanceof String s) {
            result(s);
        } else {
            result((byte[]) r);
        }
    }

    /**
     * SQLite passes on only the text of a function's error, as an SQLITE_ERROR: the SQLState goes into the text, where
     * the driver's error translation finds it again ({@code io.corrosion.jdbc.SqlErrors}).
     */
    static SQLException withStateInMessage(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (e.getSQLState() == null || message.contains("(SQLSTATE ")) {
            return e;
        }
        return new SQLException(message + " (SQLSTATE " + e.getSQLState() + ")", e.getSQLState(), e);
    }
}
