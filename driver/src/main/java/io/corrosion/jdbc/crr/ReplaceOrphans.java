package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.intercept.ForeignKeyClauses;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Hands the statement that runs a UNIQUE check's REPLACE the foreign-key violations its deletes take away. SQLite
 * counts the immediate violations of a statement (a row whose parent is missing: +1 when written, -1 when deleted) and
 * fails it if some are left at its end; so a REPLACE may take away a row the same statement wrote without a parent, as
 * {@code INSERT OR REPLACE} over a UNIQUE does in plain SQLite. {@link ReplaceDeletes} deletes in a statement of its
 * own, whose count is its own: the statement that wrote the row would fail. So, for each row it deletes that has
 * missing parents, it first adds as many rows with {@code ref} NULL to {@value #TABLE} (a table whose {@code ref}
 * refers to its own {@code id}, and never holds an id 0); a BEFORE DELETE trigger of the table sets their {@code ref}
 * to 0 in the delete's statement, where each missing parent now counts +1, before the row's delete counts -1 for each
 * of its own (SQLite takes one off only while the count is above 0: a statement that has none cannot go below); the
 * check's body deletes them in the writing statement, where each counts -1, as the row's delete would have there.
 * Only immediate keys count so (deferred ones are counted per transaction, the same for both statements), and only
 * with {@code foreign_keys} on. Not handed over: the rows that cascades of the delete take away.
 */
final class ReplaceOrphans {
    static final String TABLE = "__corrosion_fk_owed";
    static final String TRIGGER_SUFFIX = "__corrosion_uq_del";

    private ReplaceOrphans() {}

    static String create() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INTEGER PRIMARY KEY, ref INTEGER REFERENCES " + TABLE + " (id))";
    }

    /** The trigger, beside the checks of {@code index}, that turns the rows owed into missing parents in the delete. */
    static String createTrigger(String table, String index) {
        return "CREATE TRIGGER IF NOT EXISTS " + Sql.ident(index + TRIGGER_SUFFIX) + " BEFORE DELETE ON " + Sql.ident(table)
                + " BEGIN UPDATE " + TABLE + " SET ref = 0 WHERE ref IS NULL; END";
    }

    /** The statement of a check's body, after the REPLACE's deletes, that counts them against its statement. */
    static String settle() {
        return "DELETE FROM " + TABLE;
    }

    /**
     * A query of how many immediate foreign keys of the row of {@code table} with the key bound to it have no parent
     * row (no row: 0); null if none can (no such key, or {@code foreign_keys} off). A key whose parent table or parent
     * key SQLite cannot find is left out: the delete fails on it.
     */
    static String query(Connection c, String table, List<String> pk) throws SQLException {
        if (!foreignKeysOn(c)) {
            return null;
        }
        StringJoiner sum = new StringJoiner(" + ");
        for (ForeignKey key : immediateKeys(c, table)) {
            String term = orphan(c, key);
            if (term != null) {
                sum.add(term);
            }
        }
        return sum.length() == 0 ? null : "SELECT " + sum + " FROM main." + Sql.ident(table) + " AS corrosion_child WHERE "
                + Sql.pkMatch(pk, "corrosion_child.");
    }

    /**
     * An immediate foreign key of a table: the parent table, the child's columns, the parent's (a null among them: the
     * parent's primary key), and its ON DELETE action as {@code pragma_foreign_key_list} writes it.
     */
    record ForeignKey(String parent, List<String> from, List<String> to, String onDelete) {}

    /** The immediate foreign keys of {@code table} (deferred ones SQLite counts per transaction). */
    static List<ForeignKey> immediateKeys(Connection c, String table) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, \"table\", \"from\", \"to\", on_delete"
                + " FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) == keys.size()) {
                        keys.add(new ForeignKey(rs.getString(2), new ArrayList<>(), new ArrayList<>(), rs.getString(5)));
                    }
                    keys.get(rs.getInt(1)).from().add(rs.getString(3));
                    keys.get(rs.getInt(1)).to().add(rs.getString(4));
                }
            }
        }
        String sql = tableSql(c, table);
        List<Boolean> deferred = ForeignKeyClauses.deferred(sql == null ? "" : sql);
        List<ForeignKey> immediate = new ArrayList<>();
        for (int id = 0; id < keys.size(); id++) {
            int written = keys.size() - 1 - id; // pragma_foreign_key_list numbers the clauses last written first
            if (deferred.size() != keys.size() || !deferred.get(written)) {
                immediate.add(keys.get(id));
            }
        }
        return immediate;
    }

    /** The columns of the parent that {@code key} refers to, or null if SQLite cannot find the parent table. */
    static List<String> parentColumns(Connection c, ForeignKey key) throws SQLException {
        if (tableSql(c, key.parent()) == null) {
            return null;
        }
        // no parent columns named: the parent's primary key, as SQLite takes it
        return key.to().contains(null) ? CrrCatalog.pkColumns(c, key.parent()) : key.to();
    }

    /** How many rows {@code query} (bound to a key) says the row owes. */
    static int owed(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Adds the rows for a row's missing parents before it is deleted. */
    static void owe(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < rows; i++) {
                s.execute("INSERT INTO " + TABLE + " (ref) VALUES (NULL)");
            }
        }
    }

    /** After the delete: takes away the rows it did not turn (it deleted nothing, or failed), which count nothing. */
    static void clearUnturned(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + TABLE + " WHERE ref IS NULL");
        }
    }

    /**
     * {@code 1 when the child columns are all set and no parent row matches, else 0}: the parent column's affinity on
     * the child's value ({@code +} takes the child column's away) and its collation, as SQLite looks a parent up.
     */
    private static String orphan(Connection c, ForeignKey key) throws SQLException {
        List<String> to = parentColumns(c, key);
        if (to == null || to.size() != key.from().size()) {
            return null;
        }
        StringJoiner set = new StringJoiner(" AND ");
        StringJoiner match = new StringJoiner(" AND ");
        for (int i = 0; i < to.size(); i++) {
            String child = "corrosion_child." + Sql.ident(key.from().get(i));
            set.add(child + " IS NOT NULL");
            match.add("corrosion_parent." + Sql.ident(to.get(i)) + " = +" + child);
        }
        return "(CASE WHEN " + set + " AND NOT EXISTS (SELECT 1 FROM main." + Sql.ident(key.parent()) + " AS corrosion_parent WHERE "
                + match + ") THEN 1 ELSE 0 END)";
    }

    static boolean foreignKeysOn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /** The CREATE TABLE of {@code table} (any case, as SQLite finds a parent), or null if there is no such table. */
    static String tableSql(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT sql FROM main.sqlite_master WHERE type = 'table'"
                + " AND name = ? COLLATE NOCASE")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
