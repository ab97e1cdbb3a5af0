package io.corrosion.jdbc.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the random SQL probe knows of the schema it made: tables, their columns and keys, unique indexes, triggers and
 * views. The probe changes it only when a DDL statement succeeded on plain SQLite (DDL runs only in auto-commit).
 */
final class ProbeSchema {
    /**
     * A column; {@code type} is its declared type ("" for none), {@code generated} its expression or null, {@code ref}
     * whether it refers to another table's key (FOREIGN KEY).
     */
    record Col(String name, String type, boolean notNull, boolean hasDefault, String generated, boolean ref) {
        Col(String name, String type, boolean notNull, boolean hasDefault, String generated) {
            this(name, type, notNull, hasDefault, generated, false);
        }

        Col renamed(String to) {
            return new Col(to, type, notNull, hasDefault, generated, ref);
        }
    }

    static final class Table {
        final String name;
        final List<Col> cols = new ArrayList<>();
        final List<String> pk = new ArrayList<>();
        boolean intKey;
        boolean strict;
        boolean withoutRowid;
        /** Has a UNIQUE besides the key (constraint or unique index). */
        boolean unique;
        /** A UNIQUE constraint declared ON CONFLICT IGNORE / REPLACE / FAIL. */
        boolean uniqueIgnore;
        boolean uniqueReplace;
        boolean uniqueFail;
        final Set<String> uniqueIndexes = new LinkedHashSet<>();
        /** The columns of each UNIQUE an UPSERT may name (constraints and unique indexes that are not partial). */
        final Map<String, List<String>> uniqueKeys = new LinkedHashMap<>();
        final Set<String> indexes = new LinkedHashSet<>();
        /** The table its FOREIGN KEY refers to, or null. */
        String parent;
        boolean checks;
        /** For a view: the table it shows. */
        String base;

        Table(String name) {
            this.name = name;
        }

        Col col(String n) {
            return cols.stream().filter(c -> c.name.equals(n)).findFirst().orElseThrow();
        }

        /** Columns an INSERT or UPDATE may write. */
        List<Col> writable() {
            return cols.stream().filter(c -> c.generated == null).toList();
        }

        List<Col> plainCols() {
            return cols.stream().filter(c -> c.generated == null && !pk.contains(c.name)).toList();
        }

        boolean hasUnique() {
            return unique || !uniqueIndexes.isEmpty();
        }

    }

    final Map<String, Table> tables = new LinkedHashMap<>();
    final Map<String, String> triggers = new LinkedHashMap<>(); // trigger -> table (or view)
    final Map<String, String> targets = new LinkedHashMap<>(); // trigger -> the table its body writes
    final Set<String> beforeInserts = new LinkedHashSet<>(); // the BEFORE INSERT triggers
    final Map<String, Table> views = new LinkedHashMap<>(); // view -> its columns, base = its table
    /** Names of tables dropped or renamed away, for a table made again under an old name. */
    final List<String> freed = new ArrayList<>();
    private int names;

    String fresh(String prefix) {
        return prefix + names++;
    }

    Table pick(Random r) {
        List<Table> all = new ArrayList<>(tables.values());
        return all.isEmpty() ? null : all.get(r.nextInt(all.size()));
    }

    void dropTable(String t) {
        Table gone = tables.remove(t);
        freed.add(t);
        triggers.values().removeIf(on -> on.equals(t));
        targets.keySet().retainAll(triggers.keySet());
        beforeInserts.retainAll(triggers.keySet());
        if (gone != null) {
            views.values().removeIf(v -> v.base.equals(t));
        }
    }

    void renameTable(String from, String to) {
        Table old = tables.remove(from);
        freed.add(from);
        freed.remove(to);
        Table t = new Table(to);
        t.cols.addAll(old.cols);
        t.pk.addAll(old.pk);
        t.intKey = old.intKey;
        t.strict = old.strict;
        t.withoutRowid = old.withoutRowid;
        t.unique = old.unique;
        t.uniqueIgnore = old.uniqueIgnore;
        t.uniqueReplace = old.uniqueReplace;
        t.uniqueFail = old.uniqueFail;
        t.uniqueIndexes.addAll(old.uniqueIndexes);
        t.uniqueKeys.putAll(old.uniqueKeys);
        t.indexes.addAll(old.indexes);
        t.parent = old.parent;
        t.checks = old.checks;
        tables.put(to, t);
        triggers.replaceAll((k, on) -> on.equals(from) ? to : on);
        targets.replaceAll((k, into) -> into.equals(from) ? to : into); // SQLite renames it in the trigger's body too
        tables.values().forEach(c -> c.parent = from.equals(c.parent) ? to : c.parent); // and in foreign keys
        views.values().forEach(v -> v.base = v.base.equals(from) ? to : v.base);
    }

    /** A trigger on a table (not a view) whose body writes {@code t}, or null. */
    String triggerInto(String t) {
        return targets.entrySet().stream().filter(e -> e.getValue().equals(t) && tables.containsKey(triggers.get(e.getKey())))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Whether {@code t} has a BEFORE INSERT trigger. */
    boolean beforeInsertTrigger(String t) {
        return beforeInserts.stream().anyMatch(tr -> t.equals(triggers.get(tr)));
    }

    void dropTrigger(String tr) {
        triggers.remove(tr);
        targets.remove(tr);
        beforeInserts.remove(tr);
    }

    void dropIndex(String ix) {
        for (Table t : tables.values()) {
            t.indexes.remove(ix);
            t.uniqueIndexes.remove(ix);
            t.uniqueKeys.remove(ix);
        }
    }

    /** Tables with their index columns, for a failing seed's report. */
    @Override
    public String toString() {
        return tables.keySet() + " triggers " + triggers + " views " + views.keySet();
    }
}
