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

    private static final String BY_SITE = sql("WHERE site_id = ? AND db_version BETWEEN ? AND ?");
    /** The IN term is always true; it lets the planner walk the version log site by site instead of scanning it. */
    private static final String SINCE = sql("WHERE db_version > ? AND site_id IN (SELECT site_id FROM "
            + CrrMetadata.SITE_ID + ")");

    /** Every change of one site with {@code from <= db_version <= to}, by db_version and seq. */
    static List<Change> bySite(SessionStatements statements, byte[] site, long from, long to) throws SQLException {
        return readKept(statements, BY_SITE, site, from, to);
    }

    /** Every change with {@code db_version > dbVersion}, of any site, by db_version and seq. */
    static List<Change> since(SessionStatements statements, long dbVersion) throws SQLException {
        return readKept(statements, SINCE, dbVersion);
    }

    /** Reads with a kept statement; one that failed is prepared afresh next time (sqlite-jdbc may have finalized it). */
    private static List<Change> readKept(SessionStatements statements, String sql, Object... params) throws SQLException {
        try {
            return read(statements.prepared(sql), params);
        } catch (SQLException | RuntimeException e) {
            statements.forget(sql, e);
            throw e;
        }
    }

    /** The query that reads the changes {@code where} selects, ordered by db version and seq. */
    private static String sql(String where) {
        return "SELECT \"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts FROM " + ChangesView.NAME + " "
                + where + " ORDER BY db_version, seq, \"table\", pk, cid";
    }

    /** Runs {@code query} (from {@link #sql}) with {@code params}. */
    private static List<Change> read(PreparedStatement query, Object... params) throws SQLException {
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
