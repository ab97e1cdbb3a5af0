package io.corrosion.jdbc.node;

import io.corrosion.jdbc.node.ProbeSchema.Col;
import io.corrosion.jdbc.node.ProbeSchema.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Random INSERT, UPDATE, DELETE, REPLACE and SELECT statements for the probe. Keys are always given and never NULL
 * (the node allocates integer keys itself and refuses NULL keys, both documented). Known differences
 * ({@link ProbeKnown}) are steered clear of unless {@code fuzz.known} names them.
 */
final class ProbeDml {
    private static final List<String> OR = List.of("", "", "", " OR IGNORE", " OR REPLACE", " OR ABORT", " OR FAIL", " OR ROLLBACK");

    private final ProbeSchema s;
    private final ProbeValues v;
    /** Whether an explicit transaction is open. */
    boolean inTxn;
    /** Whether the statement is one of a string: no UPSERT naming a UNIQUE, which the node refuses (documented). */
    boolean inString;

    ProbeDml(ProbeSchema s, ProbeValues v) {
        this.s = s;
        this.v = v;
    }

    /** Whether {@code t} gets only values of its columns' types (a STRICT one inside a transaction or with a UNIQUE). */
    private boolean exact(Table t) {
        return t.strict && (inTxn || t.hasUnique() && !ProbeKnown.STRICT_TYPES.allowed());
    }

    /** A conflict clause. */
    private String or() {
        return v.one(OR);
    }

    String insert(Table t) {
        List<Col> cols = new ArrayList<>();
        for (Col c : t.writable()) {
            boolean keyWithDefault = t.pk.contains(c.name()) && c.hasDefault() && v.chance(50);
            if (t.pk.contains(c.name()) ? !keyWithDefault : v.chance(75)) {
                cols.add(c);
            }
        }
        boolean replaceInto = v.chance(10);
        String head = (replaceInto ? "REPLACE" : "INSERT" + or()) + " INTO " + t.name;
        if (cols.isEmpty()) {
            return head + " DEFAULT VALUES";
        }
        head += " (" + String.join(", ", ProbeTriggers.names(cols)) + ")";
        String body;
        int n = 0; // rows of VALUES
        if (v.chance(15) && !exact(t) && !s.tables.isEmpty()) {
            body = select(t, cols);
        } else {
            List<String> rows = new ArrayList<>();
            n = v.chance(35) ? 2 + v.upTo(3) : 1;
            for (int i = 0; i < n; i++) {
                rows.add("(" + String.join(", ", cols.stream().map(c -> v.value(t, c, exact(t))).toList()) + ")");
            }
            body = "VALUES " + String.join(", ", rows);
        }
        String upsert = "";
        if (!replaceInto && v.chance(25)) {
            List<List<String>> keys = new ArrayList<>(inString ? List.of() : t.uniqueKeys.values());
            if (!t.pk.isEmpty()) {
                keys.add(0, t.pk);
            }
            List<String> key = !keys.isEmpty() && v.chance(70) ? v.chance(50) ? keys.get(0) : v.one(keys) : null;
            if (key != null && !key.equals(t.pk) && n != 1 && !ProbeKnown.UPSERT_SAME_VALUES.allowed()) {
                key = t.pk.isEmpty() ? null : t.pk; // rows that may share the new values
            }
            if (key != null && !key.equals(t.pk) && s.beforeInsertTrigger(t.name) && !ProbeKnown.UPSERT_BEFORE_INSERT.allowed()) {
                key = t.pk.isEmpty() ? null : t.pk; // the trigger would see the key of the row updated
            }
            String on = " ON CONFLICT" + (key != null ? " (" + String.join(", ", key) + ")" : "");
            List<Col> set = cols.stream().filter(c -> !t.pk.contains(c.name())).toList();
            if (key != null && !set.isEmpty() && v.chance(70)) {
                Col c = v.one(set);
                upsert = on + " DO UPDATE SET " + c.name() + " = " + (v.chance(50) ? "excluded." + c.name() : v.value(t, c, exact(t)))
                        + (v.chance(30) ? " WHERE " + v.where(t) : "");
            } else {
                upsert = on + " DO NOTHING";
            }
            if (key != null && keys.size() > 1 && v.chance(30)) {
                upsert += " ON CONFLICT DO NOTHING"; // a second clause for the other UNIQUEs (SQLite 3.35)
            }
        }
        return head + " " + body + upsert + returning(t);
    }

    /** A SELECT from any table giving values for {@code cols} of {@code t}; keys never NULL. */
    private String select(Table t, List<Col> cols) {
        Table u = s.pick(v.rnd());
        List<String> out = new ArrayList<>();
        for (Col c : cols) {
            String src = v.one(u.cols).name();
            if (t.pk.contains(c.name())) {
                out.add(c.type().contains("INT") ? "coalesce(CAST(" + src + " AS INTEGER), 0) + " + v.upTo(4)
                        : "'k' || coalesce(" + src + ", '')");
            } else {
                out.add(v.chance(70) ? src : v.any());
            }
        }
        // ordered by every value: which of two rows with the same key wins follows the scan order otherwise
        List<String> order = new ArrayList<>();
        for (int i = 1; i <= out.size(); i++) {
            order.add(Integer.toString(i));
        }
        return "SELECT " + String.join(", ", out) + " FROM " + u.name + " WHERE " + (v.chance(40) ? v.where(u) : "true")
                + " ORDER BY " + String.join(", ", order);
    }

