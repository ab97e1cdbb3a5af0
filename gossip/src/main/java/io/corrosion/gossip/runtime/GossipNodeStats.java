package io.corrosion.gossip.runtime;

import io.corrosion.gossip.core.CoreStats;
import io.corrosion.gossip.transport.TransportMetrics;

/**
 * A snapshot of a {@link GossipNode}'s counters (monotonic since start) and gauges (current values), as plain
 * numbers for whatever exports them (Micrometer, JMX). The headline figures come first; {@code core} and
 * {@code transport} carry the detail. Core figures are at most ~50 ms old; the others are current.
 *
 * @param changesetsBroadcast local changesets accepted by {@link GossipNode#broadcast}
 * @param broadcastsDropped   local changesets refused at the hand-off (queue full, or the node not running);
 *                            peers get them by sync
 * @param changesetsReceived  changesets received from peers: first copies by broadcast, plus all sync brought
 * @param changesetsApplied   received changesets the store took as new (by broadcast and by sync)
 * @param syncRounds          sync sessions completed, as initiator or responder
 * @param decodeRejects       received frames that were not valid messages (counted, logged at a bounded rate)
 * @param members             members by status, this node excluded
 * @param queues              current queue depths
 * @param runtime             the runtime's own counters
 * @param core                the protocol cores' counters
 * @param transport           the QUIC transport's counters
 */
public record GossipNodeStats(
        long changesetsBroadcast,
        long broadcastsDropped,
        long changesetsReceived,
        long changesetsApplied,
        long syncRounds,
        long decodeRejects,
        Members members,
        Queues queues,
        RuntimeCounters runtime,
        CoreStats core,
        TransportMetrics transport) {

    /** Members by status. */
    public record Members(int alive, int suspect, int down) {
    }

    /**
     * Queue depths.
     *
     * @param broadcastHandoff    local changesets waiting for the protocol thread
     * @param inboundFrames       received frames waiting for the protocol thread
     * @param inboundBytes        their bytes
     * @param apply               received changesets waiting for the store (not counting the batch being applied)
     * @param applyLagMillis      how long the oldest received changeset not yet stored has waited (0: none waits)
     * @param broadcastRetransmit changesets waiting for a further broadcast round
     * @param broadcastWaiting    broadcasts waiting for a stream to their peer
     * @param events              events waiting for the listener
     * @param syncSessions        sync sessions open, both roles
     */
    public record Queues(int broadcastHandoff, int inboundFrames, long inboundBytes, int apply, long applyLagMillis,
            int broadcastRetransmit, int broadcastWaiting, int events, int syncSessions) {
    }

    /**
     * The runtime's counters.
     *
     * @param inboundDropped     received frames dropped because the protocol thread was too far behind
     * @param protocolViolations frames that decoded but arrived where they do not belong (wrong channel, a sync
     *                           frame for another session); the stream carrying them is aborted
     * @param sendFailures       frames the transport could not send (peer down, refused, overloaded)
     * @param storeFailures      store tasks that threw (the batch is retried by later copies or sync)
     * @param eventsDropped      events not delivered because the listener fell too far behind
     * @param listenerErrors     exceptions the listener threw
     * @param protocolErrors     unexpected exceptions on the protocol thread (bugs; logged, the node carries on)
     * @param syncPausedReading  times reading sync streams was paused because the apply queue was filling up
     * @param broadcastBatches   frames that carried several broadcasts to one peer (a burst met busy streams)
     * @param broadcastsDroppedWaiting broadcasts dropped while waiting for a stream to their peer (over the bound)
     * @param quarantinedFrames  frames dropped unread because their peer is quarantined for sending garbage
     */
    public record RuntimeCounters(long inboundDropped, long protocolViolations, long sendFailures,
            long storeFailures, long eventsDropped, long listenerErrors, long protocolErrors,
            long syncPausedReading, long broadcastBatches, long broadcastsDroppedWaiting, long quarantinedFrames) {
    }
}
