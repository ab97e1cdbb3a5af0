package io.corrosion.jdbc.crr;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The AFTER INSERT/UPDATE/DELETE triggers that capture local writes into a CRR's clock record, exactly as
 * cr-sqlite's {@code after_insert/after_update/after_delete} would write its clock rows.
 *
 * <p>The common paths are plain SQL evaluated inside SQLite. A captured row costs one call into Java,
 * {@code crsql_internal_stamp(seqs, tbl, key)} ({@code crsql_internal_stamp(tbl, key)} for one seq): it takes the seqs
 * from the transaction's counter, notes the row for the version log ({@link Touched}, {@link LocalJournal}) and returns
 * the transaction's db version and first seq packed in one integer (see {@link #stamp}), or NULL while capture is off
 * (a merge writes), so the trigger writes nothing.
 * Each call from SQLite into Java costs about as much as a small b-tree write (measured ~0.6 µs through sqlite-jdbc),
 * which is why there is one per row and not one per value. An UPDATE is captured by one trigger per column
 * ({@code AFTER UPDATE OF c}), so an update of one column touches one clock field and SQLite skips the triggers of
 * columns the statement does not set. A primary-key change and an insert of a key seen before (a deleted row inserted
 * again, an INSERT OR REPLACE over a row), which are rare and intricate, are delegated to Java
 * ({@code crsql_internal_pk_change}, {@code crsql_internal_reinsert}): every connection parses every trigger's text on
 * its first statement, so text only the rare paths need costs each open.
 */
final class CaptureTriggers {
    /**
     * Keeps SQLite from flattening the one-row subquery that calls the seq and version functions into the
     * statement that uses its columns several times, which would call them once per use (an OFFSET blocks it).
     */
    private static final String ONCE = " LIMIT 1 OFFSET 0";

    /** The transaction's db version: the pending one, or on its first write the committed local version + 1. */
    private static final String DB_VERSION = "crsql_internal_dbv()";

    /** The names an UPDATE may set the rowid by, which an {@code INTEGER PRIMARY KEY} aliases. */
    private static final List<String> ROWID_NAMES = List.of("rowid", "oid", "_rowid_");

    /** Prefix of every capture trigger's name: {@code <table>__crsql_}. */
    static String namePrefix(String table) {
        return table + "__crsql_";
    }

    private CaptureTriggers() {}

    static List<String> create(TableInfo t) {
        List<String> out = new ArrayList<>();
        out.add(insertTrigger(t));
        // Triggers on the same event fire newest first: created last to first, the columns' fire in column order, and
        // their seqs follow column order as cr-sqlite's do.
        for (int i = t.columns().size() - 1; i >= 0; i--) {
            out.add(columnUpdateTrigger(t, t.columns().get(i)));
        }
        out.add(pkChangeTrigger(t));
        out.add(deleteTrigger(t));
        return out;
    }

    private static final String INSERT_SUFFIX = "__crsql_itrig";
    private static final String DELETE_SUFFIX = "__crsql_dtrig";

    static String deleteTriggerName(String table) {
        return table + DELETE_SUFFIX;
    }

    /** A ranged table's triggers first write out the record of a key a clock range stands for ({@link ClockRanges}). */
    private static String rangeStep(TableInfo t, String keyExpr) {
        return t.ranged() ? ClockRanges.triggerStep(t, keyExpr) : "";
    }

    static String insertTriggerName(TableInfo t) {
        return t.name() + INSERT_SUFFIX;
    }

    /** How many capture triggers a CRR of this shape has. */
    static int count(TableInfo t) {
        return 3 + t.columns().size();
    }

    /** Bits of the packed stamp that hold the first seq; the db version is above them. */
    static final int SEQ_BITS = 24;

    /**
     * The stamp of a captured row, as a one-row subquery {@code x(k, d, q, ts)}: its clock key, the transaction's db
     * version, the first of {@code seqs} seqs and the HLC timestamp (NULL unless one is set). No row while capture is
     * off. {@code crsql_internal_stamp} returns {@code db_version << 24 | seq}; when that does not fit, or a timestamp
     * is set, it returns -1 and the rare slow path asks for each value ({@code crsql_internal_dbv},
     * {@code crsql_internal_last_seq}, {@code crsql_internal_ts}). Only the inner query {@code z} that calls it is kept
     * whole ({@link #ONCE}); SQLite flattens {@code x} into the statement (one co-routine instead of three).
     */
    private static String stamp(TableInfo t, int seqs, String keyExpr) {
        return "(SELECT z.k, " + STAMP_DB_VERSION + " AS d, " + STAMP_SEQ + " AS q, " + STAMP_TS + " AS ts FROM "
                + stampCall(t, seqs, keyExpr) + ") AS x";
    }

