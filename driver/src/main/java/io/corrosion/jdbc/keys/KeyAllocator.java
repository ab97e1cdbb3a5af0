package io.corrosion.jdbc.keys;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Allocates generated keys per table: {@code id = counter × 1024 + slot + 1} with one counter per table on this node,
 * kept in memory (shared by every connection on the file) and persisted through {@link Reservations} in the inserting
 * statement. Called from the {@code __corrosion_key} SQL function, so inside an INSERT that holds SQLite's write lock:
 * allocations on one file are serialised by SQLite already, the lock here only guards the memory.
 *
 * <ul>
 *   <li>A rollback never hands out an id twice while the node runs: the counter in memory does not go back.</li>
 *   <li>A committed id is never handed out again, after a crash neither: the persisted counter is at least one above
 *       every committed id, written in the same transaction.</li>
 *   <li>Ids of transactions that never committed are skipped after a restart too, except those of a transaction that
 *       itself had to extend the reservation (every {@value #RESERVE_AHEAD}th id): the node starts at the persisted
 *       reservation end, burning its unused tail.</li>
 * </ul>
 */
final class KeyAllocator {
    /** Counter values reserved by one write; also what a restart burns at most per table. */
    static final long RESERVE_AHEAD = 64;

    private final Reservations reservations;
    private final NodeSlots slots;
    /** Next counter by counter name; guarded by this. */
    private final Map<String, long[]> next = new HashMap<>();

    KeyAllocator(Reservations reservations, NodeSlots slots) {
        this.reservations = reservations;
        this.slots = slots;
    }

    static String counterName(String table) {
        return "key:" + table.toLowerCase(Locale.ROOT);
    }

    /** A new key for {@code table}, at most {@code maxId}; persisted in the current statement of {@code c}. */
    long allocate(ConnectionKeys c, String table, String keyColumn, long maxId) throws SQLException {
        int slot = slots.require();
        String name = counterName(table);
        long[] counter = counter(c, name, table, keyColumn, slot, maxId);
        synchronized (this) {
            long n = counter[0];
            if (n > IdScheme.maxCounter(slot, maxId)) {
                throw exhausted(table, keyColumn, slot, maxId);
            }
            counter[0] = n + 1;
            reservations.cover(c, name, n + 1, RESERVE_AHEAD, 0);
            return IdScheme.id(n, slot);
        }
    }

    /**
     * A key the application supplied: if it lies in this node's slot at or beyond the counter (and within the keys
     * the node generates for the table, at most {@code maxId}), the counter moves past it, so the node never
     * generates it again.
     */
    void noteSupplied(ConnectionKeys c, String table, String keyColumn, long maxId, long key) throws SQLException {
        int slot = slots.current();
        if (slot < 0 || key > maxId || IdScheme.slotOf(key) != slot) {
            return;
        }
        String name = counterName(table);
        long[] counter = counter(c, name, table, keyColumn, slot, maxId);
        synchronized (this) {
            long n = IdScheme.counterOf(key);
            if (n >= counter[0]) {
                counter[0] = n + 1;
                reservations.cover(c, name, n + 1, RESERVE_AHEAD, 0);
            }
        }
    }

    /** The table's counter; on first use in this JVM read from the file (or from the table's keys). */
    private long[] counter(ConnectionKeys c, String name, String table, String keyColumn, int slot, long maxId)
            throws SQLException {
        synchronized (this) {
            long[] counter = next.get(name);
            if (counter != null) {
                return counter;
            }
        }
        long[] persisted = c.read(name); // outside the lock: reads may wait in rollback-journal mode
        long start;
        if (persisted != null) {
            start = persisted[0];
            reservations.markDurable(name, persisted[0]); // first use in this JVM: nothing of ours is pending
        } else {
            start = c.firstFreeCounter(table, keyColumn, slot, maxId);
        }
        synchronized (this) {
            return next.computeIfAbsent(name, k -> new long[] {start});
        }
    }

    private static SQLException exhausted(String table, String keyColumn, int slot, long maxId) {
        String why = maxId == IdScheme.MAX_INT32_ID
                ? "the largest key of a 32-bit " + table + "." + keyColumn + " (declared INT, which jOOQ and "
                        + "most mappings read as a Java int); declare the key BIGINT or INTEGER, or list the table in the "
                        + "int64-keys property if the application reads it as a long"
                : "the largest key SQLite can store";
        return new SQLException("Cannot generate another key for " + table + "." + keyColumn + ": node slot " + slot
                + " has used all its keys up to " + maxId + ", " + why + ". Keys the application supplies still work. "
                + "(SQLSTATE 22003)", "22003");
    }
}
