package io.corrosion.jdbc.proxy;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One application connection's closed write statements, kept for the next prepare of the same SQL
 * ({@code statement-cache-size}). Preparing an INSERT, UPDATE or DELETE of a replicated table makes SQLite compile it
 * with the table's change-capture triggers, which costs more than running it (DriverBenchmark: an UPDATE prepared,
 * run and closed each time, as Hibernate does over a pool, costs 3.6x of sqlite-jdbc without this, 1.5x with it); a
 * kept statement is compiled once. SQLite compiles a kept statement again by itself when the schema changed.
 *
 * <p>A statement in the cache belongs to no proxy: {@link #take} hands it out and forgets it, so two open statements
 * of the same SQL never share one; {@link #keep} takes it back when its proxy closes. The least recently kept
 * statement beyond the capacity is closed. Keys are the SQL the driver runs (after its rewrite, so a schema change
 * that changes the rewrite misses) and how it was prepared.
 */
final class StatementCache {
    /**
     * @param sql     the SQL the sqlite-jdbc statement was prepared with
     * @param variant the arguments of the {@code prepareStatement} overload besides the SQL
     */
    record Key(String sql, List<?> variant) {}

    private final int capacity;
    private final LinkedHashMap<Key, PreparedStatement> idle = new LinkedHashMap<>();
    private boolean closed;

    StatementCache(int capacity) {
        this.capacity = capacity;
    }

    /** Whether statements are kept at all. */
    boolean enabled() {
        return capacity > 0;
    }

    /** A kept statement prepared from {@code key}, no longer kept; null if there is none. */
    synchronized PreparedStatement take(Key key) {
        return idle.remove(key);
    }

    /**
     * Keeps {@code statement}, whose proxy has closed and reset it; false if it is not kept (the cache is closed or
     * disabled, or keeps one of the same key), and the caller closes it.
     */
    boolean keep(Key key, PreparedStatement statement) {
        List<PreparedStatement> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed || capacity == 0 || idle.containsKey(key)) {
                return false;
            }
            idle.put(key, statement);
            Iterator<PreparedStatement> oldest = idle.values().iterator();
            while (idle.size() > capacity) {
                evicted.add(oldest.next());
                oldest.remove();
            }
        }
        closeAll(evicted);
        return true;
    }

    /** Closes every kept statement; nothing is kept afterwards (the connection is closing). */
    void close() {
        List<PreparedStatement> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle.values());
            idle.clear();
        }
        closeAll(all);
    }

    private static void closeAll(List<PreparedStatement> statements) {
        for (PreparedStatement s : statements) {
            try {
                s.close();
            } catch (SQLException ignored) {
                // finalizing a statement of an open connection does not fail; of a closed one, it is gone already
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "StatementCache[" + idle.size() + " of " + capacity + (closed ? ", closed" : "") + "]";
    }
}
