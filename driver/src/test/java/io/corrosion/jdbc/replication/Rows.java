package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.crr.SqlValues;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Query results as comparable lists (integers as Long, BLOBs as hex), for the replication tests. */
final class Rows {
    private Rows() {}

    static List<List<Object>> query(Connection conn, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = SqlValues.normalize(rs.getObject(i));
                    row.add(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** crsql_changes in a fixed order, every column comparable. */
    static List<List<Object>> changes(Connection conn) throws SQLException {
        return query(conn, "SELECT \"table\", hex(pk), cid, val, col_version, db_version, hex(site_id), cl, seq"
                + " FROM crsql_changes ORDER BY \"table\", pk, cid");
    }
}
