package io.corrosion.jdbc.node;

import io.corrosion.jdbc.node.ProbeDdl.Ddl;
import io.corrosion.jdbc.node.ProbeSchema.Col;
import io.corrosion.jdbc.node.ProbeSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random triggers and views for the probe. A trigger's body writes another table from NEW/OLD values only: a body
 * whose SELECT reads what it writes is a known difference.
 */
final class ProbeTriggers {
    private final ProbeSchema s;
    private final ProbeValues v;

    ProbeTriggers(ProbeSchema s, ProbeValues v) {
        this.s = s;
        this.v = v;
    }

    /**
     * A trigger on {@code t} (AFTER or BEFORE, INSERT, UPDATE [OF a column] or DELETE, sometimes with a WHEN) whose body
     * inserts into, updates or deletes from another table, or null if there is none to write.
     */
    Ddl trigger(Table t) {
        // not a child whose parent is gone: writing it looks the parent up, which fails (seed 32096)
        List<Table> targets = s.tables.values().stream().filter(u -> u != t && !u.strict && (u.parent == null
                || s.tables.containsKey(u.parent) || ProbeKnown.DANGLING_FOREIGN_KEY.allowed())).toList();
        if (targets.isEmpty()) {
            return null;
        }
        Table u = v.one(targets);
        String event = v.one(List.of("INSERT", "UPDATE", "DELETE"));
        String row = event.equals("DELETE") ? "OLD" : "NEW";
        String name = s.fresh("tr");
        String clause = v.one(List.of("", " OR IGNORE", " OR REPLACE"));
        String body = "INSERT" + clause + " INTO " + u.name + " (" + String.join(", ", names(u.writable())) + ") VALUES ("
                + String.join(", ", from(t, u, row)) + ")";
        if (!u.pk.isEmpty() && !u.plainCols().isEmpty() && v.chance(25)) {
            String c = v.one(u.plainCols()).name();
            body += " ON CONFLICT (" + String.join(", ", u.pk) + ")"
                    + (v.chance(70) ? " DO UPDATE SET " + c + " = excluded." + c : " DO NOTHING");
        }
        int roll = v.upTo(100);
        if (roll < 25 && !u.plainCols().isEmpty() && !u.hasUnique()) {
            Col c = v.one(u.plainCols());
            body = "UPDATE " + u.name + " SET " + c.name() + " = " + row + "." + v.one(t.cols).name() + " WHERE "
                    + v.where(u);
        } else if (roll < 40) {
            body = "DELETE FROM " + u.name + " WHERE " + v.one(u.cols).name() + " = " + row + "." + v.one(t.cols).name();
        }
        String of = event.equals("UPDATE") && v.chance(30) ? " OF " + v.one(t.cols).name() : "";
        String when = v.chance(25) ? " WHEN " + row + "." + v.one(t.cols).name() + v.one(List.of(" IS NOT NULL", " IS NULL", " > 1")) : "";
        boolean before = v.chance(30);
        if (before && row.equals("NEW") && !ProbeKnown.BEFORE_TRIGGER_GENERATED.allowed()) {
            when = ownColumnsOnly(when, t);
            body = ownColumnsOnly(body, t);
        }
        String sql = "CREATE TRIGGER " + name + (before ? " BEFORE " : " AFTER ") + event + of + " ON " + t.name + when
                + " BEGIN " + body + "; END";
        String table = t.name;
        boolean beforeInsert = before && event.equals("INSERT");
        return new Ddl(sql, m -> {
            m.triggers.put(name, table);
            m.targets.put(name, u.name);
            if (beforeInsert) {
                m.beforeInserts.add(name);
            }
        });
    }

    /** {@code sql} with each {@code NEW.} generated column of {@code t} replaced by its first column that is not generated. */
    private static String ownColumnsOnly(String sql, Table t) {
        String own = "NEW." + t.writable().get(0).name();
        for (Col c : t.cols) {
            if (c.generated() != null) {
                sql = sql.replaceAll("\\bNEW\\." + Pattern.quote(c.name()) + "\\b", Matcher.quoteReplacement(own));
            }
        }
        return sql;
    }

    /** Values for the columns of {@code u} taken from the NEW or OLD row of {@code t}: keys never NULL. */
    private List<String> from(Table t, Table u, String row) {
        List<String> out = new ArrayList<>();
        for (Col c : u.writable()) {
            String src = row + "." + v.one(t.cols).name();
            if (u.pk.contains(c.name())) {
                out.add(c.type().contains("INT") ? "100 + abs(coalesce(length(" + src + "), 0))" : "'k' || coalesce(" + src + ", '')");
            } else {
                out.add(v.chance(70) ? src : v.of(c, false));
            }
        }
        return out;
    }

    /** A view of {@code t} with INSTEAD OF triggers that write its rows into {@code t} (INSERT, sometimes UPDATE, DELETE). */
    List<Ddl> view(Table t) {
        String view = s.fresh("v");
        List<Col> cols = t.writable();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            names.add("w" + i);
        }
        Table shown = new Table(view);
        shown.base = t.name;
        for (int i = 0; i < cols.size(); i++) {
            Col c = cols.get(i);
            shown.cols.add(c.renamed(names.get(i)));
            if (t.pk.contains(c.name())) {
                shown.pk.add(names.get(i));
            }
        }
        Ddl create = new Ddl("CREATE VIEW " + view + " (" + String.join(", ", names) + ") AS SELECT "
                + String.join(", ", names(cols)) + " FROM " + t.name, m -> m.views.put(view, shown));
        List<Ddl> out = new ArrayList<>(List.of(create, instead(view, t, "INSERT", "INSERT" + (v.chance(30) ? " OR IGNORE" : "")
                + " INTO " + t.name + " (" + String.join(", ", names(cols)) + ") VALUES ("
                + String.join(", ", names.stream().map(n -> "NEW." + n).toList()) + ")")));
        // the row of the view is found by its first column (the key, if the table has one)
        String match = cols.get(0).name() + " = OLD." + names.get(0);
        if (v.chance(50)) {
            int i = v.upTo(cols.size());
            out.add(instead(view, t, "UPDATE", "UPDATE " + t.name + " SET " + cols.get(i).name() + " = NEW." + names.get(i)
                    + " WHERE " + match));
        }
        if (v.chance(40)) {
            out.add(instead(view, t, "DELETE", "DELETE FROM " + t.name + " WHERE " + match));
        }
        return out;
    }

    private Ddl instead(String view, Table t, String event, String body) {
        String trigger = s.fresh("tr");
        return new Ddl("CREATE TRIGGER " + trigger + " INSTEAD OF " + event + " ON " + view + " BEGIN " + body + "; END", m -> {
            m.triggers.put(trigger, view);
            m.targets.put(trigger, t.name);
        });
    }

    static List<String> names(List<Col> cols) {
        return cols.stream().map(Col::name).toList();
    }
}
