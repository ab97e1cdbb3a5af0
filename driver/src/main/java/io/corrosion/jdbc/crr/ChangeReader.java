package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code crsql_changes} into {@link Change} records, with the session's statements: the view has three arms per
 * CRR, and preparing it costs more than reading a few versions (the agent reads each local commit's).
 */
final class ChangeReader {
    private ChangeReader() {}

    /** The query that reads the changes {@code where} selects, ordered by db version and seq. */
    static String sql(String where) {
        return "SELECT \"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts FROM " + ChangesView.NAME + " "
                + where + " ORDER BY db_version, seq, \"table\", pk, cid";
    }

    /** Runs {@code query} (from {@link #sql}, kept prepared by its owner) with {@code params}. */
    static List<Change> read(PreparedStatement query, Object... params) throws SQLException {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            query.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                out.add(new Change(rs.getString(1), rs.getBytes(2), rs.getString(3), SqlValues.normalize(rs.getObject(4)),
                        rs.getLong(5), rs.getLong(6), rs.getBytes(7), rs.getLong(8), rs.getLong(9), rs.getString(10)));
            }
        }
        return out;
    }
}
