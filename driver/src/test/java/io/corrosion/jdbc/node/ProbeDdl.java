package io.corrosion.jdbc.node;

import io.corrosion.jdbc.node.ProbeSchema.Col;
import io.corrosion.jdbc.node.ProbeSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Random DDL for the probe. Each method returns the statement and what it does to the {@link ProbeSchema} once it
 * succeeded on plain SQLite.
 */
final class ProbeDdl {
    /** A statement and the change it makes to the model when it succeeds. */
    record Ddl(String sql, Consumer<ProbeSchema> apply) {}

    private static final List<String> TYPES = List.of("INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC", "", "VARCHAR(10)", "INT",
            "TEXT COLLATE NOCASE");
    private static final List<String> STRICT_TYPES = List.of("INTEGER", "TEXT", "REAL", "BLOB", "ANY", "INT", "TEXT COLLATE NOCASE");
    private static final List<String> ACTIONS = List.of("", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON DELETE RESTRICT",
            " ON UPDATE CASCADE", " ON DELETE CASCADE ON UPDATE SET NULL", " ON DELETE SET DEFAULT", " DEFERRABLE INITIALLY DEFERRED");
    private static final List<String> CLAUSES = List.of("", "", " ON CONFLICT IGNORE", " ON CONFLICT REPLACE",
            " ON CONFLICT FAIL", " ON CONFLICT ABORT", " ON CONFLICT ROLLBACK");

    private final ProbeSchema s;
    private final ProbeValues v;

    ProbeDdl(ProbeSchema s, ProbeValues v) {
        this.s = s;
        this.v = v;
    }

    /**
     * Names of dropped tables to take again, but for those a FOREIGN KEY still refers to: the table made again (or
     * renamed to it, seed 21341) may lack the key (a known difference).
     */
    private List<String> freedNames() {
        return ProbeKnown.DANGLING_FOREIGN_KEY.allowed() ? s.freed
                : s.freed.stream().filter(n -> s.tables.values().stream().noneMatch(c -> n.equals(c.parent))).toList();
    }

