package io.corrosion.gossip.sync;

/** Counters of one sync core. */
public record SyncStats(long started, long served, long completed, long rejected, long timedOut, long broken,
        long changesetsReceived, long changesetsSent, long bytesSent, long truncated, int open) {
}
