package io.corrosion.jdbc.keys;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's named counters as persisted in {@value #TABLE}, and how far this JVM may trust them without reading.
 *
 * <p>A counter's persisted value only ever grows, and it grows inside the transaction that uses the values below it
 * (right before the INSERT, or inside it): a committed key is always below its counter's committed value, whatever
 * rolls back or crashes. To keep that cheap, a write reserves {@link KeyAllocator#RESERVE_AHEAD} values ahead, and later
 * allocations below a reservation the node can trust write nothing. A reservation is trusted
 * <ul>
 *   <li>by the connection that wrote it, until its transaction ends, unless a statement of that transaction failed or
 *       it rolled back to a savepoint since (either may have undone the write): {@link ConnectionKeys#pending};</li>
 *   <li>by everyone once that transaction committed ({@link #durable}), or once it was read back as committed.</li>
 * </ul>
 */
final class Reservations {
    static final String TABLE = "__corrosion_counters";

    private final Map<String, Long> durable = new ConcurrentHashMap<>();

    /** The committed value of {@code name} this JVM knows of; 0 if none. */
    long durable(String name) {
        return durable.getOrDefault(name, 0L);
    }

    /** Values read back as committed, or written by a transaction that committed. */
    void markDurable(String name, long value) {
        durable.merge(name, value, Math::max);
    }

    void promote(Map<String, Long> committed) {
        committed.forEach(this::markDurable);
    }

    /**
     * Makes sure the persisted value of {@code name} is at least {@code needed} in the current transaction of
     * {@code c}: nothing to do if a trusted reservation covers it, else one write of {@code needed + ahead}.
     */
    void cover(ConnectionKeys c, String name, long needed, long ahead, long step) throws SQLException {
        if (needed <= Math.max(durable(name), c.pending(name))) {
            return;
        }
        c.persist(name, needed + ahead, step);
    }

    /**
     * {@link #cover} for generated keys: reserves {@code ahead} values, or as many as were handed out since the last
     * committed reservation, up to {@code maxAhead}: a transaction of many inserts (a large JDBC batch) writes its
     * reservation a few times, not once every {@code ahead} keys; a restart burns at most {@code maxAhead} values.
     */
    void coverGrowing(ConnectionKeys c, String name, long needed, long ahead, long maxAhead) throws SQLException {
        long committed = durable(name);
        if (needed <= Math.max(committed, c.pending(name))) {
            return;
        }
        long grown = committed == 0 ? ahead : Math.min(maxAhead, Math.max(ahead, needed - committed));
        c.persist(name, needed + grown, 0);
    }
}
