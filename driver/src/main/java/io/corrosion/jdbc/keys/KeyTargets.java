package io.corrosion.jdbc.keys;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The key columns rewritten statements allocate for, by a small number the rewrite writes into the SQL
 * ({@code __corrosion_key(7, ?)}): the function then reads one integer per row instead of table and column names.
 * Numbers are per database file and stay valid while it is open (rewritten SQL is cached per file).
 */
final class KeyTargets {
    /**
     * A key column and how far the node may allocate in it.
     *
     * @param handle      the number in the rewritten SQL
     * @param counterName the name of its counter in {@link Reservations}
     */
    record KeyTarget(int handle, String table, String column, long maxId, String counterName) {}

    private final Map<String, KeyTarget> byColumn = new ConcurrentHashMap<>();
    private final List<KeyTarget> byHandle = new CopyOnWriteArrayList<>();

    /** The target of this column, registered on first use. */
    synchronized KeyTarget register(String table, String column, long maxId) {
        String key = table.toLowerCase(Locale.ROOT) + "\u0000" + column.toLowerCase(Locale.ROOT) + "\u0000" + maxId;
        return byColumn.computeIfAbsent(key, k -> {
            KeyTarget target = new KeyTarget(byHandle.size(), table, column, maxId, KeyAllocator.counterName(table));
            byHandle.add(target);
            return target;
        });
    }

    KeyTarget get(int handle) {
        return byHandle.get(handle);
    }
}
