package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.intercept.Identifiers;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/** Reads of the committed counters ({@value Reservations#TABLE}) and of the keys already in a table. */
final class CounterStore {
    /** Marks a copy of a node with a configured slot: that slot ({@code next}), for the node started from it. */
    static final String COPIED_FROM_SLOT = "copied-from-slot";
    /** How far ahead of a table's keys a counter starts that the node has not persisted yet ({@code next}). */
    static final String KEY_SKIP = "key-skip";

    private CounterStore() {}

    /** The persisted {next, step} of a counter; null if the node never persisted it. */
    static long[] read(SQLiteConnection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT next, step FROM " + Reservations.TABLE + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    /**
     * The first counter of {@code slot} above every key of that slot already in the table (rows inserted before the
     * driver, or keys the application supplied) up to {@code maxId}; 0 for a table without any; null if {@code c} does
     * not see the table. Scans the table: runs once per table and node, when the node has no counter for it yet.
     */
    static Long firstFreeCounter(SQLiteConnection c, String table, String keyColumn, int slot, long maxId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
            }
        }
        String k = Identifiers.quote(keyColumn);
        String sql = "SELECT max(" + k + ") FROM main." + Identifiers.quote(table) + " WHERE typeof(" + k
                + ") = 'integer' AND " + k + " BETWEEN 1 AND " + maxId + " AND (" + k + " - 1) % " + IdScheme.SLOTS
                + " = " + slot;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            long max = rs.next() ? rs.getLong(1) : 0;
            return max < 1 ? 0 : IdScheme.counterOf(max) + 1;
        }
    }
}
