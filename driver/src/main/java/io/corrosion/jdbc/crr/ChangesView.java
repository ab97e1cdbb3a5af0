package io.corrosion.jdbc.crr;

import java.util.Collection;
import java.util.StringJoiner;

/**
 * The {@code crsql_changes} relation: a view, regenerated whenever the set of CRRs or their columns change,
 * with one arm per CRR that walks the version log and emits every clock field whose (site, db_version) is that
 * log entry's. {@code INSERT INTO crsql_changes} is an INSTEAD OF trigger that merges the row.
 *
 * <p>Predicates on {@code site_id} and {@code db_version} reach the log's primary key, so reads of one site's
 * version range are index range scans.
 */
final class ChangesView {
    static final String NAME = "crsql_changes";
    static final String INSERT_TRIGGER = "crsql_changes__crsql_insert";

    private ChangesView() {}

    static String drop() {
        return "DROP VIEW IF EXISTS " + NAME;
    }

    static String create(Collection<TableInfo> tables) {
        StringJoiner arms = new StringJoiner(" UNION ALL ");
        for (TableInfo t : tables) {
            arms.add(arm(t));
        }
        if (tables.isEmpty()) {
            arms.add("SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0");
        }
        return "CREATE VIEW " + NAME + " (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts) AS " + arms;
    }

    static String insertTrigger() {
        return "CREATE TRIGGER " + INSERT_TRIGGER + " INSTEAD OF INSERT ON " + NAME + " BEGIN SELECT crsql_internal_merge("
                + "NEW.\"table\", NEW.pk, NEW.cid, NEW.val, NEW.col_version, NEW.db_version, NEW.site_id, NEW.cl, NEW.seq, NEW.ts); END";
    }

    private static String arm(TableInfo t) {
        StringJoiner fieldSlots = new StringJoiner(", ");
        fieldSlots.add("(0, '-1')");
        for (TableInfo.Column c : t.columns()) {
            fieldSlots.add("(" + c.slot() + ", " + Sql.literal(c.name()) + ")");
        }
        String pk = t.keyKind() == TableInfo.KeyKind.PACKED ? "c.key" : "crsql_pack_columns(c.key)";
        StringBuilder userJoin = new StringBuilder(" LEFT JOIN " + Sql.ident(t.name()) + " AS u ON ");
        if (t.keyKind() == TableInfo.KeyKind.PACKED) {
            StringJoiner on = new StringJoiner(" AND ");
            for (int i = 0; i < t.pkColumns().size(); i++) {
                on.add("u." + Sql.ident(t.pkColumns().get(i)) + " = crsql_internal_pk_part(c.key, " + i + ")");
            }
            userJoin.append(on);
        } else {
            userJoin.append("u.").append(Sql.ident(t.pkColumns().get(0))).append(" = c.key");
        }
        return "SELECT " + Sql.literal(t.name()) + ", " + pk + ", f.column2, " + byslot(t, "val")
                + ", " + byslot(t, "v") + ", l.db_version, s.site_id, COALESCE(c.cl, 1), " + byslot(t, "seq")
                + ", COALESCE(" + byslot(t, "ts") + ", '0')"
                + " FROM " + CrrMetadata.LOG + " AS l JOIN " + CrrMetadata.SITE_ID + " AS s ON s.ordinal = l.site"
                + " JOIN " + Sql.ident(t.clockTable()) + " AS c ON c.key = l.key"
                + " JOIN (VALUES " + fieldSlots + ") AS f" + userJoin
                + " WHERE l.tbl = " + t.id() + " AND " + byslot(t, "match");
    }

    /** A CASE over the field's slot: a clock field, the user value, or whether the field belongs to the log entry. */
    private static String byslot(TableInfo t, String what) {
        StringBuilder sb = new StringBuilder("CASE f.column1");
        sb.append(" WHEN 0 THEN ").append(slotExpr(0, null, what));
        for (TableInfo.Column c : t.columns()) {
            sb.append(" WHEN ").append(c.slot()).append(" THEN ").append(slotExpr(c.slot(), c.name(), what));
        }
        return sb.append(" END").toString();
    }

    private static String slotExpr(int slot, String column, String what) {
        return switch (what) {
            case "val" -> column == null ? "NULL" : "u." + Sql.ident(column);
            case "match" -> "c." + Sql.f(slot, "db") + " = l.db_version AND c." + Sql.f(slot, "site") + " = l.site";
            default -> "c." + Sql.f(slot, what);
        };
    }
}
