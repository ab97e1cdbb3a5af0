package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Reentrant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Captures a JDBC batch of plain INSERTs of fresh keys into a CRR at once: the insert trigger skips the batch's rows
 * (a row in {@code __corrosion_bulk} for the table, read by the trigger's WHEN: no call into Java per row, which is
 * most of what row-by-row capture costs), then the clock records are exactly those the trigger would have written (each
 * column at col version 1, the transaction's db version, {@code n} seqs per row in row order, the HLC timestamp) and the
 * rows go to the version log through the journal as usual (generated keys, a progression, as one range there).
 * Generated keys of a batch of {@value #UNTRIGGERED} rows or more (or of any such batch into a table that has clock
 * ranges already) get their records as one clock range ({@link ClockRanges}), written out one by one only when
 * something writes the row later; other batches get them written by one statement.
 *
 * <p>Only where that is exactly what the trigger would write: an integer key the clock table has never seen, a table
 * with no triggers but the capture triggers (no UNIQUE checks, no application triggers that could write the table or
 * see its clock mid-batch), in an open transaction. A batch that fails part-way keeps its earlier rows, as sqlite-jdbc
 * does, and they are captured. Everything runs inside a savepoint: if the engine's own statements fail, the batch's
 * rows go with them. Batches of {@value #UNTRIGGERED} rows or more drop the insert trigger for the batch instead.
 */
final class BulkInserts {
    private static final String SAVEPOINT = "corrosion_bulk";
    /**
     * Batches of this many rows run with the insert trigger dropped rather than skipped (see dropInsertTrigger): about
     * where a microsecond saved per row pays for the schema reloads (estimated, not measured).
     */
    static final int UNTRIGGERED = 4096;

    private final CrrSession session;

    BulkInserts(CrrSession session) {
        this.session = session;
    }

    int[] run(TableInfo t, List<Object> keys, CrrSession.Work<int[]> batch) throws SQLException {
        Keys k = Keys.of(keys);
        if (k == null || !eligible(t, k)) {
            return batch.run();
        }
        // Generated keys of a large batch, or of any bulk batch once the table has ranges, get one clock range.
        boolean asRange = k.progression() && (t.ranged() || keys.size() >= UNTRIGGERED);
        exec("SAVEPOINT " + SAVEPOINT);
        SQLException batchFailure = null;
        int[] counts = null;
        try {
            String trigger = keys.size() >= UNTRIGGERED ? dropInsertTrigger(t) : null;
            if (trigger == null) {
                setBulk(t, true);
            }
            try {
                counts = batch.run();
            } catch (SQLException e) {
                batchFailure = e;
            }
            TableInfo after = t;
            if (trigger == null) {
                setBulk(t, false);
            } else if (asRange && !t.ranged()) {
                after = session.ddl().enterRangeMode(t);
            } else {
                exec(trigger);
            }
            int inserted = batchFailure == null ? keys.size() : insertedPrefix(t, k);
            if (inserted > 0) {
                Keys written = inserted == keys.size() ? k : Keys.of(keys.subList(0, inserted));
                if (asRange) {
                    writeRange(after, written);
                } else {
                    writeClocks(t, written);
                }
            }
            exec("RELEASE " + SAVEPOINT);
        } catch (SQLException | RuntimeException e) {
            if (batchFailure != null) {
                e.addSuppressed(batchFailure);
            }
            rollbackQuietly(e);
            throw e;
        }
        if (batchFailure != null) {
            throw batchFailure;
        }
        return counts;
    }

    /**
     * The batch's keys, all integers: as a JSON array for statements to read with {@code json_each}, or, when they grow
     * by one step ({@code lo, lo + step, ...}, as the keys the driver allocates do), as that progression, which
     * statements read from the b-trees directly (no JSON to build or parse).
     */
    record Keys(List<Object> list, long lo, long step) {
        /** The keys, or null unless every one is an integer. */
        static Keys of(List<Object> keys) {
            long lo = 0;
            long step = 0;
            for (int i = 0; i < keys.size(); i++) {
                if (!(keys.get(i) instanceof Long k)) {
                    return null;
                }
                if (i == 0) {
                    lo = k;
                } else if (i == 1) {
                    step = k > lo && k - lo > 0 ? k - lo : -1;
                } else if (step > 0 && (k <= (Long) keys.get(i - 1) || k - (Long) keys.get(i - 1) != step)) {
                    step = -1;
                }
            }
            return new Keys(keys, lo, keys.size() == 1 ? 1 : Math.max(step, 0));
        }

        boolean progression() {
            return step > 0;
        }

        long hi() {
            return lo + step * (list.size() - 1);
        }

        long smallest() {
            if (progression()) {
                return lo;
            }
            long min = Long.MAX_VALUE;
            for (Object k : list) {
                min = Math.min(min, (Long) k);
            }
            return min;
        }

        /** {@code [k1,k2,...]}. */
        String json() {
            StringBuilder json = new StringBuilder(list.size() * 8 + 2).append('[');
            for (Object k : list) {
                json.append(json.length() > 1 ? "," : "").append((long) (Long) k);
            }
            return json.append(']').toString();
        }

        /** SQL condition that {@code column} is one of the keys of a progression: lo at ?1, hi at ?2, step at ?3. */
        static String inProgression(String column) {
            return column + " BETWEEN ?1 AND ?2 AND (" + column + " - ?1) % ?3 = 0";
        }

        void bindProgression(PreparedStatement p) throws SQLException {
            p.setLong(1, lo);
            p.setLong(2, hi());
            p.setLong(3, step);
        }
    }

    /** No trigger on the table but the capture triggers, and no key with a clock record (or range) already. */
    private boolean eligible(TableInfo t, Keys keys) throws SQLException {
        if (t.keyKind() != TableInfo.KeyKind.ROWID) {
            return false;
        }
        PreparedStatement triggers = session.prepared("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?");
        triggers.setString(1, t.name());
        if (longOf(triggers) != CaptureTriggers.count(t)) {
            return false;
        }
        if (t.ranged()) {
            PreparedStatement ranges = session.prepared("SELECT EXISTS (SELECT 1 FROM " + ClockRanges.TABLE
                    + " WHERE tbl = ? AND lo <= ? AND hi >= ?)");
            ranges.setLong(1, t.id());
            ranges.setLong(2, keys.progression() ? keys.hi() : Long.MAX_VALUE);
            ranges.setLong(3, keys.smallest());
            if (longOf(ranges) != 0) {
                return false;
            }
        }
        // Keys the driver allocates grow past every key the clock table holds: one b-tree seek shows none was seen.
        PreparedStatement highest = session.prepared("SELECT max(key) >= ? FROM " + Sql.ident(t.clockTable()));
        highest.setLong(1, keys.smallest());
        if (longOf(highest) == 0) {
            return true;
        }
        PreparedStatement seen;
        if (keys.progression()) {
            seen = session.prepared("SELECT EXISTS (SELECT 1 FROM " + Sql.ident(t.clockTable()) + " WHERE "
                    + Keys.inProgression("key") + ")");
            keys.bindProgression(seen);
        } else {
            seen = session.prepared("SELECT EXISTS (SELECT 1 FROM json_each(?) AS j JOIN " + Sql.ident(t.clockTable())
                    + " AS c ON c.key = j.value)");
            seen.setString(1, keys.json());
        }
        return longOf(seen) == 0;
    }

    /**
     * Drops the table's insert trigger for the batch and returns its DDL to restore it, or null if the table has none
     * by that name. SQLite enters a trigger's program for every row even when its WHEN is false: measured with
     * sqlite-jdbc, {@code WHEN 0} alone adds about 60% to a plain row insert. The schema change costs every connection
     * one schema reload (and the catalog a refresh), worth it only for large batches. The savepoint brings the trigger
     * back if anything fails.
     */
    private String dropInsertTrigger(TableInfo t) throws SQLException {
        String name = CaptureTriggers.insertTriggerName(t);
        PreparedStatement p = session.prepared("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
        p.setString(1, name);
        String sql;
        try (ResultSet rs = p.executeQuery()) {
            sql = rs.next() ? rs.getString(1) : null;
        }
        if (sql != null) {
            exec("DROP TRIGGER " + Sql.ident(name));
        }
        return sql;
    }

    private void setBulk(TableInfo t, boolean on) throws SQLException {
        PreparedStatement p = session.prepared(on ? "INSERT INTO " + CrrMetadata.BULK + " (tbl) VALUES (?)"
                : "DELETE FROM " + CrrMetadata.BULK + " WHERE tbl = ?");
        p.setLong(1, t.id());
        Reentrant.withoutGeneratedKeys(session.connection(), p::executeUpdate);
    }

    /** How many of the batch's rows are in the table: those before the row that failed. */
    private int insertedPrefix(TableInfo t, Keys keys) throws SQLException {
        PreparedStatement p = session.prepared("SELECT COALESCE(min(j.key), ?) FROM json_each(?) AS j WHERE NOT EXISTS"
                + " (SELECT 1 FROM " + Sql.ident(t.name()) + " AS u WHERE u." + Sql.ident(t.pkColumns().get(0)) + " = j.value)");
        p.setLong(1, keys.list().size());
        p.setString(2, keys.json());
        return (int) longOf(p);
    }

    /**
     * The clock records of rows with fresh keys, as the insert trigger writes them row by row: row {@code i} of the
     * batch gets seqs from {@code base + i * n}. A progression of keys reads the new rows from the table itself (row
     * {@code i} has key {@code lo + i * step}), other keys come from JSON.
     */
    private void writeClocks(TableInfo t, Keys keys) throws SQLException {
        TxState tx = session.tx();
        long dbv = session.versions().current();
        int perRow = Math.max(1, t.columns().size());
        long base = tx.seq;
        String key = Sql.ident(t.pkColumns().get(0));
        String position = keys.progression() ? "(u." + key + " - ?1) / ?3" : "j.key";
        StringBuilder cols = new StringBuilder("key");
        StringBuilder vals = new StringBuilder(keys.progression() ? "u." + key : "j.value");
        if (t.columns().isEmpty()) {
            appendSlot(cols, vals, 0, 0, perRow, position);
        }
        for (int i = 0; i < t.columns().size(); i++) {
            appendSlot(cols, vals, t.columns().get(i).slot(), i, perRow, position);
        }
        String source = keys.progression()
                ? Sql.ident(t.name()) + " AS u WHERE " + Keys.inProgression("u." + key)
                : "json_each(?6) AS j WHERE true";
        PreparedStatement p = session.prepared("INSERT INTO " + Sql.ident(t.clockTable()) + " (" + cols + ") SELECT " + vals
                + " FROM " + source + " ON CONFLICT (key) DO NOTHING");
        if (keys.progression()) {
            keys.bindProgression(p);
        } else {
            p.setString(6, keys.json());
        }
        p.setLong(4, dbv);
        p.setLong(5, base);
        p.setString(7, "0".equals(tx.ts) ? null : tx.ts);
        int written = Reentrant.withoutGeneratedKeys(session.connection(), p::executeUpdate);
        if (written != keys.list().size()) {
            throw new SQLException("crsql - bulk capture of " + t.name() + " wrote " + written + " clock records for "
                    + keys.list().size() + " new rows", CrrErrors.INTERNAL);
        }
        tx.seq += (long) perRow * keys.list().size();
        tx.touched.addAll(t.id(), keys.list());
    }

    /** The clock records of rows with fresh keys in progression, as one range ({@link ClockRanges}). */
    private void writeRange(TableInfo t, Keys keys) throws SQLException {
        TxState tx = session.tx();
        int[] slots = ClockRanges.slotsOf(t);
        ClockRanges.Range range = new ClockRanges.Range(keys.lo(), keys.hi(), keys.step(), session.versions().current(),
                tx.seq, slots, "0".equals(tx.ts) ? null : tx.ts);
        PreparedStatement insert = session.prepared(ClockRanges.INSERT);
        Reentrant.withoutGeneratedKeys(session.connection(), () -> {
            ClockRanges.add(insert, t.id(), range);
            return null;
        });
        tx.seq += (long) slots.length * keys.list().size();
        tx.touched.addAll(t.id(), keys.list());
    }

    private static void appendSlot(StringBuilder cols, StringBuilder vals, int slot, int index, int perRow, String position) {
        cols.append(", ").append(Sql.f(slot, "v")).append(", ").append(Sql.f(slot, "db")).append(", ").append(Sql.f(slot, "site"))
            .append(", ").append(Sql.f(slot, "seq")).append(", ").append(Sql.f(slot, "ts"));
        vals.append(", 1, ?4, 0, ?5 + ").append(position).append(" * ").append(perRow).append(" + ").append(index).append(", ?7");
    }

    private static long longOf(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void rollbackQuietly(Exception cause) {
        for (String sql : List.of("ROLLBACK TO " + SAVEPOINT, "RELEASE " + SAVEPOINT)) {
            try {
                exec(sql);
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
        session.forgetTransactionCaches();
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = session.connection().createStatement()) {
            s.execute(sql);
        }
    }
}
