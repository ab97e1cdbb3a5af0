package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.intercept.TriggerConflictRewrite;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The application's triggers (in {@code main}), made again with the brackets the driver adds at CREATE TRIGGER
 * ({@link TriggerConflictRewrite}) changed: added to the triggers of a file an earlier format made (formats 9, 12), and
 * following a table's rename.
 */
final class AppTriggers {
    private record Trigger(String name, String table, String sql) {}

    /** The SQL of trigger {@code name} as it should be; the same string if it needs no change. */
    @FunctionalInterface
    private interface Rewrite {
        String of(String sql, String name) throws SQLException;
    }

    private AppTriggers() {}

    /** Brackets the conflict clauses of the application's triggers. Returns the tables whose triggers were made again. */
    static List<String> bracketConflictClauses(Connection c) throws SQLException {
        return rewrite(c, TriggerConflictRewrite::rewrite);
    }

    /**
     * After {@code ALTER TABLE from RENAME TO to}: the brackets of body UPSERTs into the table name it in a string
     * literal, which SQLite does not rename. Returns the tables whose triggers were made again.
     */
    static List<String> renameUpsertTable(Connection c, String from, String to) throws SQLException {
        return rewrite(c, (sql, name) -> TriggerConflictRewrite.renamed(sql, from, to));
    }

    /**
     * Makes the application's triggers that {@code rewrite} changes again. SQLite fires a table's triggers newest
     * first, and a trigger made again is the newest: every application trigger of a table with one changed is made
     * again, oldest first, so they keep their order. The driver's triggers are not touched: the caller makes those of
     * the tables returned again after these, so they stay the newest and fire first.
     */
    private static List<String> rewrite(Connection c, Rewrite rewrite) throws SQLException {
        List<Trigger> triggers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, tbl_name, sql"
                + " FROM main.sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY rowid")) {
            while (rs.next()) {
                if (!TriggerConflictRewrite.isDriversOwn(rs.getString(1))) {
                    triggers.add(new Trigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        Map<String, String> tables = new LinkedHashMap<>();
        for (Trigger t : triggers) {
            if (!rewrite.of(t.sql(), t.name()).equals(t.sql())) {
                tables.put(t.table().toLowerCase(Locale.ROOT), t.table());
            }
        }
        for (Trigger t : triggers) {
            if (tables.containsKey(t.table().toLowerCase(Locale.ROOT))) {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TRIGGER main." + Sql.ident(t.name()));
                    s.execute(rewrite.of(t.sql(), t.name()));
                }
            }
        }
        return List.copyOf(tables.values());
    }
}
