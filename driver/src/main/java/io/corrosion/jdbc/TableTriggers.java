package io.corrosion.jdbc;

import io.corrosion.jdbc.intercept.Identifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes triggers again with their SQL changed, keeping the order SQLite fires them in. SQLite fires a table's triggers
 * newest first, and a trigger made again is the newest: so every trigger of a table that has one to change is made
 * again, oldest first. The driver's capture triggers, made after the application's so that they fire first, stay so.
 */
public final class TableTriggers {
    /** {@code sqlite_master} keeps a TEMP trigger's SQL as {@code CREATE TRIGGER}. */
    private static final Pattern TEMP_KEPT_AS = Pattern.compile("^CREATE\\s+TRIGGER", Pattern.CASE_INSENSITIVE);

    /** The SQL trigger {@code name} should have; the same string if it needs no change. */
    @FunctionalInterface
    public interface Rewrite {
        String of(String name, String sql) throws SQLException;
    }

    private record Trigger(String name, String table, String sql) {}

    private TableTriggers() {}

    /**
     * Makes the triggers of {@code schema} ({@code main} or {@code temp}) that {@code rewrite} changes again, with every
     * other trigger of their tables. Returns those tables.
     */
    public static List<String> remake(Connection c, String schema, Rewrite rewrite) throws SQLException {
        List<Trigger> triggers = new ArrayList<>(); // oldest first
        Map<String, String> tables = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, tbl_name, sql FROM "
                + schema + ".sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY rowid")) {
            while (rs.next()) {
                String sql = rewrite.of(rs.getString(1), rs.getString(3));
                triggers.add(new Trigger(rs.getString(1), rs.getString(2), sql));
                if (!sql.equals(rs.getString(3))) {
                    tables.put(rs.getString(2).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
        }
        triggers.removeIf(t -> !tables.containsKey(t.table().toLowerCase(Locale.ROOT)));
        try (Statement s = c.createStatement()) {
            for (Trigger t : triggers) {
                s.execute("DROP TRIGGER " + schema + "." + Identifiers.quote(t.name()));
            }
            for (Trigger t : triggers) {
                s.execute(schema.equals("temp") ? TEMP_KEPT_AS.matcher(t.sql()).replaceFirst("CREATE TEMP TRIGGER")
                        : t.sql());
            }
        }
        return List.copyOf(tables.values());
    }
}
