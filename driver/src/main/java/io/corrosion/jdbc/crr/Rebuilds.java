package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table rebuild in one transaction ({@code CREATE TABLE t_new}, copy, {@code DROP TABLE t}, {@code ALTER TABLE t_new
 * RENAME TO t}, SQLite's way to make the changes ALTER TABLE cannot) keeps {@code t}'s clocks, as if the copy had been a
 * set of updates of {@code t}. Without this the rebuilt table is a new one: every row a new write of this node at
 * col_version 1, its deletes forgotten. Then updates and deletes other nodes made around the rebuild lose against the
 * copy or bring rows back, and every node sends every row to every peer.
 *
 * <p>How: when a transaction that made a table a CRR drops another one ({@link #hold}), the dropped table's rows and
 * clock records are copied into temporary tables. When a table is renamed to the dropped one's name in the same
 * transaction, with the same primary key ({@link #carry}), its records are made from the held ones: a value the copy
 * left as it was keeps its clock; a changed one gets the next col_version at this transaction's db version; a row the
 * copy left out is deleted (its causal length goes up); a tombstone stays one. Rows new in the copy and columns new in
 * the table keep what the copy wrote. So an unchanged copy sends nothing. The held copies go when the rename takes them,
 * or once the connection is idle after the transaction.
 */
final class Rebuilds {
    private static final Logger LOG = LoggerFactory.getLogger(Rebuilds.class);
    private static final String PREFIX = "__corrosion_held_";

    /** The dropped table as it was, and the names of the temporary tables holding its rows and its clock records. */
    record Held(TableInfo table, String rows, String clocks) {}

    private Rebuilds() {}

    /**
     * Before {@code DROP TABLE} of CRR {@code t}: holds its rows and clock records for a rename later in the transaction,
     * if the transaction made a table a CRR before (a rebuild's {@code t_new}). Returns whether it did.
     */
    static boolean hold(CrrSession session, Connection conn, TableInfo t) throws SQLException {
        TxState tx = session.tx();
        if (!tx.crrCreated) {
            return false;
        }
        ClockRanges.materializeAll(conn, t);
        Held held = new Held(t, PREFIX + "rows_" + t.id(), PREFIX + "clock_" + t.id());
        dropHeld(conn, held);
        List<String> columns = new ArrayList<>(t.pkColumns());
        t.columns().forEach(c -> columns.add(c.name()));
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE TEMP TABLE " + Sql.ident(held.rows()) + " AS SELECT " + Sql.idents(columns, "")
                    + " FROM main." + Sql.ident(t.name()));
            s.execute("CREATE INDEX temp." + Sql.ident(held.rows() + "_key") + " ON " + Sql.ident(held.rows()) + " ("
                    + Sql.idents(t.pkColumns(), "") + ")");
            s.execute("CREATE TEMP TABLE " + Sql.ident(held.clocks()) + " AS SELECT * FROM main." + Sql.ident(t.clockTable()));
        }
        tx.held.put(lower(t.name()), held);
        return true;
    }

    /**
     * After CRR {@code t} got its name by a rename: if the transaction dropped a table of that name it {@link #hold held},
     * and the key is the same, {@code t}'s clock records are made from the held ones. Returns whether it did.
     */
    static boolean carry(CrrSession session, Connection conn, TableInfo t) throws SQLException {
        TxState tx = session.tx();
        Held held = tx.held.remove(lower(t.name()));
        if (held == null) {
            return false;
        }
        try {
            TableInfo old = held.table();
            if (old.keyKind() != t.keyKind() || !lower(old.pkColumns()).equals(lower(t.pkColumns()))) {
                return false;
            }
            carryRecords(session, conn, held, t);
            // The old versions' log entries now point at records of this table.
            try (Statement s = conn.createStatement()) {
                for (String log : List.of(CrrMetadata.LOG, CrrMetadata.LOG_RANGES)) {
                    s.executeUpdate("UPDATE OR REPLACE " + log + " SET tbl = " + t.id() + " WHERE tbl = " + old.id());
                }
            }
            tx.touched.forget(old.id(), null);
            return true;
        } finally {
            dropHeld(conn, held);
        }
    }

    private static void carryRecords(CrrSession session, Connection conn, Held held, TableInfo t) throws SQLException {
        TableInfo old = held.table();
        Map<String, Integer> oldSlots = new HashMap<>();
        old.columns().forEach(c -> oldSlots.put(lower(c.name()), c.slot()));
        Map<String, String> defaults = new HashMap<>();
        for (CrrCatalog.ColumnDef c : CrrCatalog.columns(conn, t.name())) {
            defaults.put(c.name(), c.defaultSql() == null ? "NULL" : c.defaultSql());
        }
        // The row in t under exactly the held key: a key column whose type the rebuild changed gives the row another key.
        String newKey = t.keyKind() == TableInfo.KeyKind.PACKED ? "crsql_pack_columns(" + Sql.idents(t.pkColumns(), "u.") + ")"
                : "u." + Sql.ident(t.pkColumns().get(0));
        StringBuilder select = new StringBuilder("SELECT hc.key, h." + Sql.ident(old.pkColumns().get(0)) + " IS NOT NULL, u."
                + Sql.ident(t.pkColumns().get(0)) + " IS NOT NULL AND typeof(" + newKey + ") = typeof(hc.key) AND " + newKey
                + " = hc.key" + clockFields("hc", 0));
        List<int[]> common = new ArrayList<>(); // {old slot, new slot}
        List<Integer> added = new ArrayList<>(); // slots of columns the old table did not have
        for (TableInfo.Column c : t.columns()) {
            Integer o = oldSlots.get(lower(c.name()));
            if (o != null) {
                common.add(new int[] {o, c.slot()});
                select.append(", u.").append(Sql.ident(c.name())).append(" IS h.").append(Sql.ident(c.name()))
                        .append(clockFields("hc", o));
            }
        }
        for (TableInfo.Column c : t.columns()) {
            if (!oldSlots.containsKey(lower(c.name()))) {
                added.add(c.slot());
                select.append(", u.").append(Sql.ident(c.name())).append(" IS (").append(defaults.get(c.name())).append(')');
            }
        }
        select.append(" FROM temp.").append(Sql.ident(held.clocks())).append(" AS hc LEFT JOIN temp.")
                .append(Sql.ident(held.rows())).append(" AS h ON ").append(CrrDdl.userRowMatchesKey(old, "h", "hc.key"))
                .append(" LEFT JOIN main.").append(Sql.ident(t.name())).append(" AS u ON ")
                .append(CrrDdl.userRowMatchesKey(t, "u", "hc.key"));
        TxState tx = session.tx();
        TableStatements ops = session.statements(t);
        Set<Touched.Key> unchanged = new HashSet<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(select.toString())) {
            while (rs.next()) {
                Object key = SqlValues.normalize(rs.getObject(1));
                boolean was = rs.getBoolean(2);
                boolean is = rs.getBoolean(3);
                ClockRecord.Clock sentinel = clock(rs, 4);
                boolean tombstone = !was && sentinel != null && sentinel.version % 2 == 0;
                if (!was && !tombstone) {
                    continue; // a record of a key with neither row nor tombstone: nothing to carry
                }
                ClockRecord rec = ops.load(key);
                if (was && is) {
                    rec.slots[0] = sentinel;
                    for (int i = 0; i < common.size(); i++) {
                        int at = 9 + i * 6;
                        ClockRecord.Clock before = clock(rs, at + 1);
                        int slot = common.get(i)[1];
                        rec.slots[slot] = rs.getBoolean(at) ? before
                                : local(session, (before == null ? 0 : before.version) + 1, rec.slots[slot]);
                    }
                    for (int i = 0; i < added.size(); i++) {
                        if (rs.getBoolean(9 + common.size() * 6 + i)) {
                            rec.slots[added.get(i)] = null; // its default, as a column ALTER TABLE adds: no change
                        }
                    }
                } else if (was) { // the copy left the row out: a delete
                    rec.dropColumnClocks();
                    rec.slots[0] = local(session, (sentinel == null ? 1 : sentinel.version) + 1, null);
                } else if (is) { // a row the copy made where the old table had a tombstone: inserted again
                    rec.slots[0] = local(session, sentinel.version + 1, rec.slots[0]);
                } else {
                    rec.slots[0] = sentinel;
                }
                ops.store(rec);
                if (writtenNow(tx, rec)) {
                    tx.touched.add(t.id(), key);
                } else {
                    unchanged.add(new Touched.Key(key));
                }
            }
        }
        tx.touched.forget(t.id(), unchanged);
    }

    /** A clock of this node at this transaction's db version, with {@code copied}'s seq if the copy wrote one. */
    private static ClockRecord.Clock local(CrrSession session, long version, ClockRecord.Clock copied) throws SQLException {
        TxState tx = session.tx();
        long dbVersion = session.versions().current();
        boolean reuse = copied != null && copied.site == 0 && copied.dbVersion == dbVersion;
        return new ClockRecord.Clock(version, dbVersion, 0, reuse ? copied.seq : tx.nextSeq(), tx.ts);
    }

    /** Whether a clock of the record is this transaction's local write. */
    private static boolean writtenNow(TxState tx, ClockRecord rec) {
        for (ClockRecord.Clock c : rec.slots) {
            if (c != null && c.site == 0 && tx.pendingDbVersion != 0 && c.dbVersion == tx.pendingDbVersion) {
                return true;
            }
        }
        return false;
    }

    /** ", alias.cS_v, alias.cS_db, ..." for slot {@code slot}'s five fields. */
    private static String clockFields(String alias, int slot) {
        StringBuilder out = new StringBuilder();
        for (String f : ClockTables.FIELDS) {
            out.append(", ").append(alias).append('.').append(Sql.f(slot, f));
        }
        return out.toString();
    }

    /** The clock in the five columns from {@code at}, or null. */
    private static ClockRecord.Clock clock(ResultSet rs, int at) throws SQLException {
        long version = rs.getLong(at);
        if (rs.wasNull()) {
            return null;
        }
        return new ClockRecord.Clock(version, rs.getLong(at + 1), rs.getLong(at + 2), rs.getLong(at + 3), rs.getString(at + 4));
    }

    /**
     * Drops the held tables of a transaction that ended without the rename (a DROP TABLE that was no rebuild's), once
     * no transaction is open on the connection.
     */
    static void dropUnused(Connection conn, TxState tx) {
        try {
            if (!conn.getAutoCommit()) {
                return;
            }
            for (Held held : tx.heldUnused) {
                dropHeld(conn, held);
            }
            tx.heldUnused.clear();
        } catch (SQLException e) {
            LOG.debug("could not drop the temporary tables held for a rebuild; they go with the connection: {}", e.toString());
        }
    }

    private static void dropHeld(Connection conn, Held held) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("DROP TABLE IF EXISTS temp." + Sql.ident(held.rows()));
            s.execute("DROP TABLE IF EXISTS temp." + Sql.ident(held.clocks()));
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(Rebuilds::lower).toList();
    }
}
