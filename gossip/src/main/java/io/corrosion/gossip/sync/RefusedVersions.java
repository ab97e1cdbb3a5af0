package io.corrosion.gossip.sync;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SyncNeed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Versions this node's store refused (malformed, or its tables refuse them), which stay out of its sync requests for
 * {@link #BACKOFF_MILLIS}: asked for again every round, they could fill every session and starve the needs behind
 * them. At most {@link #REMEMBERED} are remembered; the oldest are forgotten first. The engine's thread alone uses it.
 */
final class RefusedVersions {

    /** How long a version the store refused stays out of this node's requests. */
    static final long BACKOFF_MILLIS = 60_000;
    /** At most this many refused versions are remembered (the oldest are forgotten first). */
    private static final int REMEMBERED = 100_000;

    /** Versions the store refused, until when they stay out of requests; in the order they were refused. */
    private final LinkedHashMap<SyncNeed.Full, Long> until = new LinkedHashMap<>();

    void add(Changeset changeset, long now) {
        LongRange versions = changeset instanceof Changeset.Full f ? LongRange.single(f.version())
                : ((Changeset.Empty) changeset).versions();
        SyncNeed.Full key = new SyncNeed.Full(changeset.siteId(), versions);
        until.remove(key);
        until.put(key, now + BACKOFF_MILLIS);
        if (until.size() > REMEMBERED) {
            until.remove(until.keySet().iterator().next());
        }
    }

    /** The versions refused lately, as needs not to ask for (a new list); forgets those whose backoff is over. */
    List<SyncNeed> lately(long now) {
        // Every entry backs off as long, and one refused again moves to the end: the expired ones are the first.
        for (var first = until.entrySet().iterator(); first.hasNext() && first.next().getValue() <= now; ) {
            first.remove();
        }
        return new ArrayList<>(until.keySet());
    }
}
