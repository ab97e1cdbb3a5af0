package io.corrosion.jdbc.chaos;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.crr.SqlValues;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node's replicated data after a run: each table's rows keyed by packed primary key (column name to value), and
 * the whole of {@code crsql_changes}. Values are canonical ({@link SqlValues#normalize}); BLOBs compare by content.
 */
public record ReplicaState(String node, Map<String, Map<String, Map<String, Object>>> tables, List<Change> changes) {

    /** A table the checker looks at: its name and primary-key columns in PRIMARY KEY order. */
    public record Table(String name, List<String> pkColumns) {
    }

    /**
     * Reads a node's state of {@code tables} on a connection that has the CRR engine attached ({@code crsql_changes}
     * exists); other tables' clock entries are left out.
     */
    public static ReplicaState read(String node, Connection conn, List<Table> tables) throws SQLException {
        Map<String, Map<String, Map<String, Object>>> rows = new TreeMap<>();
        for (Table t : tables) {
            Map<String, Map<String, Object>> byPk = new TreeMap<>();
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + t.name() + "\"")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnName(i), SqlValues.normalize(rs.getObject(i)));
                    }
                    List<Object> pk = new ArrayList<>();
                    t.pkColumns().forEach(c -> pk.add(row.get(c)));
                    t.pkColumns().forEach(row::remove);
                    byPk.put(pkKey(PackedColumns.pack(pk)), row);
                }
            }
            rows.put(t.name(), byPk);
        }
        List<Change> changes = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT \"table\", pk, cid, val,"
                + " col_version, db_version, site_id, cl, seq FROM crsql_changes ORDER BY \"table\", pk, cid")) {
            java.util.Set<String> names = new java.util.HashSet<>();
            tables.forEach(t -> names.add(t.name()));
            while (rs.next()) {
                if (!names.contains(rs.getString(1))) {
                    continue; // the driver's own replicated tables (key slot claims) are not the workload's
                }
                changes.add(new Change(rs.getString(1), rs.getBytes(2), rs.getString(3),
                        SqlValues.normalize(rs.getObject(4)), rs.getLong(5), rs.getLong(6), rs.getBytes(7),
                        rs.getLong(8), rs.getLong(9)));
            }
        }
        return new ReplicaState(node, rows, changes);
    }

    /** The key rows are filed under: the packed primary key in hex. */
    public static String pkKey(byte[] packedPk) {
        return HexFormat.of().formatHex(packedPk);
    }
}