    /** The db version, first seq and timestamp of a stamp {@code z}. */
    private static final String STAMP_DB_VERSION = "iif(z.s >= 0, z.s >> " + SEQ_BITS + ", " + DB_VERSION + ")";
    private static final String STAMP_SEQ = "iif(z.s >= 0, z.s & " + ((1 << SEQ_BITS) - 1) + ", crsql_internal_last_seq())";
    private static final String STAMP_TS = "iif(z.s < 0, crsql_internal_ts(), NULL)";

    /**
     * {@code (...) AS z WHERE z.s IS NOT NULL}: the one-row query {@code z(k, s)} that calls {@code crsql_internal_stamp}
     * once, no row while capture is off. A packed key is computed once, in {@code y}; another key is a column of the
     * row, named twice.
     */
    private static String stampCall(TableInfo t, int seqs, String keyExpr) {
        String call = "crsql_internal_stamp(" + (seqs == 1 ? "" : seqs + ", ") + t.id() + ", ";
        String z = t.keyKind() == TableInfo.KeyKind.PACKED
                ? "SELECT y.k, " + call + "y.k) AS s FROM (SELECT " + keyExpr + " AS k) AS y"
                : "SELECT " + keyExpr + " AS k, " + call + keyExpr + ") AS s";
        return "(" + z + ONCE + ") AS z WHERE z.s IS NOT NULL";
    }

    static String key(TableInfo t, String row) {
        if (t.keyKind() == TableInfo.KeyKind.PACKED) {
            return "crsql_pack_columns(" + Sql.idents(t.pkColumns(), row + ".") + ")";
        }
        return row + "." + Sql.ident(t.pkColumns().get(0));
    }

    /** A capture trigger that runs while {@code condition} (may be empty) holds; the stamp checks capture. */
    private static String head(TableInfo t, String suffix, String event, String condition) {
        return "CREATE TRIGGER " + Sql.ident(t.name() + suffix) + " AFTER " + event + " ON " + Sql.ident(t.name())
                + (condition.isEmpty() ? "" : " WHEN " + condition) + " BEGIN ";
    }

    private static String insertTrigger(TableInfo t) {
        String clock = Sql.ident(t.clockTable());
        String k = key(t, "new");
        // Skipped while a bulk insert into the table captures its rows itself (BulkInserts): a read, not a Java call.
        StringBuilder sb = new StringBuilder(head(t, INSERT_SUFFIX, "INSERT",
                "NOT EXISTS (SELECT 1 FROM " + CrrMetadata.BULK + " WHERE tbl = " + t.id() + ")")).append(rangeStep(t, k));
        if (t.columns().isEmpty()) {
            sb.append("INSERT INTO ").append(clock).append(" (key, cl, cl_db, cl_site, cl_seq, cl_ts)")
              .append(" SELECT x.k, 1, x.d, 0, x.q, x.ts FROM ").append(stamp(t, 1, k)).append(" WHERE true")
              .append(" ON CONFLICT (key) DO UPDATE SET cl = CASE WHEN cl IS NULL THEN 1 WHEN cl % 2 = 0 THEN cl + 1 ELSE cl + 2 END,")
              .append(" cl_db = excluded.cl_db, cl_site = 0, cl_seq = excluded.cl_seq, cl_ts = excluded.cl_ts;");
        } else {
            // First as a fresh key (the common case: a plain insert). If the key has a record already (changes() is 0
            // right after: a deleted row inserted again, an INSERT OR REPLACE over a row), Java writes it
            // (LocalWrites.reinserted with reinsert below): rare, and its text grows with the square of the columns,
            // which as a trigger every connection's first statement would parse. While capture is off neither writes.
            sb.append(freshRecord(t)).append(stamp(t, t.columns().size(), k)).append(" WHERE true ON CONFLICT (key) DO NOTHING;");
            sb.append("SELECT crsql_internal_reinsert(").append(t.id()).append(", ").append(k).append(") WHERE changes() = 0;");
        }
        sb.append(" END");
        return sb.toString();
    }

