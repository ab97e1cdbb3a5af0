package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Clock records of bulk-inserted rows kept as one range each instead of one record per row: {@code
 * __corrosion_clock_range (tbl, lo, hi, step, db, seq, slots, width, ts)} stands for the records of the keys {@code lo,
 * lo + step, ..., hi}, exactly those the insert trigger would have written for rows inserted in that order: every column
 * slot in {@code slots} (comma-separated, in column order; {@code 0} alone, the sentinel, for a table of key columns only)
 * at col_version 1, db version {@code db}, this site, seq {@code seq + position * width + index}, timestamp {@code ts}.
 * Writing one row per batch instead of one clock record per row is most of what makes a large JDBC batch cheap
 * ({@link BulkInserts}).
 *
 * <p>A key is covered by a range exactly when its record is virtual: the first write that needs the record as a row
 * (a capture trigger, a merge, a primary-key change) writes it to the clock table and cuts the key out of its range
 * ({@link TableStatements#materialize}), so no key is ever both. Readers of single records ({@link TableStatements#load}), the
 * {@code crsql_changes} view (an arm of its own per ranged table) and journal recovery read ranges as records; schema
 * changes write every range out first ({@link #materializeAll}), so a range always has the columns of its table.
 *
 * <p>Only tables whose capture triggers look ranges up may have them ({@link TableInfo#ranged()}): the triggers of a
 * table without bulk inserts pay nothing for this. A table becomes ranged with its first large bulk insert, and stays so
 * until a schema change writes its ranges out.
 */
final class ClockRanges {
    static final String TABLE = "__corrosion_clock_range";
    /** Keys written out at once around one that must be ({@link Range#block}). */
    static final int BLOCK = 64;

    private ClockRanges() {}

    static String create() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (tbl INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,"
                + " step INTEGER NOT NULL, db INTEGER NOT NULL, seq INTEGER NOT NULL, slots TEXT NOT NULL,"
                + " width INTEGER NOT NULL, ts TEXT, PRIMARY KEY (tbl, lo)) WITHOUT ROWID";
    }

    /** One range row. */
    record Range(long lo, long hi, long step, long db, long seq, int[] slots, String ts) {
        /** The seq of the first slot of {@code key}'s record. */
        long seqOf(long key) {
            return seq + (key - lo) / step * slots.length;
        }

        /**
         * The keys written out with {@code key} when its record must become a row: its block of {@value #BLOCK}
         * positions, so that an UPDATE of every row of a range writes records out in blocks, not one call each.
         */
        long[] block(long key) {
            long position = (key - lo) / step;
            long first = position - position % BLOCK;
            long last = first + Math.min(BLOCK - 1, (hi - lo) / step - first);
            return new long[] {lo + first * step, lo + last * step};
        }

        boolean covers(long key) {
            return key >= lo && key <= hi && (key - lo) % step == 0;
        }

        /** The record of {@code key}, a key this range covers. */
        ClockRecord record(long key, int maxSlot) {
            ClockRecord rec = new ClockRecord(key, maxSlot);
            long first = seqOf(key);
            for (int i = 0; i < slots.length; i++) {
                rec.slots[slots[i]] = new ClockRecord.Clock(1, db, 0, first + i, ts);
            }
            rec.stored = true;
            rec.virtual = true;
            return rec;
        }
    }

    /** The range that may cover a key ({@code ?1} table id, {@code ?2} key): the one starting at or below it. */
    static final String COVER = "SELECT lo, hi, step, db, seq, slots, ts FROM " + TABLE
            + " WHERE tbl = ?1 AND lo <= ?2 ORDER BY lo DESC LIMIT 1";
    static final String DELETE = "DELETE FROM " + TABLE + " WHERE tbl = ? AND lo = ?";
    static final String INSERT = "INSERT INTO " + TABLE + " (tbl, lo, hi, step, db, seq, slots, width, ts)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The range covering {@code key}, or null. */
    static Range cover(PreparedStatement coverQuery, long table, long key) throws SQLException {
        Range r = FirstRow.read(coverQuery, new Object[] {table, key}, row -> new Range(row.getLong(0), row.getLong(1),
                row.getLong(2), row.getLong(3), row.getLong(4), parseSlots(row.getString(5)), row.getString(6)), null);
        return r != null && r.covers(key) ? r : null;
    }

    /**
     * Writes out the records of the keys {@code a..b} of {@code r} ({@code writeOut}, from {@link #writeOutSql}) and cuts
     * those keys out of the range: the keys below and above stay ranges of their own.
     */
    static void writeOut(PreparedStatement writeOut, PreparedStatement delete, PreparedStatement insert, long table, Range r,
                         long a, long b) throws SQLException {
        writeOut.setLong(1, r.db());
        writeOut.setLong(2, r.seq());
        writeOut.setLong(3, r.lo());
        writeOut.setLong(4, r.step());
        writeOut.setString(5, r.ts());
        writeOut.setLong(6, a);
        writeOut.setLong(7, b);
        writeOut.executeUpdate();
        delete.setLong(1, table);
        delete.setLong(2, r.lo());
        delete.executeUpdate();
        if (a > r.lo()) {
            add(insert, table, new Range(r.lo(), a - r.step(), r.step(), r.db(), r.seq(), r.slots(), r.ts()));
        }
        if (b < r.hi()) {
            add(insert, table, new Range(b + r.step(), r.hi(), r.step(), r.db(), r.seqOf(b + r.step()), r.slots(), r.ts()));
        }
    }

    /**
     * The records of the keys {@code ?6, ?6 + step, ..., ?7} of a range ({@code ?1} db, {@code ?2} seq, {@code ?3} lo,
     * {@code ?4} step, {@code ?5} ts) into {@code t}'s clock table; a record there already stays. Every key, whether its
     * row is there or not: as the records written row by row, which a delete while capture was off (between {@code
     * crsql_begin_alter} and {@code crsql_commit_alter}) leaves too.
     */
    static String writeOutSql(TableInfo t, int[] slots) {
        StringBuilder cols = new StringBuilder("key");
        StringBuilder vals = new StringBuilder("k.key");
        for (int i = 0; i < slots.length; i++) {
            int s = slots[i];
            cols.append(", ").append(Sql.f(s, "v")).append(", ").append(Sql.f(s, "db")).append(", ")
                .append(Sql.f(s, "site")).append(", ").append(Sql.f(s, "seq")).append(", ").append(Sql.f(s, "ts"));
            vals.append(", 1, ?1, 0, ?2 + (k.key - ?3) / ?4 * ").append(slots.length).append(" + ").append(i).append(", ?5");
        }
        // Counted up while below ?7 (never past it: no overflow next to the largest key).
        return "WITH RECURSIVE k(key) AS (SELECT ?6 UNION ALL SELECT key + ?4 FROM k WHERE key < ?7) INSERT INTO "
                + Sql.ident(t.clockTable()) + " (" + cols + ") SELECT " + vals + " FROM k WHERE true ON CONFLICT (key) DO NOTHING";
    }

    static void add(PreparedStatement insert, long table, Range r) throws SQLException {
        insert.setLong(1, table);
        insert.setLong(2, r.lo());
        insert.setLong(3, r.hi());
        insert.setLong(4, r.step());
        insert.setLong(5, r.db());
        insert.setLong(6, r.seq());
        insert.setString(7, slotsText(r.slots()));
        insert.setInt(8, r.slots().length);
        insert.setString(9, r.ts());
        insert.executeUpdate();
    }

    /** The clock slots a bulk-inserted row of {@code t} gets a clock in: its columns', or the sentinel's. */
    static int[] slotsOf(TableInfo t) {
        if (t.columns().isEmpty()) {
            return new int[] {0};
        }
        return t.columns().stream().mapToInt(TableInfo.Column::slot).toArray();
    }

    static String slotsText(int[] slots) {
        StringJoiner j = new StringJoiner(",");
        for (int s : slots) {
            j.add(Integer.toString(s));
        }
        return j.toString();
    }

    static int[] parseSlots(String text) {
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    /**
     * The statement a ranged table's capture triggers run first: writes out the record of {@code keyExpr} if a range
     * covers it (a call into Java only then; otherwise one lookup in the ranges' b-tree).
     */
    static String triggerStep(TableInfo t, String keyExpr) {
        return "SELECT crsql_internal_materialize(" + t.id() + ", r.k) FROM (SELECT " + keyExpr + " AS k, lo, hi, step FROM "
                + TABLE + " WHERE tbl = " + t.id() + " AND lo <= " + keyExpr + " ORDER BY lo DESC LIMIT 1) AS r"
                + " WHERE r.hi >= r.k AND (r.k - r.lo) % r.step = 0;";
    }

    /** Writes every range of {@code t} out as clock records and removes the ranges. */
    static void materializeAll(Connection c, TableInfo t) throws SQLException {
        List<Range> ranges = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT lo, hi, step, db, seq, slots, ts FROM " + TABLE
                + " WHERE tbl = ?")) {
            p.setLong(1, t.id());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ranges.add(new Range(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            parseSlots(rs.getString(6)), rs.getString(7)));
                }
            }
        }
        try (PreparedStatement delete = c.prepareStatement(DELETE); PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Range r : ranges) {
                try (PreparedStatement writeOut = c.prepareStatement(writeOutSql(t, r.slots()))) {
                    writeOut(writeOut, delete, insert, t.id(), r, r.lo(), r.hi());
                }
            }
        }
    }

    /** Forgets the ranges of a table that is no longer a CRR. */
    static void drop(Connection c, long table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + TABLE + " WHERE tbl = " + table);
        }
    }
}
