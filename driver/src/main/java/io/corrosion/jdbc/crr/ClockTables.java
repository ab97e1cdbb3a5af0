package io.corrosion.jdbc.crr;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * DDL of a CRR's clock table {@code <table>__crsql_clock}: one record per row ever seen, keyed by the primary key
 * (the rowid itself for {@code INTEGER PRIMARY KEY} tables), holding the row sentinel (slot 0: {@code cl, cl_db,
 * cl_site, cl_seq, cl_ts}, {@code cl} NULL = no sentinel row in cr-sqlite terms) and, per non-pk column slot
 * {@code i}, {@code ci_v} (col_version), {@code ci_db} (db_version), {@code ci_site} (site ordinal),
 * {@code ci_seq} and {@code ci_ts} ({@code ci_v} NULL = no clock row). A record with every field NULL stands for
 * cr-sqlite's pks lookaside row of a key whose clock rows are all gone or never written.
 */
final class ClockTables {
    static final List<String> FIELDS = List.of("v", "db", "site", "seq", "ts");

    private ClockTables() {}

    static String create(TableInfo t) {
        StringJoiner cols = new StringJoiner(", ");
        cols.add(t.keyKind() == TableInfo.KeyKind.ROWID ? "key INTEGER PRIMARY KEY" : "key NOT NULL PRIMARY KEY");
        for (int s = 0; s <= t.maxSlot(); s++) {
            cols.add(slotColumns(s));
        }
        return "CREATE TABLE " + Sql.ident(t.clockTable()) + " (" + cols + ")"
                + (t.keyKind() == TableInfo.KeyKind.ROWID ? "" : " WITHOUT ROWID");
    }

    static List<String> addSlot(TableInfo t, int slot) {
        List<String> out = new ArrayList<>();
        for (String f : FIELDS) {
            out.add("ALTER TABLE " + Sql.ident(t.clockTable()) + " ADD COLUMN " + Sql.f(slot, f) + (f.equals("ts") ? " TEXT" : " INTEGER"));
        }
        return out;
    }

    private static String slotColumns(int s) {
        StringJoiner j = new StringJoiner(", ");
        for (String f : FIELDS) {
            j.add(Sql.f(s, f) + (f.equals("ts") ? " TEXT" : " INTEGER"));
        }
        return j.toString();
    }

    /** All record columns in table order, key first. */
    static List<String> recordColumns(TableInfo t) {
        List<String> out = new ArrayList<>();
        out.add("key");
        for (int s = 0; s <= t.maxSlot(); s++) {
            for (String f : FIELDS) {
                out.add(Sql.f(s, f));
            }
        }
        return out;
    }
}
