package io.corrosion.gossip.core;

import io.corrosion.gossip.broadcast.BroadcastStats;
import io.corrosion.gossip.membership.MembershipStats;
import io.corrosion.gossip.sync.SyncStats;

/** Counters of one node's cores. */
public record CoreStats(MembershipStats membership, BroadcastStats broadcast, SyncStats sync, ApplyStats apply) {

    /** What the store made of received changesets, and what never reached it. */
    public record ApplyStats(long newFromBroadcast, long newFromSync, long duplicates, long rejected, long dropped,
            long failedBatches, int queued) {
    }
}
