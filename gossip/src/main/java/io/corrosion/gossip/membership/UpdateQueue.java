package io.corrosion.gossip.membership;

import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Membership updates waiting to be piggybacked (memberlist's TransmitLimitedQueue): least-sent first, newest
 * first among equals; each is sent a bounded number of times; a newer update about a member replaces the older;
 * when full, the most-sent updates are dropped.
 */
final class UpdateQueue {

    private static final int SMALLEST_UPDATE = 37;

    private static final class Entry {
        final MemberUpdate update;
        final int size;
        final long id;
        int transmits;

        Entry(MemberUpdate update, long id) {
            this.update = update;
            this.size = WireCodec.updateSize(update);
            this.id = id;
        }
    }

    private final TreeSet<Entry> ordered = new TreeSet<>(
            Comparator.<Entry>comparingInt(e -> e.transmits).thenComparing(e -> -e.id));
    private final Map<SiteId, Entry> bySite = new HashMap<>();
    private final int capacity;
    private long nextId;
    private long dropped;

    UpdateQueue(int capacity) {
        this.capacity = capacity;
    }

    void enqueue(MemberUpdate update) {
        Entry old = bySite.remove(update.member().siteId());
        if (old != null) {
            ordered.remove(old);
        }
        Entry e = new Entry(update, nextId++);
        bySite.put(update.member().siteId(), e);
        ordered.add(e);
        while (ordered.size() > capacity) {
            Entry most = ordered.pollLast();
            bySite.remove(most.update.member().siteId());
            dropped++;
        }
    }

    /** Updates fitting {@code budgetBytes}; each taken counts a transmission and leaves after {@code limit}. */
    List<MemberUpdate> take(int budgetBytes, int limit) {
        List<Entry> taken = new ArrayList<>();
        int left = budgetBytes;
        for (Entry e : ordered) {
            if (left < SMALLEST_UPDATE) {
                break;
            }
            if (e.size <= left) {
                taken.add(e);
                left -= e.size;
            }
        }
        List<MemberUpdate> out = new ArrayList<>(taken.size());
        for (Entry e : taken) {
            ordered.remove(e);
            e.transmits++;
            out.add(e.update);
            if (e.transmits >= limit) {
                bySite.remove(e.update.member().siteId());
            } else {
                ordered.add(e);
            }
        }
        return out;
    }

    boolean isEmpty() {
        return ordered.isEmpty();
    }

    int size() {
        return ordered.size();
    }

    long dropped() {
        return dropped;
    }
}
