package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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

    /** The view's order inside one db version. */
    private static final Comparator<Change> IN_VERSION = Comparator.comparingLong(Change::seq)
            .thenComparing(Change::table)
            .thenComparing(Change::pk, Arrays::compareUnsigned)
            .thenComparing(Change::cid);

    /**
     * The changes of this node's recent versions, from their journal entries: each row an entry names is read by key
     * (its clock record and its values), and every clock field that still carries the entry's version is a change,
     * exactly as the view's rows for that entry. For the agent, which reads every local commit once: the view's
     * plan (three arms per CRR, the journal's rows as JSON) costs several times more. Call in one read snapshot. Null if an
     * entry names a table the catalog no longer has: dropped, or rebuilt under another id ({@link Rebuilds}), whose
     * clocks now belong to another table; both flushed the entries into the log first, which the view reads.
     */
    static List<Change> ofEntries(CrrSession session, List<JournalEntry> entries, byte[] site) throws SQLException {
        List<Change> out = new ArrayList<>();
        session.catalog().tables(true); // one check of the schema version for the whole read
        for (JournalEntry e : entries) {
            int first = out.size();
            for (Map.Entry<Long, List<Object>> rows : e.rows.entrySet()) {
                TableInfo t = session.catalog().checkedTable(rows.getKey());
                if (t == null) {
                    return null;
                }
                TableStatements ops = session.statements(t);
                for (Object key : rows.getValue()) {
                    addRow(out, t, ops, key, e.dbVersion, site);
                }
            }
            out.subList(first, out.size()).sort(IN_VERSION);
        }
        return out;
    }

    /** The clock fields of one row that carry local version {@code dbVersion}, as changes. */
    private static void addRow(List<Change> out, TableInfo t, TableStatements ops, Object key, long dbVersion, byte[] site)
            throws SQLException {
        ClockRecord rec = ops.load(key);
        if (!rec.stored) {
            return;
        }
        byte[] pk = t.keyKind() == TableInfo.KeyKind.PACKED ? (byte[]) key : PackedColumns.pack(key);
        ClockRecord.Clock sentinel = rec.sentinel();
        long cl = sentinel == null ? 1 : sentinel.version;
        if (ours(sentinel, dbVersion)) {
            out.add(new Change(t.name(), pk, Change.SENTINEL, null, sentinel.version, dbVersion, site, cl, sentinel.seq,
                    ts(sentinel)));
        }
        Object[] row = null;
        boolean rowRead = false;
        for (int i = 0; i < t.columns().size(); i++) {
            TableInfo.Column column = t.columns().get(i);
            ClockRecord.Clock c = rec.slots[column.slot()];
            if (!ours(c, dbVersion)) {
                continue;
            }
            if (!rowRead) {
                row = ops.row(key);
                rowRead = true;
            }
            out.add(new Change(t.name(), pk, column.name(), row == null ? null : row[i], c.version, dbVersion, site, cl,
                    c.seq, ts(c)));
        }
    }

    private static boolean ours(ClockRecord.Clock c, long dbVersion) {
        return c != null && c.dbVersion == dbVersion && c.site == 0;
    }

    private static String ts(ClockRecord.Clock c) {
        return c.ts == null ? "0" : c.ts;
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