    /**
     * {@code INSERT INTO <clock> (...) SELECT ... FROM }, to be followed by a one-row source {@code x(k, d, q, ts)}: a
     * record of key {@code x.k} whose every column has col_version 1 at db version {@code x.d}, seqs from {@code x.q}
     * in column order.
     */
    private static String freshRecord(TableInfo t) {
        StringJoiner cols = new StringJoiner(", ");
        StringJoiner vals = new StringJoiner(", ");
        for (int i = 0; i < t.columns().size(); i++) {
            int s = t.columns().get(i).slot();
            cols.add(Sql.f(s, "v")).add(Sql.f(s, "db")).add(Sql.f(s, "site")).add(Sql.f(s, "seq")).add(Sql.f(s, "ts"));
            vals.add("1").add("x.d").add("0").add("x.q + " + i).add("x.ts");
        }
        return "INSERT INTO " + Sql.ident(t.clockTable()) + " (key, " + cols + ") SELECT x.k, " + vals + " FROM ";
    }

    /**
     * cr-sqlite's insert of a key seen before, for a table with non-key columns; parameters: key, db version, first
     * seq, ts. Prepared by Java on a connection's first such insert ({@link LocalWrites#reinserted}), which has taken
     * the row's seqs: one for the sentinel, which goes to the next odd causal length and is spent even if the key has
     * none, then one per column, whose col_version goes up by one (1 where it had no clock).
     */
    static String reinsert(TableInfo t) {
        int n = t.columns().size();
        StringJoiner sets = new StringJoiner(", ");
        int first = t.columns().get(0).slot();
        sets.add("cl = CASE WHEN cl IS NULL THEN NULL WHEN cl % 2 = 0 THEN cl + 1 ELSE cl + 2 END");
        for (String f : List.of("db", "site", "seq", "ts")) {
            String v = f.equals("site") ? "0" : "excluded." + Sql.f(first, f);
            sets.add(Sql.f(0, f) + " = CASE WHEN cl IS NULL THEN NULL ELSE " + v + " END");
        }
        // Columns that still have a clock take the seqs after the sentinel's in column order, then the columns without
        // one (cr-sqlite's mark_locally_inserted hands a missing column's seq to the next column it updates and inserts
        // the missing ones last).
        String base = "excluded." + Sql.f(first, "seq") + " + 1";
        StringJoiner allExisting = new StringJoiner(" + ");
        for (TableInfo.Column c : t.columns()) {
            allExisting.add("(" + Sql.f(c.slot(), "v") + " IS NOT NULL)");
        }
        StringBuilder existingBefore = new StringBuilder("0");
        for (int i = 0; i < n; i++) {
            int s = t.columns().get(i).slot();
            String exists = Sql.f(s, "v") + " IS NOT NULL";
            sets.add(Sql.f(s, "v") + " = COALESCE(" + Sql.f(s, "v") + " + 1, 1)")
                .add(Sql.f(s, "db") + " = excluded." + Sql.f(s, "db"))
                .add(Sql.f(s, "site") + " = 0")
                .add(Sql.f(s, "seq") + " = CASE WHEN " + exists + " THEN " + base + " + " + existingBefore
                        + " ELSE " + base + " + " + allExisting + " + " + i + " - (" + existingBefore + ") END")
                .add(Sql.f(s, "ts") + " = excluded." + Sql.f(s, "ts"));
            existingBefore.append(" + (").append(exists).append(")");
        }
        return freshRecord(t) + REINSERT_SOURCE + " WHERE true ON CONFLICT (key) DO UPDATE SET " + sets;
    }

    /** The one-row source of {@link #reinsert}: its parameters. */
    static final String REINSERT_SOURCE = "(SELECT ? AS k, ? AS d, ? AS q, ? AS ts) AS x";

    /** 1 if the column's value changed in cr-sqlite's sense (type or bytes differ), else 0. */
    static String changed(String col) {
        String c = Sql.ident(col);
        return "(new." + c + " IS NOT old." + c + " COLLATE BINARY OR typeof(new." + c + ") <> typeof(old." + c + "))";
    }

