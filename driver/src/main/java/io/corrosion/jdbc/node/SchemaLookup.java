package io.corrosion.jdbc.node;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lookups in the file's own schema ({@code main}, never a TEMP table of the same name) for {@link SchemaStatements}:
 * names as the schema spells them, columns, free index names.
 */
final class SchemaLookup {
    private SchemaLookup() {}

    /**
     * {@code name}, or {@code name_2}, {@code name_3}, ... if another table has an index of that name: index names are
     * global in SQLite, and a UNIQUE constraint's index is not. A table rebuilt as {@code t_new} and renamed to
     * {@code t} keeps the index it got as {@code t_new}; the next rebuild's {@code t_new} must not take that one over
     * (the DROP of {@code t} would take it away).
     */
    static String freeIndexName(NodeConnection c, String table, String name) throws SQLException {
        String free = name;
        for (int n = 2; ; n++) {
            String owner = indexTable(c, free);
            if (owner == null || owner.equalsIgnoreCase(table)) {
                return free;
            }
            free = name + "_" + n;
        }
    }

    private static String indexTable(NodeConnection c, String index) throws SQLException {
        return schemaName(c, "SELECT tbl_name FROM main.sqlite_master WHERE type = 'index' AND name = ? COLLATE NOCASE",
                index);
    }

    /** The table's columns, lower-cased. */
    static List<String> columns(NodeConnection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement p = c.raw.prepareStatement("SELECT lower(name) FROM pragma_table_info(?, 'main')")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    /** The table's name as the schema spells it; null if there is no such table in the file. */
    static String tableName(NodeConnection c, String table) throws SQLException {
        return schemaName(c, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
                table);
    }

    /** The index's name as the schema spells it; null if there is no such index in the file. */
    static String indexName(NodeConnection c, String index) throws SQLException {
        return schemaName(c, "SELECT name FROM main.sqlite_master WHERE type = 'index' AND name = ? COLLATE NOCASE",
                index);
    }

    /** The first column of the first row {@code query} gives for {@code name}; null for none. */
    private static String schemaName(NodeConnection c, String query, String name) throws SQLException {
        try (PreparedStatement p = c.raw.prepareStatement(query)) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