    private String returning(Table t) {
        if (!v.chance(15)) {
            return "";
        }
        return v.chance(50) ? " RETURNING *" : " RETURNING " + v.one(t.cols).name() + ", " + v.expr(v.one(t.cols).name());
    }

    String update(Table t) {
        List<Col> writable = t.writable();
        if (writable.isEmpty()) {
            return delete(t);
        }
        String clause = or();
        List<String> sets = new ArrayList<>();
        int n = 1 + (v.chance(30) ? 1 : 0);
        for (int i = 0; i < n; i++) {
            Col c = v.one(writable);
            if (t.pk.contains(c.name())) {
                if (clause.contains("REPLACE") || v.chance(50)) {
                    continue; // moving a key onto a taken one under REPLACE is a documented difference
                }
                sets.add(c.name() + " = " + (c.type().contains("INT") ? c.name() + " + 1" : c.name() + " || 'x'"));
            } else {
                sets.add(c.name() + " = " + (exact(t) || v.chance(50) ? v.value(t, c, exact(t)) : v.expr(c.name())));
            }
        }
        if (sets.isEmpty()) {
            Col c = v.one(writable);
            sets.add(c.name() + " = " + v.value(t, c, true));
        }
        String where;
        boolean failsOrIgnores = clause.contains("IGNORE") || clause.contains("FAIL")
                || clause.isEmpty() && (t.uniqueIgnore || t.uniqueFail);
        boolean collides = t.hasUnique() || sets.stream().anyMatch(set -> t.pk.stream().anyMatch(p -> set.startsWith(p + " = ")));
        boolean ignores = failsOrIgnores && collides && !ProbeKnown.PLAN_ORDER.allowed();
        if (ignores) {
            // which rows an UPDATE skips under IGNORE, or keeps before a FAIL, follows the query plan: one row at most
            if (t.pk.isEmpty()) {
                return insert(t);
            }
            where = " WHERE " + String.join(" AND ", t.pk.stream().map(p -> p + " = " + v.key(t, p)).toList());
        } else {
            where = v.chance(70) ? " WHERE " + v.where(t) : "";
        }
        if (!ignores && v.chance(12) && s.tables.size() > 1) {
            Table u = s.pick(v.rnd());
            if (u != t && !u.pk.isEmpty()) {
                Col src = v.one(u.cols);
                Col c = v.one(t.plainCols().isEmpty() ? writable : t.plainCols());
                if (!t.pk.contains(c.name()) && !exact(t)) {
                    // joined on the other table's whole key: with several matches, which one sets the row is arbitrary
                    String on = String.join(" AND ", u.pk.stream().map(p -> u.name + "." + p + " = " + t.name + "." + v.one(t.cols).name()).toList());
                    return "UPDATE" + clause + " " + t.name + " SET " + c.name() + " = " + u.name + "." + src.name() + " FROM "
                            + u.name + " WHERE " + on;
                }
            }
        }
        return "UPDATE" + clause + " " + t.name + " SET " + String.join(", ", sets) + where + returning(t);
    }

    String delete(Table t) {
        return "DELETE FROM " + t.name + (v.chance(90) ? " WHERE " + v.where(t) : "") + returning(t);
    }

    String query(Table t) {
        List<String> cols = ProbeTriggers.names(t.cols);
        return switch (v.upTo(3)) {
            case 0 -> "SELECT count(*), count(" + v.one(cols) + "), max(" + v.one(cols) + ") FROM " + t.name;
            case 1 -> "SELECT " + v.one(cols) + ", count(*) FROM " + t.name + " GROUP BY 1 ORDER BY 1";
            default -> "SELECT * FROM " + t.name + " WHERE " + v.where(t) + " ORDER BY " + String.join(", ", cols);
        };
    }

    /** An INSERT into, UPDATE or DELETE of a view, which its INSTEAD OF triggers take (or SQLite refuses). */
    String view(Table view) {
        int roll = v.upTo(100);
        if (roll < 25) {
            Col c = v.one(view.cols);
            return "UPDATE " + view.name + " SET " + c.name() + " = " + v.value(view, c, true) + " WHERE " + v.where(view);
        }
        if (roll < 40) {
            return "DELETE FROM " + view.name + " WHERE " + v.where(view);
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0, n = 1 + v.upTo(2); i < n; i++) {
            rows.add("(" + String.join(", ", view.cols.stream().map(c -> v.value(view, c, true)).toList()) + ")");
        }
        return "INSERT INTO " + view.name + " VALUES " + String.join(", ", rows);
    }
}
