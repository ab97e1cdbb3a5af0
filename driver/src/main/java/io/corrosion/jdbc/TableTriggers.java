package io.corrosion.jdbc;

import io.corrosion.jdbc.intercept.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * The order SQLite fires a table's triggers in: newest first, and a trigger made again is the newest. Triggers made
 * again with their SQL changed keep their order ({@link #remake}: every trigger of a table that has one to change is
 * made again, oldest first); and a table's triggers are put in an order of ranks ({@link #sort}), as the CRR engine
 * wants its own around the application's.
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
     * Puts the triggers of the {@code main} table {@code table} in the order of {@code rank} (lower ranks older, so
     * fired later), keeping the order of those of one rank: the triggers from the first one out of place on are made
     * again. Returns whether any was.
     */
    public static boolean sort(Connection c, String table, ToIntFunction<String> rank) throws SQLException {
        List<Trigger> triggers = new ArrayList<>(); // oldest first
        try (PreparedStatement p = c.prepareStatement("SELECT name, tbl_name, sql FROM main.sqlite_master"
                + " WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL ORDER BY rowid")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new Trigger(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        List<Trigger> sorted = new ArrayList<>(triggers);
        sorted.sort(Comparator.comparingInt(t -> rank.applyAsInt(t.name())));
        int first = 0;
        while (first < sorted.size() && sorted.get(first).equals(triggers.get(first))) {
            first++;
        }
        if (first == sorted.size()) {
            return false;
        }
        make(c, "main", sorted.subList(first, sorted.size()));
        return true;
    }

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
        make(c, schema, triggers);
        return List.copyOf(tables.values());
    }

    /** Drops the triggers, then creates them with their SQL, in this order: the last is the newest. */
    private static void make(Connection c, String schema, List<Trigger> triggers) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Trigger t : triggers) {
                s.execute("DROP TRIGGER " + schema + "." + Identifiers.quote(t.name()));
            }
            for (Trigger t : triggers) {
                s.execute(schema.equals("temp") ? TEMP_KEPT_AS.matcher(t.sql()).replaceFirst("CREATE TEMP TRIGGER")
                        : t.sql());
            }
        }
    }
}
