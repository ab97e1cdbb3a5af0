package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.intercept.TriggerConflictRewrite;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The application's triggers of a file an earlier format made: their body statements with a conflict clause get the
 * brackets the driver adds at CREATE TRIGGER now ({@link TriggerConflictRewrite}), so that the UNIQUE checks see
 * those clauses (format 9).
 */
final class AppTriggers {
    private record Trigger(String name, String table, String sql) {}

    private AppTriggers() {}

    /**
     * Rewrites the application's triggers that need the brackets. SQLite fires a table's triggers newest first, and a
     * trigger made again is the newest: every application trigger of a table with one rewritten is made again, oldest
     * first, so they keep their order. The driver's triggers are not touched here; the format change makes them again
     * after these, so they stay the newest and fire first. Returns the tables whose triggers were made again.
     */
    static Set<String> bracketConflictClauses(Connection c) throws SQLException {
        List<Trigger> triggers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, tbl_name, sql"
                + " FROM main.sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY rowid")) {
            while (rs.next()) {
                if (!TriggerConflictRewrite.isDriversOwn(rs.getString(1))) {
                    triggers.add(new Trigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        Set<String> tables = new HashSet<>();
        for (Trigger t : triggers) {
            if (!TriggerConflictRewrite.rewrite(t.sql()).equals(t.sql())) {
                tables.add(t.table().toLowerCase(Locale.ROOT));
            }
        }
        for (Trigger t : triggers) {
            if (tables.contains(t.table().toLowerCase(Locale.ROOT))) {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TRIGGER main." + Sql.ident(t.name()));
                    s.execute(TriggerConflictRewrite.rewrite(t.sql()));
                }
            }
        }
        return tables;
    }
}
