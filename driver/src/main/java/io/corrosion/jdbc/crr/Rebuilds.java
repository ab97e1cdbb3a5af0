package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * copy left out is deleted (its causal length goes up); a tombstone stays one. Rows new in the copy, and columns new
 * in the table that hold no default, keep what the copy wrote. So an unchanged copy sends nothing.
 *
 * <p>The other recipe (Liquibase's: {@code ALTER TABLE t RENAME TO t_temporary}, {@code CREATE TABLE t}, copy,
 * {@code DROP TABLE t_temporary}) carries the clocks at the drop, to the table the transaction created under the
 * dropped one's former name; a copy out and back ({@code CREATE TABLE t_copy}, copy, {@code DROP TABLE t}, {@code
 * CREATE TABLE t}, copy back, {@code DROP TABLE t_copy}) carries them at the drop of the copy. The held copies go when a
 * carry takes them, or once the connection is idle after the transaction.
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
        if (tx.created.isEmpty()) {
            return false;
        }
        // The log entries a carry moves must all be in the log: the journal's too.
        session.versions().flushInline();
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
        Held previous = tx.held.put(lower(t.name()), held);
        if (previous != null && !previous.equals(held)) {
            tx.heldUnused.add(previous);
        }
        return true;
    }

    /** Notes that the transaction renamed CRR {@code from} to {@code to}. */
    static void renamed(TxState tx, String from, String to) {
        String original = tx.renamedFrom.remove(lower(from));
        tx.renamedFrom.put(lower(to), original != null ? original : from);
    }

    /**
     * The table that takes the clocks of {@code dropped}, a table this transaction renamed away from a name it then gave
     * a table it created (the other rebuild recipe); null if none.
     */
    static String successor(TxState tx, String dropped) {
        String original = tx.renamedFrom.get(lower(dropped));
        return original != null && tx.created.contains(lower(original)) ? original : null;
    }

    /** Tables this transaction dropped, held, and created again, other than {@code dropped}: lower-case names. */
    static List<String> recreated(TxState tx, String dropped) {
        List<String> out = new ArrayList<>();
        for (String name : tx.held.keySet()) {
            if (!name.equals(lower(dropped)) && tx.created.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * After CRR {@code t} got its name by a rename, or before the drop of the table it replaces: if the transaction
     * {@link #hold held} {@code heldName}, and the key is the same, {@code t}'s clock records are made from the held
     * ones. Returns whether they were.
     */
    static boolean carry(CrrSession session, Connection conn, TableInfo t, String heldName) throws SQLException {
        TxState tx = session.tx();
        Held held = tx.held.get(lower(heldName));
        if (held == null || !exists(conn, held)) {
            return false;
        }
        try {
            TableInfo old = held.table();
            if (old.keyKind() != t.keyKind() || !lower(old.pkColumns()).equals(lower(t.pkColumns()))) {
                return false;
            }
            ClockRanges.materializeAll(conn, t); // a bulk copy's ranges: every record a row the statements below see
            carryRecords(session, conn, held, t);
            // The old versions' log entries now point at records of this table.
            try (Statement s = conn.createStatement()) {
                for (String log : List.of(CrrMetadata.LOG, CrrMetadata.LOG_RANGES)) {
                    s.executeUpdate("UPDATE OR REPLACE " + log + " SET tbl = " + t.id() + " WHERE tbl = " + old.id());
                }
            }
            tx.touched.forget(old.id());
            return true;
        } finally {
            dropHeld(conn, held);
        }
    }

    /**
     * Makes {@code t}'s clock records from the held ones, in a few statements over all keys (a row at a time costs a
     * large table seconds): the held keys, with whether their row was and is there and which values the copy kept, go
     * into a temporary table first; then rows kept, rows left out, rows back and tombstones each get one statement.
     */
    private static void carryRecords(CrrSession session, Connection conn, Held held, TableInfo t) throws SQLException {
        TableInfo old = held.table();
        Map<String, Integer> oldSlots = new HashMap<>();
        old.columns().forEach(c -> oldSlots.put(lower(c.name()), c.slot()));
        Map<String, String> defaults = new HashMap<>();
        for (CrrCatalog.ColumnDef c : CrrCatalog.columns(conn, t.name())) {
            defaults.put(c.name(), c.defaultSql() == null ? "NULL" : c.defaultSql());
        }
        // The row in t under exactly the held key: a key column whose type the rebuild changed gives the row another key.
        // Values compare byte for byte (BINARY): a copy that changes 'a' to 'A' in a NOCASE column changed it.
        String newKey = t.keyKind() == TableInfo.KeyKind.PACKED ? "crsql_pack_columns(" + Sql.idents(t.pkColumns(), "u.") + ")"
                : "u." + Sql.ident(t.pkColumns().get(0));
        StringBuilder select = new StringBuilder("SELECT hc.key AS key" + heldAs(0) + ", h."
                + Sql.ident(old.pkColumns().get(0)) + " IS NOT NULL AS was, u." + Sql.ident(t.pkColumns().get(0))
                + " IS NOT NULL AND typeof(" + newKey + ") = typeof(hc.key) AND " + newKey + " = hc.key COLLATE BINARY AS is_here");
        Map<Integer, Integer> common = new HashMap<>(); // new slot -> old slot
        List<Integer> added = new ArrayList<>();
        for (TableInfo.Column c : t.columns()) {
            Integer o = oldSlots.get(lower(c.name()));
            String col = Sql.ident(c.name());
            if (o != null) {
                common.put(c.slot(), o);
                select.append(heldAs(o)).append(", u.").append(col).append(" IS h.").append(col).append(" COLLATE BINARY AS same")
                        .append(c.slot());
            } else {
                added.add(c.slot());
                select.append(", u.").append(col).append(" IS (").append(defaults.get(c.name())).append(") COLLATE BINARY AS dflt")
                        .append(c.slot());
            }
        }
        select.append(", hc.rowid AS n FROM temp.").append(Sql.ident(held.clocks())).append(" AS hc LEFT JOIN temp.")
                .append(Sql.ident(held.rows())).append(" AS h ON ").append(CrrDdl.userRowMatchesKey(old, "h", "hc.key"))
                .append(" LEFT JOIN main.").append(Sql.ident(t.name())).append(" AS u ON ")
                .append(CrrDdl.userRowMatchesKey(t, "u", "hc.key"))
                // a record with neither row nor tombstone has nothing to carry
                .append(" WHERE h.").append(Sql.ident(old.pkColumns().get(0))).append(" IS NOT NULL OR hc.cl % 2 = 0");
        String carry = Sql.ident(held.rows() + "_carry");
        TxState tx = session.tx();
        exec(conn, "DROP TABLE IF EXISTS temp." + carry);
        exec(conn, "CREATE TEMP TABLE " + carry + " AS " + select);
        exec(conn, "CREATE INDEX temp." + Sql.ident(held.rows() + "_carry_key") + " ON " + carry + " (key)");
        long count = queryLong(conn, "SELECT coalesce(max(n), 0) FROM temp." + carry); // n: 1, 2, ... with gaps
        boolean changes = queryLong(conn, "SELECT EXISTS (SELECT 1 FROM temp." + carry + " WHERE was)") != 0;
        long dbVersion = changes ? session.versions().current() : tx.pendingDbVersion;
        long width = t.maxSlot() + 1;
        long seqBase = tx.seq;
        tx.seq += (count + 1) * width; // a fresh seq per key and slot: seqBase + n * width + slot
        String clock = "main." + Sql.ident(t.clockTable());
        String from = " FROM temp." + carry + " AS k WHERE k.key = c.key AND ";
        String fresh = "?2 + k.n * " + width + " + ";
        String copied = " WHEN c.%1$s_db = ?1 AND c.%1$s_site = 0 THEN c.%1$s_seq";

        // Rows kept: the old sentinel; a value kept keeps its clock, a changed one takes the next col_version (with the
        // copy's seq); a new column holding its default has no clock, as ALTER TABLE ADD COLUMN leaves it.
        StringBuilder kept = new StringBuilder("UPDATE " + clock + " AS c SET " + assign(0, "k.", 0, true));
        for (TableInfo.Column c : t.columns()) {
            int n = c.slot();
            Integer o = common.get(n);
            if (o != null) {
                String same = "k.same" + n;
                kept.append(", ").append(Sql.f(n, "v")).append(" = CASE WHEN ").append(same).append(" THEN k.").append(oldField(o, "v"))
                        .append(" ELSE coalesce(k.").append(oldField(o, "v")).append(", 0) + 1 END");
                kept.append(", ").append(Sql.f(n, "db")).append(" = CASE WHEN ").append(same).append(" THEN k.").append(oldField(o, "db"))
                        .append(" ELSE ?1 END");
                kept.append(", ").append(Sql.f(n, "site")).append(" = CASE WHEN ").append(same).append(" THEN k.")
                        .append(oldField(o, "site")).append(" ELSE 0 END");
                kept.append(", ").append(Sql.f(n, "seq")).append(" = CASE WHEN ").append(same).append(" THEN k.")
                        .append(oldField(o, "seq")).append(String.format(copied, "c" + n)).append(" ELSE ").append(fresh).append(n)
                        .append(" END");
                kept.append(", ").append(Sql.f(n, "ts")).append(" = CASE WHEN ").append(same).append(" THEN k.").append(oldField(o, "ts"))
                        .append(" WHEN c.").append(Sql.f(n, "db")).append(" = ?1 AND c.").append(Sql.f(n, "site")).append(" = 0 THEN c.")
                        .append(Sql.f(n, "ts")).append(" ELSE ?3 END");
            } else {
                for (String f : ClockTables.FIELDS) {
                    kept.append(", ").append(Sql.f(n, f)).append(" = CASE WHEN k.dflt").append(n).append(" THEN NULL ELSE c.")
                            .append(Sql.f(n, f)).append(" END");
                }
            }
        }
        update(conn, kept + from + "k.was AND k.is_here", dbVersion, seqBase, tx.ts);
        // Rows the copy left out: deleted (the causal length goes up, the column clocks go), as a local DELETE does.
        StringBuilder gone = new StringBuilder("INSERT INTO " + clock + " AS c (key, cl, cl_db, cl_site, cl_seq, cl_ts) SELECT k.key,"
                + " coalesce(k.o_cl, 1) + 1, ?1, 0, " + fresh + "0, ?3 FROM temp." + carry + " AS k WHERE k.was AND NOT k.is_here"
                + " ON CONFLICT (key) DO UPDATE SET cl = excluded.cl, cl_db = excluded.cl_db, cl_site = 0, cl_seq = excluded.cl_seq,"
                + " cl_ts = excluded.cl_ts");
        for (TableInfo.Column c : t.columns()) {
            for (String f : ClockTables.FIELDS) {
                gone.append(", ").append(Sql.f(c.slot(), f)).append(" = NULL");
            }
        }
        update(conn, gone.toString(), dbVersion, seqBase, tx.ts);
        // A row the copy made where the old table had a tombstone: inserted again.
        update(conn, "UPDATE " + clock + " AS c SET cl = k.o_cl + 1, cl_db = ?1, cl_site = 0, cl_seq = CASE"
                + String.format(copied, "cl") + " ELSE " + fresh + "0 END, cl_ts = ?3" + from + "NOT k.was AND k.is_here",
                dbVersion, seqBase, tx.ts);
        // Tombstones stay.
        update(conn, "INSERT INTO " + clock + " AS c (key" + fields("", 0, false) + ") SELECT k.key" + fields("k.", 0, true)
                + " FROM temp." + carry + " AS k WHERE NOT k.was AND NOT k.is_here ON CONFLICT (key) DO UPDATE SET "
                + assign(0, "excluded.", 0, false), dbVersion, seqBase, tx.ts);
        exec(conn, "DROP TABLE temp." + carry);

        // What this transaction wrote locally is now the records with a clock at its version: only those get log entries.
        tx.touched.forget(t.id());
        if (tx.pendingDbVersion != 0) {
            List<String> now = new ArrayList<>();
            for (int slot = 0; slot <= t.maxSlot(); slot++) {
                now.add("(" + Sql.f(slot, "db") + " = ?1 AND " + Sql.f(slot, "site") + " = 0)");
            }
            List<Object> keys = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT key FROM " + clock + " WHERE " + String.join(" OR ", now))) {
                p.setLong(1, tx.pendingDbVersion);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        keys.add(SqlValues.normalize(rs.getObject(1)));
                    }
                }
            }
            if (!keys.isEmpty()) {
                tx.touched.addAll(t.id(), keys);
            }
        }
    }

    /** ", hc.cl AS o_cl, ...": a held slot's five fields under their carry table names. */
    private static String heldAs(int slot) {
        StringBuilder out = new StringBuilder();
        for (String f : ClockTables.FIELDS) {
            out.append(", hc.").append(Sql.f(slot, f)).append(" AS ").append(oldField(slot, f));
        }
        return out.toString();
    }

    /** ", prefix + field, ...": a slot's five fields, under their carry table names if {@code held}. */
    private static String fields(String prefix, int slot, boolean held) {
        StringBuilder out = new StringBuilder();
        for (String f : ClockTables.FIELDS) {
            out.append(", ").append(prefix).append(held ? oldField(slot, f) : Sql.f(slot, f));
        }
        return out.toString();
    }

    /** "f = prefix.field, ..." setting slot {@code to}'s five fields from slot {@code from}'s (held or not). */
    private static String assign(int to, String prefix, int from, boolean held) {
        List<String> sets = new ArrayList<>();
        for (String f : ClockTables.FIELDS) {
            sets.add(Sql.f(to, f) + " = " + prefix + (held ? oldField(from, f) : Sql.f(from, f)));
        }
        return String.join(", ", sets);
    }

    /** The carry table's column for a held field: {@code o_cl}, {@code o_c3_v}, ... */
    private static String oldField(int slot, String field) {
        return "o_" + Sql.f(slot, field);
    }

    private static void update(Connection conn, String sql, long dbVersion, long seqBase, String ts) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement(sql)) {
            int params = p.getParameterMetaData().getParameterCount();
            Object[] values = {dbVersion, seqBase, ts == null || ts.equals("0") ? null : ts};
            for (int i = 0; i < params; i++) {
                p.setObject(i + 1, values[i]);
            }
            p.executeUpdate();
        }
    }

    private static long queryLong(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void exec(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Drops the held tables of a transaction that ended without a carry (a DROP TABLE that was no rebuild's), once no
     * transaction is open on the connection; a held table that has a table of its name again was rebuilt in a way the
     * carry does not know: WARN.
     */
    static void dropUnused(CrrSession session, Connection conn) {
        TxState tx = session.tx();
        try {
            if (!conn.getAutoCommit()) {
                return;
            }
            List<Held> unused = List.copyOf(tx.heldUnused);
            tx.heldUnused.clear(); // before the drops: their commits end a transaction, which adds to it
            for (Held held : unused) {
                if (exists(conn, held) && session.catalog().table(held.table().name()) != null) {
                    LOG.warn("Table {} was dropped and created again in one transaction, and not filled from a copy this"
                            + " way knows: replication sees a new table, whose rows are all new writes of this node, and"
                            + " forgot the old one's clocks and deletes. Updates and deletes made around it on other nodes"
                            + " can be lost (README, 'Table rebuilds')", held.table().name());
                }
                dropHeld(conn, held);
            }
        } catch (SQLException e) {
            LOG.debug("could not drop the temporary tables held for a rebuild; they go with the connection: {}", e.toString());
        }
    }

    /** Whether the held tables are there: a rollback to a savepoint may have taken them, or brought them back. */
    private static boolean exists(Connection conn, Held held) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("SELECT count(*) FROM temp.sqlite_master WHERE type = 'table'"
                + " AND name IN (?, ?)")) {
            p.setString(1, held.rows());
            p.setString(2, held.clocks());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) == 2;
            }
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
