package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.intercept.RowidKeyDdl;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Which tables have a single integer key, read from the schema ({@code pragma_table_xinfo}, and
 * {@code sqlite_master.sql} for the declared type a rewrite kept) and cached per file until the next DDL statement the
 * driver sees.
 */
final class KeyTables {
    private final Map<String, Optional<TableKey>> cache = new ConcurrentHashMap<>();

    Optional<TableKey> lookup(SQLiteConnection c, String table) throws SQLException {
        String name = table.toLowerCase(Locale.ROOT);
        Optional<TableKey> key = cache.get(name);
        if (key == null) {
            key = read(c, table);
            cache.put(name, key);
        }
        return key;
    }

    void invalidate() {
        cache.clear();
    }

    private static Optional<TableKey> read(SQLiteConnection c, String table) throws SQLException {
        String column = null;
        String type = null;
        String declaredName = table;
        int position = -1;
        int insertable = 0;
        int keyColumns = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, type, pk, hidden FROM pragma_table_xinfo(?, 'main') ORDER BY cid")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int hidden = rs.getInt(4);
                    if (rs.getInt(3) > 0) {
                        keyColumns++;
                        column = rs.getString(1);
                        type = rs.getString(2);
                        position = hidden == 0 ? insertable : -1;
                    }
                    if (hidden == 0) {
                        insertable++;
                    }
                }
            }
        }
        if (keyColumns != 1 || position < 0) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty(); // a view
                }
                declaredName = rs.getString(1);
                type = RowidKeyDdl.declaredKeyTypes(rs.getString(2)).getOrDefault(column.toLowerCase(Locale.ROOT), type);
            }
        }
        if (!RowidKeyDdl.isIntegerLike(type)) {
            return Optional.empty();
        }
        return Optional.of(new TableKey(declaredName, column, position, insertable, type));
    }
}
