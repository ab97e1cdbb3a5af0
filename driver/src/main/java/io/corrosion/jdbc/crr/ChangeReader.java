package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code crsql_changes} into {@link Change} records. */
final class ChangeReader {
    private ChangeReader() {}

    static List<Change> read(Connection conn, String where, Object... params) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement p = conn.prepareStatement("SELECT \"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts"
                + " FROM " + ChangesView.NAME + " " + where + " ORDER BY db_version, seq, \"table\", pk, cid")) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getString(1), rs.getBytes(2), rs.getString(3), SqlValues.normalize(rs.getObject(4)),
                            rs.getLong(5), rs.getLong(6), rs.getBytes(7), rs.getLong(8), rs.getLong(9), rs.getString(10)));
                }
            }
        }
        return out;
    }
}
