package io.corrosion.gossip.core;

import io.corrosion.gossip.broadcast.BroadcastStats;
import io.corrosion.gossip.membership.MembershipStats;
import io.corrosion.gossip.sync.SyncStats;

/** Counters of one node's cores. Applied counts are per source: [broadcast, sync]. */
public record CoreStats(MembershipStats membership, BroadcastStats broadcast, SyncStats sync, long[] appliedNew,
        long[] appliedDuplicate, long[] appliedRejected, long applyDropped, long applyFailedBatches,
        int applyQueued) {
}
