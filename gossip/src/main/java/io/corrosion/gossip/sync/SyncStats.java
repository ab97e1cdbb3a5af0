package io.corrosion.gossip.sync;

/**
 * Counters of one sync core.
 *
 * @param tooLarge changesets read for a peer that no frame carries (a single change of several megabytes), left out
 * @param ownSiteBehind sessions whose peer held versions of our own site beyond ours (see
 *     {@link SyncOutput#ownSiteBehind})
 */
public record SyncStats(long started, long served, long completed, long rejected, long timedOut, long broken,
        long changesetsReceived, long changesetsSent, long bytesSent, long truncated, long tooLarge,
        long ownSiteBehind, int open) {
}
