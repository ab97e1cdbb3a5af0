package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Clock records for rows that have none, when a table becomes a CRR or its columns change ({@link CrrDdl}). */
final class Backfill {
    private final CrrSession session;
    private final Connection conn;

    Backfill(CrrSession session, Connection conn) {
        this.session = session;
        this.conn = conn;
    }

    /**
     * cr-sqlite's backfill: rows without a clock record get one clock per column (col_version 1; a sentinel for
     * pk-only tables), in primary-key order; then rows whose column has no clock get one unless the value is the
     * column's default. Versions: the next db version for crsql_as_crr (its rows go to the journal with the
     * transaction's), the current one for commit_alter (its log entries written here, after the journal's), except for
     * rows the open transaction wrote: their other columns' clocks are at its version, which peers have not seen.
     */
    void run(TableInfo t, boolean nextVersion) throws SQLException {
        TableStatements ops = session.statements(t);
        TxState tx = session.tx();
        Set<Touched.Key> writtenHere = new HashSet<>();
        for (Object key : tx.touched.keys(t.id())) {
            writtenHere.add(new Touched.Key(key));
        }
        String pkList = Sql.idents(t.pkColumns(), "u.");
        String keyExpr = t.keyKind() == TableInfo.KeyKind.PACKED
                ? "crsql_pack_columns(" + pkList + ")" : "u." + Sql.ident(t.pkColumns().get(0));
        List<Object> fresh = new ArrayList<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + keyExpr + " FROM " + Sql.ident(t.name()) + " AS u WHERE NOT EXISTS (SELECT 1 FROM "
                     + Sql.ident(t.clockTable()) + " AS c WHERE c.key = " + keyExpr + ") ORDER BY " + pkList)) {
            while (rs.next()) {
                fresh.add(SqlValues.normalize(rs.getObject(1)));
            }
        }
        Long dbv = null;
        for (Object key : fresh) {
            if (dbv == null) {
                dbv = backfillVersion(nextVersion);
            }
            ClockRecord rec = new ClockRecord(key, t.maxSlot());
            if (t.columns().isEmpty()) {
                rec.slots[0] = new ClockRecord.Clock(1, dbv, 0, tx.nextSeq(), tx.ts);
            }
            for (TableInfo.Column c : t.columns()) {
                rec.slots[c.slot()] = new ClockRecord.Clock(1, dbv, 0, tx.nextSeq(), tx.ts);
            }
            ops.store(rec);
            logBackfilled(ops, t, nextVersion, dbv, key);
        }
        for (TableInfo.Column c : t.columns()) {
            String col = "u." + Sql.ident(c.name());
            CrrCatalog.ColumnDef def = columnDef(t.name(), c.name());
            String dflt = def == null || def.defaultSql() == null ? "NULL" : def.defaultSql();
            // A column without affinity keeps a value's type: 2.0 is not a DEFAULT 2 there, which a peer's row gets
            // (random schema probe, seed 33700); with one, SQLite stores both alike
            String otherType = def != null && keepsType(def.type()) ? " OR typeof(" + col + ") IS NOT typeof(" + dflt + ")" : "";
            List<Object> missing = new ArrayList<>();
            try (Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT c.key FROM " + Sql.ident(t.name()) + " AS u JOIN " + Sql.ident(t.clockTable())
                         + " AS c ON c.key = " + keyExpr + " WHERE c." + Sql.f(c.slot(), "v") + " IS NULL AND (" + col
                         // byte for byte: 'b' is not a DEFAULT 'B', whatever the column's collation
                         + " IS NOT (" + dflt + ") COLLATE BINARY" + otherType + ") ORDER BY " + pkList)) {
                while (rs.next()) {
                    missing.add(SqlValues.normalize(rs.getObject(1)));
                }
            }
            for (Object key : missing) {
                boolean here = !nextVersion && writtenHere.contains(new Touched.Key(key));
                if (dbv == null && !here) {
                    dbv = backfillVersion(nextVersion);
                }
                long version = here ? session.versions().current() : dbv;
                ClockRecord rec = ops.load(key);
                rec.slots[c.slot()] = new ClockRecord.Clock(1, version, 0, tx.nextSeq(), tx.ts);
                ops.store(rec);
                logBackfilled(ops, t, nextVersion || here, version, key);
            }
        }
    }

    private long backfillVersion(boolean nextVersion) throws SQLException {
        if (nextVersion) {
            return session.versions().current();
        }
        session.versions().flushInline(); // log entries at the current version: the journal's must be in the log first
        return session.versions().committed();
    }

    private void logBackfilled(TableStatements ops, TableInfo t, boolean nextVersion, long dbv, Object key)
            throws SQLException {
        if (nextVersion) {
            session.versions().touch(t.id(), key);
        } else {
            ops.log(0, dbv, key);
        }
    }

    private CrrCatalog.ColumnDef columnDef(String table, String column) throws SQLException {
        for (CrrCatalog.ColumnDef c : CrrCatalog.columns(conn, table)) {
            if (c.name().equals(column)) {
                return c;
            }
        }
        return null;
    }

    /** True for a declared type of BLOB affinity (no type, or BLOB) or {@code ANY}: the column stores values as given. */
    static boolean keepsType(String declaredType) {
        String t = declaredType == null ? "" : declaredType.toUpperCase(Locale.ROOT);
        if (t.contains("INT") || t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return false;
        }
        return t.isBlank() || t.contains("BLOB") || t.strip().equals("ANY");
    }
}
