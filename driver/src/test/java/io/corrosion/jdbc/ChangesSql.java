package io.corrosion.jdbc;

import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/** Changes written as SQL, as a sync script writes an {@code INSERT INTO crsql_changes}. */
public final class ChangesSql {
    /** cr-sqlite's nine columns, without the fork's {@code ts}. */
    public static final String NINE_COLUMNS = "(\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq)";

    private ChangesSql() {}

    /** One multi-row INSERT with literal values of cr-sqlite's nine columns. */
    public static String insert(List<Change> changes) {
        StringJoiner rows = new StringJoiner(", ", "INSERT INTO crsql_changes " + NINE_COLUMNS + " VALUES ", "");
        for (Change ch : changes) {
            rows.add(nine(ch));
        }
        return rows.toString();
    }

    /** The change's values of cr-sqlite's nine columns as a VALUES row. */
    public static String nine(Change ch) {
        return "(" + String.join(", ", literal(ch.table()), literal(ch.pk()), literal(ch.cid()), literal(ch.val()),
                literal(ch.colVersion()), literal(ch.dbVersion()), literal(ch.siteId()), literal(ch.cl()),
                literal(ch.seq())) + ")";
    }

    /** The change's values of all ten columns of {@code crsql_changes}, in its order, as a VALUES row. */
    public static String ten(Change ch) {
        return nine(ch).replaceFirst("\\)$", ", " + literal(ch.ts()) + ")");
    }

    public static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return "x'" + HexFormat.of().formatHex(b) + "'";
        }
        if (v instanceof String t) {
            return "'" + t.replace("'", "''") + "'";
        }
        return v.toString();
    }
}
