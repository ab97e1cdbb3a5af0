package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows one local transaction wrote, by CRR id, in the order it first wrote them: what the version log records for
 * the transaction's db version once the journal flushes it.
 */
final class Touched {
    /** A clock key (the primary key value, or the packed key of a composite one) with equality by content. */
    record Key(Object value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && SqlValues.same(value, k.value);
        }

        /** Mixed: generated keys share their low bits (the node slot), which a HashMap's buckets come from. */
        @Override
        public int hashCode() {
            int h = SqlValues.hash(value);
            h = (h ^ (h >>> 16)) * 0x85ebca6b;
            h = (h ^ (h >>> 13)) * 0xc2b2ae35;
            return h ^ (h >>> 16);
        }
    }

    /**
     * The only row while the transaction wrote one, most transactions' case: kept without the collections below, which
     * cost a commit more than anything else the journal does for it.
     */
    private boolean one;
    private long oneTable;
    private Object oneKey;
    /** From the second row on: per table, its keys in order. */
    private final Map<Long, Set<Key>> rows = new LinkedHashMap<>();
    private long lastTable = -1;
    private Set<Key> lastKeys;
    /** Per table, how many of its first keys {@link #recheck} found written; the keys after them are unchecked. */
    private final Map<Long, Integer> checked = new HashMap<>();
    private boolean oneChecked;

    /** Whether a row this transaction wrote still carries its write. */
    @FunctionalInterface
    interface Written {
        boolean test(long table, Object key) throws SQLException;
    }

    void add(long table, Object key) {
        if (rows.isEmpty()) {
            if (!one) {
                one = true;
                oneTable = table;
                oneKey = key;
                return;
            }
            if (table == oneTable && SqlValues.same(oneKey, key)) {
                return;
            }
            spill();
        }
        if (table != lastTable) {
            lastTable = table;
            lastKeys = rows.computeIfAbsent(table, t -> new LinkedHashSet<>());
        }
        lastKeys.add(new Key(key));
    }

    /** Moves the one row into the collections: a second one comes. */
    private void spill() {
        if (one) {
            one = false;
            lastTable = oneTable;
            lastKeys = new LinkedHashSet<>();
            lastKeys.add(new Key(oneKey));
            rows.put(oneTable, lastKeys);
            if (oneChecked) {
                checked.put(oneTable, 1);
            }
            oneKey = null;
            oneChecked = false;
        }
    }

    /** Many keys at once (a bulk insert): the table's set grows once, not step by step. */
    void addAll(long table, List<Object> keys) {
        spill();
        Set<Key> old = rows.get(table);
        int size = (old == null ? 0 : old.size()) + keys.size();
        Set<Key> set = new LinkedHashSet<>((int) (size / 0.75f) + 1);
        if (old != null) {
            set.addAll(old);
        }
        rows.put(table, set); // an existing table keeps its place in the order
        lastTable = table;
        lastKeys = set;
        for (Object key : keys) {
            set.add(new Key(key));
        }
    }

    /** Forgets every row of {@code table}. */
    void forget(long table) {
        spill();
        rows.remove(table);
        checked.remove(table);
        if (lastTable == table) {
            lastTable = -1;
            lastKeys = null;
        }
    }

    boolean isEmpty() {
        return !one && rows.isEmpty();
    }

    void clear() {
        one = false;
        oneKey = null;
        oneChecked = false;
        checked.clear();
        rows.clear();
        lastTable = -1;
        lastKeys = null;
    }

    /**
     * After a failed statement or a rollback to a savepoint, which undo their writes: forgets the rows whose write is
     * gone, so that the version log and the change listeners name only rows the transaction wrote. Looks at the rows
     * first written since the last recheck (a failed statement's), or at every row if {@code all} (a rollback to a
     * savepoint may undo rows written before that).
     */
    void recheck(boolean all, Written written) throws SQLException {
        if (all) {
            checked.clear();
            oneChecked = false;
        }
        if (one) {
            if (!oneChecked && !written.test(oneTable, oneKey)) {
                clear();
            } else {
                oneChecked = true;
            }
            return;
        }
        for (Iterator<Map.Entry<Long, Set<Key>>> tables = rows.entrySet().iterator(); tables.hasNext(); ) {
            Map.Entry<Long, Set<Key>> table = tables.next();
            Iterator<Key> keys = table.getValue().iterator();
            for (int skip = checked.getOrDefault(table.getKey(), 0); skip > 0; skip--) {
                keys.next();
            }
            while (keys.hasNext()) {
                if (!written.test(table.getKey(), keys.next().value())) {
                    keys.remove();
                }
            }
            if (table.getValue().isEmpty()) {
                tables.remove();
                checked.remove(table.getKey());
            } else {
                checked.put(table.getKey(), table.getValue().size());
            }
        }
        lastTable = -1;
        lastKeys = null;
    }

    /** The keys written in {@code table}; empty if none. */
    List<Object> keys(long table) {
        if (one) {
            return table == oneTable ? List.of(oneKey) : List.of();
        }
        Set<Key> keys = rows.get(table);
        List<Object> out = new ArrayList<>(keys == null ? 0 : keys.size());
        if (keys != null) {
            for (Key k : keys) {
                out.add(k.value());
            }
        }
        return out;
    }

    /** A snapshot: per table id, its keys in order. Compact for one row (what the journal keeps of most transactions). */
    Map<Long, List<Object>> snapshot() {
        if (one) {
            return Map.of(oneTable, List.of(oneKey));
        }
        Map<Long, List<Object>> out = new LinkedHashMap<>();
        for (Long table : rows.keySet()) {
            out.put(table, keys(table));
        }
        return out;
    }
}
