package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.Reentrant;
import io.corrosion.jdbc.keys.KeyTargets.KeyTarget;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates generated keys per table: {@code id = counter × 1024 + slot + 1} with one counter per table on this node,
 * kept in memory (shared by every connection on the file) and persisted through {@link Reservations} in the
 * transaction that uses the ids. Called by the driver right before a prepared INSERT runs ({@link KeyBinder}), or by
 * the {@code __corrosion_key} SQL function inside the INSERT.
 *
 * <ul>
 *   <li>A rollback never hands out an id twice while the node runs: the counter in memory does not go back.</li>
 *   <li>A committed id is never handed out again, after a crash neither: the persisted counter is at least one above
 *       every committed id, written in the same transaction.</li>
 *   <li>Ids of transactions that never committed are skipped after a restart too, except those of a transaction that
 *       itself had to extend the reservation (every {@value #RESERVE_AHEAD}th id; a transaction of many inserts
 *       extends it by as many as it used, up to {@value #RESERVE_MAX}): the node starts at the persisted reservation
 *       end, burning its unused tail.</li>
 * </ul>
 * The lock here guards memory only; reservation writes happen outside it, as they may wait for SQLite's write lock.
 */
final class KeyAllocator {
    /** Counter values reserved by one write; also what a restart burns at most per table, unless... */
    static final long RESERVE_AHEAD = 64;
    /** ...the last transaction used many keys: its reservations grow with what it used, up to this many values. */
    static final long RESERVE_MAX = 4096;
    /** How far past its next key a merged row's key moves a counter ({@link #noteMerged}), in counter values. */
    static final long MERGED_SKIP_MAX = 1 << 16;

    private static final Logger log = LoggerFactory.getLogger(KeyAllocator.class);

    private final Reservations reservations;
    private final NodeSlots slots;
    /** Next counter by counter name; guarded by this. */
    private final Map<String, long[]> next = new HashMap<>();
    /** Counters a merged key far ahead was logged for; guarded by this. */
    private final Set<String> warnedFar = new HashSet<>();

    KeyAllocator(Reservations reservations, NodeSlots slots) {
        this.reservations = reservations;
        this.slots = slots;
    }

    static String counterName(String table) {
        return "key:" + table.toLowerCase(Locale.ROOT);
    }

    /** A new key for the target; its reservation is persisted in the current transaction of {@code c}. */
    long allocate(ConnectionKeys c, KeyTarget target) throws SQLException {
        int slot = slots.require(c);
        long[] counter = counter(c, target, slot);
        long n;
        synchronized (this) {
            n = counter[0];
            if (n > IdScheme.maxCounter(slot, target.maxId())) {
                throw exhausted(target, slot);
            }
            counter[0] = n + 1;
        }
        reservations.coverGrowing(c, target.counterName(), n + 1, RESERVE_AHEAD, RESERVE_MAX);
        return IdScheme.id(n, slot);
    }

    /**
     * A key the application supplied: if it lies in this node's slot at or beyond the counter (and within the keys
     * the node generates for the table), the counter moves past it, so the node never generates it again.
     */
    void noteSupplied(ConnectionKeys c, KeyTarget target, long key) throws SQLException {
        skipPast(c, target, key, false);
    }

    /**
     * A key a merged row of another node holds: as {@link #noteSupplied}, but the counter moves only up to
     * {@value #MERGED_SKIP_MAX} values ahead, and not from a key within the 32-bit range to one beyond it. One key another
     * node's application chose far ahead would otherwise use up this node's keys of an {@code INT} key, or push its
     * keys past what a Java {@code int} holds; such a key is logged (WARN, once per table) and left where it is.
     */
    void noteMerged(ConnectionKeys c, KeyTarget target, long key) throws SQLException {
        skipPast(c, target, key, true);
    }

    /** True if counter {@code to} gives keys beyond what a Java int holds while {@code from} does not. */
    static boolean crosses32Bits(long from, long to, int slot) {
        return IdScheme.id(from, slot) <= IdScheme.MAX_INT32_ID && IdScheme.id(to, slot) > IdScheme.MAX_INT32_ID;
    }

    private void skipPast(ConnectionKeys c, KeyTarget target, long key, boolean merged) throws SQLException {
        int slot = slots.current(c);
        if (slot < 0 || key > target.maxId() || IdScheme.slotOf(key) != slot) {
            return;
        }
        long[] counter = counter(c, target, slot);
        long n = IdScheme.counterOf(key);
        synchronized (this) {
            long from = counter[0];
            if (n < from) {
                return;
            }
            if (merged && (n - from >= MERGED_SKIP_MAX || crosses32Bits(from, n, slot))) {
                if (warnedFar.add(target.counterName())) {
                    log.warn("A row of {} merged from another node has the key {}, in this node's key slot {} but far"
                            + " ahead of its next key {}: the node does not skip that far (it would use up its keys, or"
                            + " pass what a Java int holds), so an insert here that reaches that key will fail on it."
                            + " Keys an application chooses itself should keep clear of generated ones", target.table(),
                            key, slot, IdScheme.id(from, slot));
                }
                return;
            }
            counter[0] = n + 1;
        }
        reservations.cover(c, target.counterName(), n + 1, RESERVE_AHEAD, 0);
    }

    /**
     * After {@code ALTER TABLE from RENAME TO to}, in its transaction on {@code c}: the counter of {@code to} goes on
     * from {@code from}'s, in memory and persisted. A counter started afresh from the renamed table's largest key would
     * hand out the key of a deleted row again, which other nodes may still hold or have tombstoned.
     */
    void renamed(ConnectionKeys c, String from, String to) throws SQLException {
        String fromName = counterName(from);
        String toName = counterName(to);
        if (fromName.equals(toName)) {
            return; // the same name in another case: the same counter
        }
        long[] persisted = Reentrant.run(c.connection(), () -> CounterStore.read(c.connection(), fromName));
        // A rebuild renames t_new onto t's name: t's own counter (persisted, if this JVM has not used it yet) is past
        // keys of t's deleted rows, which t_new's counter, moved past the copied keys only, is not.
        long[] replaced = Reentrant.run(c.connection(), () -> CounterStore.read(c.connection(), toName));
        long start;
        synchronized (this) {
            long[] inMemory = next.get(fromName);
            start = Math.max(inMemory != null ? inMemory[0] : persisted != null ? persisted[0] : 0,
                    replaced != null ? replaced[0] : 0);
            if (start > 0) {
                long[] counter = next.computeIfAbsent(toName, k -> new long[] {start});
                counter[0] = Math.max(counter[0], start); // in place: allocations may hold the array
            }
        }
        if (persisted != null) {
            reservations.cover(c, toName, Math.max(persisted[0], replaced != null ? replaced[0] : 0), 0, 0);
        }
    }

    /** The table's counter; on first use in this JVM read from the committed file (or from the table's keys). */
    private long[] counter(ConnectionKeys c, KeyTarget target, int slot) throws SQLException {
        String name = target.counterName();
        synchronized (this) {
            long[] counter = next.get(name);
            if (counter != null) {
                return counter;
            }
        }
        long[] persisted = c.readCommitted(r -> CounterStore.read(r, name));
        long start;
        if (persisted != null) {
            start = persisted[0];
            reservations.markDurable(name, persisted[0]);
        } else {
            Long free = c.readCommitted(r -> CounterStore.firstFreeCounter(r, target.table(), target.column(), slot,
                    target.maxId()));
            if (free == null) { // the application's open transaction created the table: it holds the write lock
                free = Reentrant.run(c.connection(), () -> CounterStore.firstFreeCounter(c.connection(), target.table(),
                        target.column(), slot, target.maxId()));
            }
            long[] skip = c.readCommitted(r -> CounterStore.read(r, CounterStore.KEY_SKIP));
            long first = free == null ? 0 : free;
            start = skip != null && !crosses32Bits(first, first + skip[0], slot) ? first + skip[0] : first;
        }
        synchronized (this) {
            return next.computeIfAbsent(name, k -> new long[] {start});
        }
    }

    private static SQLException exhausted(KeyTarget target, int slot) {
        String column = target.table() + "." + target.column();
        String why = target.maxId() == IdScheme.MAX_INT32_ID
                ? "the largest key of " + column + ", declared INT, which jOOQ and most mappings read as a Java int; "
                        + "declare the key BIGINT or INTEGER, or list the table in the int64-keys property if the "
                        + "application reads it as a long"
                : "the largest key SQLite can store";
        return new SQLException("Cannot generate another key for " + column + ": node slot " + slot + " has used all "
                + "its keys up to " + target.maxId() + ", " + why + ". Keys the application supplies still work. "
                + "(SQLSTATE 22003)", "22003");
    }
}
