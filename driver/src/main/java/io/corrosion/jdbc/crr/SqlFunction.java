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

    private SqlFunction(Body body, int nArgs) {
        this.body = body;
        this.nArgs = nArgs;
    }

    static void register(java.sql.Connection conn, String name, int nArgs, boolean deterministic, Body body) throws SQLException {
        Function.create(conn, name, new SqlFunction(body, nArgs), nArgs, deterministic ? Function.FLAG_DETERMINISTIC : 0);
    }

    @Override
    protected void xFunc() throws SQLException {
        int n = nArgs >= 0 ? nArgs : args();
        Object[] args = n == 0 ? NO_ARGS : new Object[n];
        for (int i = 0; i < args.length; i++) {
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
        Object r = body.call(args);
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
}