    Ddl createTable() {
        List<String> freed = freedNames();
        String name = !freed.isEmpty() && v.chance(50) ? v.one(freed) : s.fresh("t");
        Table t = new Table(name);
        t.strict = v.chance(20);
        List<String> parts = new ArrayList<>();
        int kind = v.upTo(10);
        List<String> types = t.strict ? STRICT_TYPES : TYPES;
        if (kind < 4) {
            t.intKey = true;
            t.pk.add("id");
            // found by this probe: an INT or BIGINT key, which the node declares INTEGER (a rowid alias), is checked
            // before other constraints and updated row by row there, unlike plain SQLite
            String type = ProbeKnown.INT_KEYS.allowed() ? v.one(List.of("INTEGER", "INT", "BIGINT")) : "INTEGER";
            type = t.strict && type.equals("BIGINT") ? "INT" : type;
            t.cols.add(new Col("id", type, true, false, null));
            parts.add("id " + type + " PRIMARY KEY");
        } else if (kind < 6) {
            t.pk.add("k");
            boolean dflt = v.chance(30);
            t.cols.add(new Col("k", "TEXT", true, dflt, null));
            parts.add("k TEXT PRIMARY KEY" + (v.chance(30) ? " NOT NULL" : "") + (dflt ? " DEFAULT 'kd'" : ""));
        } else if (kind < 9) {
            t.pk.add("a");
            t.pk.add("b");
            t.cols.add(new Col("a", "INTEGER", true, false, null));
            t.cols.add(new Col("b", "TEXT", true, false, null));
            parts.add("a INTEGER NOT NULL");
            parts.add("b TEXT NOT NULL");
        }
        int n = 1 + v.upTo(4);
        String lastPlain = null;
        for (int i = 0; i < n; i++) {
            String c = "c" + i;
            if (lastPlain != null && v.chance(12)) {
                boolean stored = v.chance(50);
                String type = t.strict ? "ANY" : "";
                parts.add(c + " " + type + " AS (" + lastPlain + " || '!')" + (stored ? " STORED" : " VIRTUAL"));
                t.cols.add(new Col(c, type, false, false, lastPlain + " || '!'"));
                continue;
            }
            String type = v.one(types);
            StringBuilder d = new StringBuilder(c).append(' ').append(type);
            boolean notNull = v.chance(25);
            boolean dflt = v.chance(40);
            if (notNull) {
                d.append(" NOT NULL");
            }
            if (dflt) {
                // an expression's type does not match a STRICT column's: a known difference with a UNIQUE (ProbeKnown)
                boolean expr = v.chance(30) && (!t.strict || ProbeKnown.STRICT_TYPES.allowed());
                d.append(" DEFAULT ").append(expr ? "(" + v.one(List.of("1 + 2", "'d' || 'e'", "abs(-4)")) + ")"
                        : v.of(new Col(c, type, true, false, null), t.strict));
            }
            if (v.chance(15)) {
                t.checks = true;
                d.append(" CHECK (").append(c).append(" IS NULL OR ").append(c).append(" <> ")
                        .append(v.of(new Col(c, type, true, false, null), true)).append(')');
            }
            if (kind != 9 && v.chance(20)) {
                String clause = v.one(CLAUSES);
                d.append(" UNIQUE").append(clause);
                noteUnique(t, clause, List.of(c));
            }
            parts.add(d.toString());
            t.cols.add(new Col(c, type, notNull, dflt, null));
            lastPlain = c;
        }
        List<Table> parents = s.tables.values().stream().filter(u -> u.pk.size() == 1).toList();
        if (!parents.isEmpty() && v.chance(30)) {
            Table u = v.one(parents);
            String key = u.pk.get(0);
            String type = u.col(key).type().contains("INT") ? "INTEGER" : "TEXT";
            parts.add("f " + type + " REFERENCES " + u.name + " (" + key + ")" + v.one(ACTIONS));
            t.cols.add(new Col("f", type, false, false, null, true));
            t.parent = u.name;
        }
        if (kind >= 6 && kind < 9) {
            parts.add("PRIMARY KEY (a, b)");
        }
        List<Col> plain = t.plainCols();
        if (kind != 9 && plain.size() >= 2 && v.chance(20)) {
            String clause = v.one(CLAUSES);
            parts.add("UNIQUE (" + plain.get(0).name() + ", " + plain.get(1).name() + ")" + clause);
            noteUnique(t, clause, List.of(plain.get(0).name(), plain.get(1).name()));
        }
        t.withoutRowid = kind >= 4 && kind < 9 && v.chance(35);
        String options = t.withoutRowid && t.strict ? " WITHOUT ROWID, STRICT" : t.withoutRowid ? " WITHOUT ROWID" : t.strict ? " STRICT" : "";
        return new Ddl("CREATE TABLE " + name + " (" + String.join(", ", parts) + ")" + options, m -> {
            m.tables.put(name, t);
            m.freed.remove(name);
        });
    }

    private static void noteUnique(Table t, String clause, List<String> cols) {
        t.unique = true;
        t.uniqueKeys.put("constraint " + cols, new ArrayList<>(cols));
        t.uniqueIgnore |= clause.contains("IGNORE");
        t.uniqueReplace |= clause.contains("REPLACE");
        t.uniqueFail |= clause.contains("FAIL");
    }

    Ddl createIndex(Table t) {
        String ix = s.fresh("ix");
        boolean unique = v.chance(50) && (t.parent == null || s.tables.containsKey(t.parent) || ProbeKnown.DANGLING_FOREIGN_KEY.allowed());
        Col c = v.one(t.cols);
        List<String> cols = new ArrayList<>(List.of(c.name()));
        if (v.chance(30)) {
            Col d = v.one(t.cols);
            if (!d.equals(c)) {
                cols.add(d.name());
            }
        }
        String partial = v.chance(25) ? " WHERE " + v.one(t.cols).name() + " IS NOT NULL" : "";
        String sql = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + (v.chance(20) ? "IF NOT EXISTS " : "") + ix + " ON "
                + t.name + " (" + String.join(", ", cols) + ")" + partial;
        String table = t.name;
        return new Ddl(sql, m -> {
            Table on = m.tables.get(table);
            on.indexes.add(ix);
            if (unique) {
                on.uniqueIndexes.add(ix);
                if (partial.isEmpty()) {
                    on.uniqueKeys.put(ix, cols);
                }
            }
        });
    }

