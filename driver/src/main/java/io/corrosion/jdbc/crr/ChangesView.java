package io.corrosion.jdbc.crr;

import java.util.Collection;
import java.util.StringJoiner;

/**
 * The {@code crsql_changes} relation: a TEMP view of each connection that uses it ({@link ConnectionChangesView}),
 * made again when the set of CRRs or their columns change, with three arms per CRR that emit every clock field whose
 * (site, db_version) is a version log entry's: one walks
 * {@code __corrosion_log}, one its ranges ({@code __corrosion_log_range}, not for composite keys), the other this site's entries the journal has not flushed yet ({@link LocalJournal}: JSON
 * from {@code crsql_internal_unflushed}, above the flushed watermark the reader's snapshot sees, so no entry is
 * emitted twice or missed). {@code INSERT INTO crsql_changes} is an INSTEAD OF trigger that merges the row.
 *
 * <p>Predicates on {@code site_id} and {@code db_version} reach the log's primary key, so reads of one site's
 * version range are index range scans.
 */
final class ChangesView {
    static final String NAME = "crsql_changes";
    static final String INSERT_TRIGGER = "crsql_changes__crsql_insert";

    private ChangesView() {}

    /** Drops this connection's view (and its trigger); a main-schema one of an older format stays. */
    static String drop() {
        return "DROP VIEW IF EXISTS temp." + NAME;
    }

    /**
     * Drops the view files of format 9 and older keep in their schema: every connection parsed its SQL on its first
     * statement, about a third of the cost of opening one.
     */
    static String dropFromMain() {
        return "DROP VIEW IF EXISTS main." + NAME;
    }

    // The file's relations, qualified: a TEMP view's unqualified names look in temp first, where the application may
    // have a table of a CRR's name.
    private static final String LOG = "main." + CrrMetadata.LOG;
    private static final String LOG_RANGES = "main." + CrrMetadata.LOG_RANGES;
    private static final String SITE_ID = "main." + CrrMetadata.SITE_ID;

    /** The flushed watermark as the reader's snapshot has it. */
    private static final String FLUSHED = "(SELECT value FROM main." + CrrMetadata.MASTER + " WHERE key = '"
            + LocalJournal.FLUSHED_KEY + "')";
    /** A journal entry's key: JSON number or string as is, a blob from hex, any other value packed. */
    private static final String JOURNAL_KEY = "CASE json_type(j.value, '$[1]') WHEN 'object' THEN"
            + " COALESCE(unhex(j.value ->> '$[1].b'), crsql_internal_pk_part(unhex(j.value ->> '$[1].p'), 0))"
            + " ELSE j.value ->> '$[1]' END";

    static String create(Collection<TableInfo> tables) {
        StringJoiner arms = new StringJoiner(" UNION ALL ");
        for (TableInfo t : tables) {
            arms.add(arm(t, "l.db_version", "l.site", "c.key = l.key", LOG + " AS l JOIN " + SITE_ID
                    + " AS s ON s.ordinal = l.site", "l.tbl = " + t.id() + " AND "));
            if (t.keyKind() != TableInfo.KeyKind.PACKED) {
                // A key both in a range and in the log (an entry written beside a range of its version) shows once;
                // +c.key: compared without the clock key's INTEGER affinity, the probe can use the log's whole key.
                arms.add(arm(t, "l.db_version", "l.site", CrrMetadata.inLogRange(t, "c.key", "l"), LOG_RANGES
                        + " AS l JOIN " + SITE_ID + " AS s ON s.ordinal = l.site", "l.tbl = " + t.id()
                        + " AND NOT EXISTS (SELECT 1 FROM " + LOG + " AS x WHERE x.site = l.site AND"
                        + " x.db_version = l.db_version AND x.tbl = l.tbl AND x.key = +c.key) AND "));
            }
            arms.add(arm(t, "(j.value ->> '$[0]')", "0", "c.key = " + JOURNAL_KEY, "json_each(crsql_internal_unflushed("
                    + t.id() + ", " + FLUSHED + ")) AS j JOIN " + SITE_ID + " AS s ON s.ordinal = 0", ""));
            if (t.ranged()) {
                arms.add(rangeArm(t));
            }
        }
        if (tables.isEmpty()) {
            arms.add("SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0");
        }
        return "CREATE TEMP VIEW " + NAME + " (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts)"
                + " AS " + arms;
    }

    static String insertTrigger() {
        return "CREATE TEMP TRIGGER " + INSERT_TRIGGER + " INSTEAD OF INSERT ON temp." + NAME
                + " BEGIN SELECT crsql_internal_merge(NEW.\"table\", NEW.pk, NEW.cid, NEW.val, NEW.col_version,"
                + " NEW.db_version, NEW.site_id, NEW.cl, NEW.seq, NEW.ts); END";
    }

