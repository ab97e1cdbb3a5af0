package io.corrosion.jdbc.keys;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Node-private values for Hibernate's table-backed id generators ({@code <Entity>_SEQ}, {@code hibernate_sequences}),
 * answered by the driver instead of the (local) generator table, so that no generator statement takes SQLite's write
 * lock or waits for the application's open transaction.
 *
 * <p>Hibernate reads a value {@code v}, writes {@code v + increment} where the value is still {@code v}, and uses the
 * ids next to {@code v}: its default "pooled" optimizer {@code (v - increment, v]}, "pooled-lo"
 * {@code [v, v + increment)}, no optimizer (allocation size 1) {@code v} itself. The driver cuts the value space into
 * blocks of {@code 2 × increment}, {@code [j·2i + 1, (j+1)·2i]}, owned round-robin by slot ({@code j mod 1024}), and
 * hands out {@code v = j·2i + i} from the next block of its slot: every id any of these optimizers derives from {@code
 * v} lies inside that block. Blocks start at {@code j = 1024}, so that no value equals an initial value Hibernate
 * would treat specially. The increment is learnt from Hibernate's UPDATE: when it differs from the one assumed
 * (default 50), the UPDATE reports no row and Hibernate reads again.
 *
 * <p>Handing out a block writes nothing (the read may run on Hibernate's second connection while the first holds the
 * write lock). The block becomes durable with the first row that uses one of its ids: every INSERT of an application
 * key calls {@link #coverHandouts}, which persists the generator's position in that INSERT's statement
 * ({@link Reservations}). A block handed out but never used may be handed out again after a crash.
 */
final class GeneratorBlocks {
    /** Hibernate's default allocation size, assumed until an UPDATE shows the real increment. */
    static final int DEFAULT_INCREMENT = 50;
    private static final int MAX_REMEMBERED_HANDOUTS = 64;

    private final Reservations reservations;
    private final NodeSlots slots;
    /** By counter name; guarded by this. */
    private final Map<String, Generator> generators = new HashMap<>();
    /** Some generator handed out values its persisted position does not cover yet. */
    private volatile boolean outstanding;

    private static final class Generator {
        final String name;
        long nextFree;
        long step;
        final Map<Long, Long> handedOut = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > MAX_REMEMBERED_HANDOUTS;
            }
        };

        Generator(String name, long nextFree, long step) {
            this.name = name;
            this.nextFree = nextFree;
            this.step = step;
        }
    }

    GeneratorBlocks(Reservations reservations, NodeSlots slots) {
        this.reservations = reservations;
        this.slots = slots;
    }

    static String counterName(String table, String segment) {
        return "gen:" + table.toLowerCase(Locale.ROOT) + ":" + segment;
    }

    /** The next value Hibernate's generator {@code table}/{@code segment} reads. Writes nothing. */
    long next(ConnectionKeys c, String table, String segment) throws SQLException {
        // the transaction's slot: one whose merge moved it hands out blocks of the slot its claim row names
        int slot = slots.require(c);
        Generator g = generator(c, counterName(table, segment));
        synchronized (this) {
            long increment = g.step > 0 ? g.step : DEFAULT_INCREMENT;
            long blockSize = 2 * increment;
            long j = Math.max(IdScheme.SLOTS, Math.floorDiv(g.nextFree - 1 + blockSize - 1, blockSize));
            j += Math.floorMod(slot - j, IdScheme.SLOTS);
            long value = Math.addExact(Math.multiplyExact(j, blockSize), increment);
            g.nextFree = Math.addExact(Math.multiplyExact(j + 1, blockSize), 1);
            g.handedOut.put(value, increment);
            outstanding = true;
            return value;
        }
    }

    /**
     * Hibernate's UPDATE from {@code oldValue} to {@code newValue}: accepted if {@code oldValue} was handed out with
     * that increment; otherwise the increment is learnt and the UPDATE reports no row, so that Hibernate reads again.
     */
    boolean accept(ConnectionKeys c, String table, String segment, long newValue, long oldValue)
            throws SQLException {
        Generator g = generator(c, counterName(table, segment));
        synchronized (this) {
            Long increment = g.handedOut.remove(oldValue);
            long observed = newValue - oldValue;
            if (increment != null && increment == observed) {
                return true;
            }
            if (observed > 0 && observed <= Integer.MAX_VALUE) {
                g.step = observed;
            }
            return false;
        }
    }

    /**
     * Called in every INSERT that stores an application-supplied key: persists the position of each generator that
     * handed out values beyond what the node can trust, in that INSERT's statement.
     */
    void coverHandouts(ConnectionKeys c) throws SQLException {
        if (!outstanding) {
            return;
        }
        List<long[]> positions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        synchronized (this) {
            for (Generator g : generators.values()) {
                if (g.nextFree > reservations.durable(g.name)) {
                    names.add(g.name);
                    positions.add(new long[] {g.nextFree, g.step});
                }
            }
        }
        for (int i = 0; i < names.size(); i++) { // outside the lock: the write may wait for SQLite's write lock
            reservations.cover(c, names.get(i), positions.get(i)[0], 0, positions.get(i)[1]);
        }
    }

    /** After a commit made reservations durable: nothing may be outstanding any more. */
    void recheckOutstanding() {
        synchronized (this) {
            boolean any = false;
            for (Generator g : generators.values()) {
                any |= g.nextFree > reservations.durable(g.name);
            }
            outstanding = any;
        }
    }

    private Generator generator(ConnectionKeys c, String name) throws SQLException {
        synchronized (this) {
            Generator g = generators.get(name);
            if (g != null) {
                return g;
            }
        }
        long[] persisted = c.readCommitted(r -> CounterStore.read(r, name));
        if (persisted != null) {
            reservations.markDurable(name, persisted[0]);
        }
        long nextFree = persisted == null ? 1 : persisted[0];
        long step = persisted == null ? 0 : persisted[1];
        synchronized (this) {
            return generators.computeIfAbsent(name, n -> new Generator(n, nextFree, step));
        }
    }
}
