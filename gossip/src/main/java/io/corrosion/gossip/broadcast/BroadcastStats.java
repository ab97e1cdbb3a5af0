package io.corrosion.gossip.broadcast;

/** Counters of one broadcast core. */
public record BroadcastStats(long localBroadcasts, long received, long duplicates, long ownEchoes, long delivered,
        long transmissions, long hopLimited, long originCovered, long queueDropped, int queued, int seen) {
}