    Ddl dropIndex(Table t) {
        if (t.indexes.isEmpty()) {
            return createIndex(t);
        }
        String ix = v.one(new ArrayList<>(t.indexes));
        return new Ddl("DROP INDEX " + ix, m -> m.dropIndex(ix));
    }

    Ddl dropTable(Table t) {
        String into = ProbeKnown.STALE_TRIGGER.allowed() ? null : s.triggerInto(t.name);
        if (into != null) {
            return new Ddl("DROP TRIGGER " + into, m -> m.dropTrigger(into));
        }
        if (!ProbeKnown.DANGLING_FOREIGN_KEY.allowed() && s.tables.values().stream().anyMatch(c -> t.name.equals(c.parent) && c.hasUnique())) {
            return createIndex(t);
        }
        if (!ProbeKnown.DANGLING_FOREIGN_KEY.allowed()) { // a trigger that writes a child: a REPLACE's delete compiles it (seed 31288)
            for (Table c : s.tables.values()) {
                String writer = t.name.equals(c.parent) ? s.triggerInto(c.name) : null;
                if (writer != null) {
                    return new Ddl("DROP TRIGGER " + writer, m -> m.dropTrigger(writer));
                }
            }
        }
        return new Ddl("DROP TABLE " + (v.chance(30) ? "IF EXISTS " : "") + t.name, m -> m.dropTable(t.name));
    }

    Ddl alter(Table t) {
        String name = t.name;
        switch (v.upTo(4)) {
            case 0 -> {
                String c = s.fresh("n");
                String type = v.one(t.strict ? STRICT_TYPES : TYPES);
                boolean notNull = v.chance(25);
                boolean dflt = notNull || v.chance(40);
                Col col = new Col(c, type, notNull, dflt, null);
                String sql = "ALTER TABLE " + name + " ADD COLUMN " + c + " " + type + (notNull ? " NOT NULL" : "")
                        + (dflt ? " DEFAULT " + v.of(new Col(c, type, true, false, null), t.strict) : "");
                return new Ddl(sql, m -> m.tables.get(name).cols.add(col));
            }
            case 1 -> {
                Col c = v.one(t.cols);
                String to = s.fresh("r");
                return new Ddl("ALTER TABLE " + name + " RENAME COLUMN " + c.name() + " TO " + to, m -> {
                    Table on = m.tables.get(name);
                    on.cols.replaceAll(x -> x.name().equals(c.name()) ? x.renamed(to) : x);
                    on.pk.replaceAll(p -> p.equals(c.name()) ? to : p);
                    on.uniqueKeys.values().forEach(k -> k.replaceAll(p -> p.equals(c.name()) ? to : p));
                });
            }
            case 2 -> {
                List<String> freed = freedNames();
                String to = !freed.isEmpty() && v.chance(30) ? v.one(freed) : s.fresh("t");
                return new Ddl("ALTER TABLE " + name + " RENAME TO " + to, m -> m.renameTable(name, to));
            }
            default -> {
                if (t.pk.isEmpty() && t.cols.size() == 1 && !ProbeKnown.DROP_ONLY_COLUMN.allowed()) {
                    return createIndex(t);
                }
                String into = ProbeKnown.STALE_TRIGGER.allowed() ? null : s.triggerInto(name);
                if (into != null) { // its body may name the column (seed 30050)
                    return new Ddl("DROP TRIGGER " + into, m -> m.dropTrigger(into));
                }
                Col c = v.one(t.cols);
                return new Ddl("ALTER TABLE " + name + " DROP COLUMN " + c.name(),
                        m -> m.tables.get(name).cols.removeIf(x -> x.name().equals(c.name())));
            }
        }
    }
}