    static String pkSame(TableInfo t) {
        StringJoiner j = new StringJoiner(" AND ");
        for (String pk : t.pkColumns()) {
            String c = Sql.ident(pk);
            j.add("(new." + c + " IS old." + c + " COLLATE BINARY AND typeof(new." + c + ") = typeof(old." + c + "))");
        }
        return j.toString();
    }

    /**
     * One column's update capture: a changed value bumps the column's clock (col_version + 1, or 1 if it had none) at
     * the transaction's db version and next seq. Not fired for statements that do not set the column. It reads the
     * stamp without the subquery {@code x} (which SQLite flattens anyway): a table has one per column, and every
     * connection parses them all on its first statement.
     */
    private static String columnUpdateTrigger(TableInfo t, TableInfo.Column c) {
        String clock = Sql.ident(t.clockTable());
        int s = c.slot();
        String v = Sql.f(s, "v");
        return "CREATE TRIGGER " + Sql.ident(namePrefix(t.name()) + "utrig_" + s) + " AFTER UPDATE OF " + Sql.ident(c.name())
                + " ON " + Sql.ident(t.name()) + " WHEN " + changed(c.name()) + " AND (" + pkSame(t) + ")"
                + " BEGIN " + rangeStep(t, key(t, "new")) + "INSERT INTO " + clock + " (key, " + v + ", " + Sql.f(s, "db") + ", " + Sql.f(s, "site") + ", "
                + Sql.f(s, "seq") + ", " + Sql.f(s, "ts") + ") SELECT z.k, 1, " + STAMP_DB_VERSION + ", 0, " + STAMP_SEQ + ", "
                + STAMP_TS + " FROM " + stampCall(t, 1, key(t, "new")) + " ON CONFLICT (key) DO UPDATE SET " + v + " = COALESCE(" + v + " + 1, 1), "
                + Sql.f(s, "db") + " = excluded." + Sql.f(s, "db") + ", " + Sql.f(s, "site") + " = 0, " + Sql.f(s, "seq")
                + " = excluded." + Sql.f(s, "seq") + ", " + Sql.f(s, "ts") + " = excluded." + Sql.f(s, "ts") + "; END";
    }

    /**
     * Only UPDATEs that set a primary-key column fire it ({@code UPDATE OF}): a row trigger costs SQLite per row even
     * when its WHEN is false (measured ~0.8 µs on an UPDATE of one other column). SQLite matches the names of the SET
     * list, so an {@code INTEGER PRIMARY KEY} table also lists the rowid's names, which change the key as well.
     */
    private static String pkChangeTrigger(TableInfo t) {
        StringBuilder mask = new StringBuilder("''");
        for (TableInfo.Column c : t.columns()) {
            mask.append(" || ").append(changed(c.name()));
        }
        List<String> keyNames = new ArrayList<>(t.pkColumns());
        if (t.keyKind() == TableInfo.KeyKind.ROWID) {
            ROWID_NAMES.stream().filter(n -> !n.equalsIgnoreCase(t.pkColumns().get(0))).forEach(keyNames::add);
        }
        return head(t, "__crsql_utrig_pk", "UPDATE OF " + Sql.idents(keyNames, ""),
                "NOT (" + pkSame(t) + ") AND crsql_internal_capture()")
                + "SELECT crsql_internal_pk_change(" + t.id() + ", " + key(t, "old") + ", " + key(t, "new") + ", " + mask + "); END";
    }

    private static String deleteTrigger(TableInfo t) {
        String clock = Sql.ident(t.clockTable());
        String k = key(t, "old");
        StringJoiner clear = new StringJoiner(", ");
        for (int s = 1; s <= t.maxSlot(); s++) {
            for (String f : List.of("v", "db", "site", "seq", "ts")) {
                clear.add(Sql.f(s, f) + " = NULL");
            }
        }
        return head(t, DELETE_SUFFIX, "DELETE", "") + rangeStep(t, k)
                + "INSERT INTO " + clock + " (key, cl, cl_db, cl_site, cl_seq, cl_ts) SELECT x.k, 2, x.d, 0, x.q, x.ts FROM "
                + stamp(t, 1, k) + " WHERE true"
                + " ON CONFLICT (key) DO UPDATE SET cl = COALESCE(cl + 1, 2), cl_db = excluded.cl_db, cl_site = 0,"
                + " cl_seq = excluded.cl_seq, cl_ts = excluded.cl_ts" + (clear.length() == 0 ? "" : ", " + clear) + "; END";
    }
}
