package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bounded, least-recently-used cache of plans by SQL text. A hit is a lock-free map read plus one counter write;
 * when the cache grows past its bound, the least recently used tenth is evicted under a lock, so eviction costs are
 * amortised over many misses.
 */
final class PlanCache {
    private final int capacity;
    private final Function<String, SqlPlan> planner;
    private final ConcurrentHashMap<String, Entry> entries;
    private final AtomicLong clock = new AtomicLong();
    private final Object evictionLock = new Object();

    private static final class Entry {
        final SqlPlan plan;
        volatile long lastUsed;

        Entry(SqlPlan plan, long now) {
            this.plan = plan;
            this.lastUsed = now;
        }
    }

    private record Used(String sql, Entry entry, long lastUsed) {}

    PlanCache(int capacity, Function<String, SqlPlan> planner) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.planner = planner;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1024));
    }

    SqlPlan get(String sql) {
        Entry e = entries.get(sql);
        if (e != null) {
            e.lastUsed = clock.getPlain();
            return e.plan;
        }
        SqlPlan plan = planner.apply(sql); // outside any lock: parsing may take tens of microseconds
        entries.putIfAbsent(sql, new Entry(plan, clock.incrementAndGet()));
        if (entries.size() > capacity) {
            evict();
        }
        return plan;
    }

    int size() {
        return entries.size();
    }

    boolean contains(String sql) {
        return entries.containsKey(sql);
    }

    private void evict() {
        synchronized (evictionLock) {
            int excess = entries.size() - capacity;
            if (excess <= 0) {
                return;
            }
            int toRemove = Math.max(excess, capacity / 10);
            // Sorted by a copy of each entry's last use: hits on other threads change it while the sort runs, and a sort
            // whose keys change under it fails ("Comparison method violates its general contract!")
            List<Used> all = new ArrayList<>(entries.size());
            entries.forEach((sql, entry) -> all.add(new Used(sql, entry, entry.lastUsed)));
            all.sort(Comparator.comparingLong(Used::lastUsed));
            for (int i = 0; i < toRemove && i < all.size(); i++) {
                entries.remove(all.get(i).sql(), all.get(i).entry());
            }
        }
    }
}
