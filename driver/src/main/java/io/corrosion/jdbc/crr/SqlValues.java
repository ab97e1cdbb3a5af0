package io.corrosion.jdbc.crr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SQLite values as Java objects ({@code null}, {@link Long}, {@link Double}, {@link String}, {@code byte[]})
 * and cr-sqlite's order on them ({@code crsql_compare_sqlite_values}).
 */
public final class SqlValues {
    private SqlValues() {}

    /** Accepts the usual boxed numbers and returns one of the five canonical representations. */
    public static Object normalize(Object v) {
        if (v == null || v instanceof Long || v instanceof Double || v instanceof String || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        throw new IllegalArgumentException("not a SQLite value: " + v.getClass().getName());
    }

    /** SQLite's fundamental type code: INTEGER 1, REAL 2, TEXT 3, BLOB 4, NULL 5. */
    public static int typeCode(Object v) {
        if (v == null) {
            return PackedColumns.NULL;
        } else if (v instanceof Long) {
            return PackedColumns.INTEGER;
        } else if (v instanceof Double) {
            return PackedColumns.REAL;
        } else if (v instanceof String) {
            return PackedColumns.TEXT;
        }
        return PackedColumns.BLOB;
    }

    /**
     * cr-sqlite's value order: different types order by type, NULL &lt; BLOB &lt; TEXT &lt; REAL &lt; INTEGER;
     * same types numerically, byte-wise (UTF-8) or lexicographically. Returns the sign only.
     */
    public static int compare(Object l, Object r) {
        int lt = typeCode(l);
        int rt = typeCode(r);
        if (lt != rt) {
            return Integer.signum(rt - lt);
        }
        return switch (lt) {
            case PackedColumns.INTEGER -> Long.compare((Long) l, (Long) r);
            case PackedColumns.REAL -> compareDoubles((Double) l, (Double) r);
            case PackedColumns.TEXT -> Integer.signum(Arrays.compareUnsigned(
                    ((String) l).getBytes(StandardCharsets.UTF_8), ((String) r).getBytes(StandardCharsets.UTF_8)));
            case PackedColumns.BLOB -> Integer.signum(Arrays.compareUnsigned((byte[]) l, (byte[]) r));
            default -> 0;
        };
    }

    private static int compareDoubles(double l, double r) {
        if (Double.isNaN(l) || Double.isNaN(r)) {
            return Long.compare(Double.doubleToRawLongBits(l), Double.doubleToRawLongBits(r));
        }
        return l < r ? -1 : (l > r ? 1 : 0);
    }

    /** Value equality as SQLite stores them (arrays by content). */
    public static boolean same(Object l, Object r) {
        return typeCode(l) == typeCode(r) && compare(l, r) == 0;
    }

    public static int hash(Object v) {
        return v instanceof byte[] b ? Arrays.hashCode(b) : java.util.Objects.hashCode(v);
    }

    public static String hex(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().withUpperCase().formatHex(bytes);
    }

    public static String show(Object v) {
        if (v instanceof byte[] b) {
            return "x'" + hex(b) + "'";
        } else if (v instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }
}
