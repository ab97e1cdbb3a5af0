package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import java.sql.SQLException;
import java.util.List;

/** The columns of {@code crsql_changes} and how a row of them becomes a {@link Change}. */
public final class ChangeColumns {
    /** The ten columns, in cr-sqlite's order (the fork's {@code ts} last). */
    public static final List<String> NAMES =
            List.of("table", "pk", "cid", "val", "col_version", "db_version", "site_id", "cl", "seq", "ts");

    private ChangeColumns() {}

    /**
     * The change an {@code INSERT INTO crsql_changes} row makes, from its values in {@link #NAMES} order (a column the
     * statement left out is null): integers must be integers, a NULL site id is this node's, a NULL ts is "0".
     *
     * @throws SQLException SQLState 22023 when a value has the wrong type
     */
    public static Change of(Object[] v) throws SQLException {
        try {
            return new Change((String) v[0], (byte[]) v[1], String.valueOf(v[2]), v[3], asLong(v[4], "col_version"),
                    asLong(v[5], "db_version"), v[6] == null ? new byte[0] : (byte[]) v[6], asLong(v[7], "cl"),
                    asLong(v[8], "seq"), v[9] == null ? "0" : String.valueOf(v[9]));
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw CrrErrors.badChange("bad row for crsql_changes: table TEXT, pk BLOB, cid TEXT, col_version, db_version,"
                    + " cl and seq INTEGER, site_id BLOB are required (" + e.getMessage() + ")", e);
        }
    }

    private static long asLong(Object v, String column) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException(column + " must be an INTEGER, got " + SqlValues.show(v));
    }
}
