package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Hands the statement that runs a UNIQUE check's REPLACE the foreign-key violations its deletes make: the rows whose
 * immediate {@code NO ACTION} key refers to a deleted row. SQLite counts +1 in the writing statement for each such
 * child when the REPLACE deletes its parent, and -1 for each when a later row of the same statement writes the parent
 * key again, so {@code REPLACE INTO t VALUES (5, 'a'), (0, 'b')}, whose {@code 'a'} takes row 0 away, ends with none
 * left. {@link ReplaceDeletes} deletes in a statement of its own, which would end with the children counted and fail.
 *
 * <p>So before the delete, {@code crsql_internal_replace_lend} (in the check's body, over the same rows) adds to
 * {@value ReplaceOrphans#TABLE} a row {@link #LENDER} that refers to itself and one row that refers to it for each such
 * child. The check's body deletes the row {@link #LENDER} in the writing statement: its rows are left without their
 * parent, +1 each there. The trigger after each delete of the table ({@link #createTrigger}) deletes them in the
 * delete's statement, -1 each after its +1 for each child (SQLite takes one off only while the count is above 0): the
 * delete's statement ends with what else it counted, the writing statement with the children. Rows a delete did not
 * take (it deleted nothing) are taken by the check's settling {@code DELETE}, in the writing statement, which takes
 * their count back. Counted as SQLite counts them: the parent's affinity and collation, the row itself left out of a
 * key of its own table. Keys with other actions are not lent: CASCADE and SET NULL take back in the delete's statement
 * what they count there, RESTRICT fails the delete as it fails SQLite's.
 */
final class ReplaceChildren {
    static final String TRIGGER_SUFFIX = "__corrosion_uq_lent";
    /** The id of the row the lent rows refer to: far above the ids the table gives its other rows (never 0). */
    static final long LENDER = 1L << 62;

    private ReplaceChildren() {}

    /** The trigger, beside the checks of {@code index}, that takes the lent rows in the delete's statement. */
    static String createTrigger(String table, String index) {
        return "CREATE TRIGGER IF NOT EXISTS " + Sql.ident(index + TRIGGER_SUFFIX) + " AFTER DELETE ON " + Sql.ident(table)
                + " BEGIN DELETE FROM " + ReplaceOrphans.TABLE + " WHERE ref = " + LENDER + "; END";
    }

    /** The statement of a check's body, after the lending and before the REPLACE's deletes, that counts the lent rows. */
    static String count() {
        return "DELETE FROM " + ReplaceOrphans.TABLE + " WHERE id = " + LENDER;
    }

    /** Lends a row for each child that deleting the rows of a table with these (packed) keys leaves without it. */
    static void lend(Connection c, ReplaceQueries.Queries queries, List<byte[]> packedKeys) throws SQLException {
        String query = queries.children();
        if (query == null) {
            return;
        }
        int rows = 0;
        try (PreparedStatement p = c.prepareStatement(query)) {
            for (byte[] packed : packedKeys) {
                List<Object> values = PackedColumns.unpack(packed);
                for (int i = 0; i < values.size(); i++) {
                    p.setObject(i + 1, values.get(i));
                }
                rows += ReplaceOrphans.owed(p);
            }
        }
        if (rows == 0) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("INSERT OR REPLACE INTO " + ReplaceOrphans.TABLE + " (id, ref) VALUES (" + LENDER + ", " + LENDER + ")");
            s.execute("WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ")"
                    + " INSERT INTO " + ReplaceOrphans.TABLE + " (ref) SELECT " + LENDER + " FROM n");
        }
    }

    /**
     * A query of how many rows, by the immediate NO ACTION keys of the file's tables, refer to the row of {@code table}
     * with the key bound to it; null if none can (no such key, or {@code foreign_keys} off).
     */
    static String query(Connection c, String table, List<String> pk) throws SQLException {
        if (!ReplaceOrphans.foreignKeysOn(c)) {
            return null;
        }
        StringJoiner sum = new StringJoiner(" + ");
        for (String child : childTables(c, table)) {
            for (ReplaceOrphans.ForeignKey key : ReplaceOrphans.immediateKeys(c, child)) {
                if (key.parent().equalsIgnoreCase(table) && "NO ACTION".equalsIgnoreCase(key.onDelete())) {
                    String term = children(c, table, pk, child, key);
                    if (term != null) {
                        sum.add(term);
                    }
                }
            }
        }
        return sum.length() == 0 ? null : "SELECT " + sum + " FROM main." + Sql.ident(table) + " AS corrosion_parent WHERE "
                + Sql.pkMatch(pk, "corrosion_parent.");
    }

    /** The tables of the file with a foreign key to {@code table}. */
    private static List<String> childTables(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT m.name FROM main.sqlite_master AS m,"
                + " pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE"
                + " ORDER BY m.name")) {
            p.setString(1, table);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    /**
     * {@code (SELECT count(*) FROM child WHERE parent.to = child.from ...)}: the parent's column on the left, for its
     * affinity and collation, as SQLite scans for children; a row of the table's own is not its own child.
     */
    private static String children(Connection c, String table, List<String> pk, String child,
            ReplaceOrphans.ForeignKey key) throws SQLException {
        List<String> to = ReplaceOrphans.parentColumns(c, key);
        if (to == null || to.size() != key.from().size()) {
            return null;
        }
        StringJoiner match = new StringJoiner(" AND ");
        for (int i = 0; i < to.size(); i++) {
            match.add("corrosion_parent." + Sql.ident(to.get(i)) + " = corrosion_child." + Sql.ident(key.from().get(i)));
        }
        if (child.toLowerCase(Locale.ROOT).equals(table.toLowerCase(Locale.ROOT))) {
            StringJoiner self = new StringJoiner(" AND ");
            for (String column : pk) {
                self.add("corrosion_child." + Sql.ident(column) + " IS corrosion_parent." + Sql.ident(column));
            }
            match.add("NOT (" + self + ")");
        }
        return "(SELECT count(*) FROM main." + Sql.ident(child) + " AS corrosion_child WHERE " + match + ")";
    }
}