    /**
     * One arm: every clock field of {@code t} whose (site, db_version) is that of an entry of {@code source}.
     *
     * @param dbVersion, site the entry's columns in {@code source}
     * @param keyMatch   the condition on the clock record {@code c} that it is a row of the entry
     */
    private static String arm(TableInfo t, String dbVersion, String site, String keyMatch, String source, String filter) {
        StringJoiner fieldSlots = new StringJoiner(", ");
        fieldSlots.add("(0, '-1')");
        for (TableInfo.Column c : t.columns()) {
            fieldSlots.add("(" + c.slot() + ", " + Sql.literal(c.name()) + ")");
        }
        String pk = t.keyKind() == TableInfo.KeyKind.PACKED ? "c.key" : "crsql_pack_columns(c.key)";
        StringBuilder userJoin = new StringBuilder(" LEFT JOIN main." + Sql.ident(t.name()) + " AS u ON ");
        if (t.keyKind() == TableInfo.KeyKind.PACKED) {
            StringJoiner on = new StringJoiner(" AND ");
            for (int i = 0; i < t.pkColumns().size(); i++) {
                on.add("u." + Sql.ident(t.pkColumns().get(i)) + " = crsql_internal_pk_part(c.key, " + i + ")");
            }
            userJoin.append(on);
        } else {
            userJoin.append("u.").append(Sql.ident(t.pkColumns().get(0))).append(" = c.key");
        }
        return "SELECT " + Sql.literal(t.name()) + ", " + pk + ", f.column2, " + byslot(t, "val", null, null)
                + ", " + byslot(t, "v", null, null) + ", " + dbVersion + ", s.site_id, COALESCE(c.cl, 1), "
                + byslot(t, "seq", null, null) + ", COALESCE(" + byslot(t, "ts", null, null) + ", '0')"
                + " FROM " + source + " JOIN main." + Sql.ident(t.clockTable()) + " AS c ON " + keyMatch
                + " JOIN (VALUES " + fieldSlots + ") AS f" + userJoin
                + " WHERE " + filter + byslot(t, "match", dbVersion, site);
    }

    /**
     * The records clock ranges stand for ({@link ClockRanges}): every key of a range still in the table (all of them, as
     * the key leaves its range when its record becomes a row), each column at col_version 1 and the range's version,
     * seq and timestamp. A range has the table's current columns in order (schema changes write ranges out first).
     */
    private static String rangeArm(TableInfo t) {
        String key = "u." + Sql.ident(t.pkColumns().get(0));
        StringJoiner fields = new StringJoiner(", ");
        StringBuilder val = new StringBuilder("NULL");
        if (t.columns().isEmpty()) {
            fields.add("(0, '-1', 0)");
        } else {
            val = new StringBuilder("CASE f.column1");
            for (int i = 0; i < t.columns().size(); i++) {
                TableInfo.Column c = t.columns().get(i);
                fields.add("(" + c.slot() + ", " + Sql.literal(c.name()) + ", " + i + ")");
                val.append(" WHEN ").append(c.slot()).append(" THEN u.").append(Sql.ident(c.name()));
            }
            val.append(" END");
        }
        return "SELECT " + Sql.literal(t.name()) + ", crsql_pack_columns(" + key + "), f.column2, " + val + ", 1, r.db,"
                + " s.site_id, 1, r.seq + (" + key + " - r.lo) / r.step * r.width + f.column3, COALESCE(r.ts, '0')"
                + " FROM main." + ClockRanges.TABLE + " AS r JOIN " + SITE_ID + " AS s ON s.ordinal = 0"
                + " JOIN main." + Sql.ident(t.name()) + " AS u ON " + key + " BETWEEN r.lo AND r.hi AND (" + key + " - r.lo) % r.step = 0"
                + " JOIN (VALUES " + fields + ") AS f WHERE r.tbl = " + t.id();
    }

    /** A CASE over the field's slot: a clock field, the user value, or whether the field belongs to the entry. */
    private static String byslot(TableInfo t, String what, String dbVersion, String site) {
        StringBuilder sb = new StringBuilder("CASE f.column1");
        sb.append(" WHEN 0 THEN ").append(slotExpr(0, null, what, dbVersion, site));
        for (TableInfo.Column c : t.columns()) {
            sb.append(" WHEN ").append(c.slot()).append(" THEN ").append(slotExpr(c.slot(), c.name(), what, dbVersion, site));
        }
        return sb.append(" END").toString();
    }

    private static String slotExpr(int slot, String column, String what, String dbVersion, String site) {
        return switch (what) {
            case "val" -> column == null ? "NULL" : "u." + Sql.ident(column);
            case "match" -> "c." + Sql.f(slot, "db") + " = " + dbVersion + " AND c." + Sql.f(slot, "site") + " = " + site;
            default -> "c." + Sql.f(slot, what);
        };
    }
}
