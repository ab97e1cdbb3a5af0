package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.intercept.CreateTableAsSelect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Whether the row a {@link UniqueChecks} trigger writes (NEW) or replaces (OLD) satisfies a condition over the table's
 * columns (a partial unique index's WHERE, a CHECK broken) as SQLite evaluates it on the table: the condition reads the
 * row's values as the table's columns, with their affinity and collation. {@code NEW.c} has neither, so the values are the second arm of a compound whose first arm is the table
 * (which gives the columns' affinity and collation to the compound's); {@code LIMIT -1} keeps SQLite from pushing the
 * WHERE down into the arms. SQLite drops a TEXT affinity from a compound whose other arm may hold a number, and a
 * NUMERIC one where it may hold text: a TEXT column's value goes in as {@code CAST(... AS TEXT)} (the same value: a TEXT
 * column holds text or NULL, unless it holds a blob), a number-affine one as it is. Where a TEXT column holds a blob, the
 * row's TEXT columns are read without their affinity (a blob compares the same either way; the others may not).
 */
final class WrittenRow {
    private WrittenRow() {}

    /**
     * True where the trigger's {@code row} (NEW or OLD) satisfies {@code where}, which names the table's columns bare
     * (those among {@code used}, lower case). {@code values}: the value a column (lower case) holds, where not
     * {@code <row>."c"}.
     */
    static String satisfies(Connection c, String table, String row, String where, Set<String> used,
            Map<String, String> values) throws SQLException {
        StringJoiner names = new StringJoiner(", ");
        StringJoiner raw = new StringJoiner(", ");
        StringJoiner typed = new StringJoiner(", ");
        StringJoiner blobInText = new StringJoiner(" OR ");
        // table_xinfo: generated columns too (hidden 2 and 3; 1 is a virtual table's hidden column)
        try (PreparedStatement p = c.prepareStatement(
                "SELECT name, type FROM pragma_table_xinfo(?) WHERE hidden != 1 ORDER BY cid")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String lower = rs.getString(1).toLowerCase(Locale.ROOT);
                    if (!used.contains(lower)) {
                        continue;
                    }
                    String q = Sql.ident(rs.getString(1));
                    String value = values.getOrDefault(lower, row + "." + q);
                    names.add(q);
                    raw.add(value);
                    if ("TEXT".equals(CreateTableAsSelect.tableType(rs.getString(2)))) {
                        typed.add("CAST(" + value + " AS TEXT)");
                        blobInText.add("typeof(" + value + ") = 'blob'");
                    } else {
                        typed.add(value);
                    }
                }
            }
        }
        String selected = selected(table, where, names, typed);
        return blobInText.length() == 0 ? selected
                : "(CASE WHEN " + blobInText + " THEN " + selected(table, where, names, raw) + " ELSE " + selected + " END)";
    }

    private static String selected(String table, String where, StringJoiner names, StringJoiner values) {
        String t = Sql.ident(table);
        return "EXISTS (SELECT 1 FROM (SELECT " + names + " FROM main." + t + " WHERE 0 UNION ALL SELECT " + values
                + " LIMIT -1) AS " + t + " WHERE " + where + ")";
    }
}
