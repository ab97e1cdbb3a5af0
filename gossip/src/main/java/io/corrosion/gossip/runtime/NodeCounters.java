package io.corrosion.gossip.runtime;

import java.util.concurrent.atomic.LongAdder;

/** The runtime's own counters, incremented from any thread. */
final class NodeCounters {

    final LongAdder changesetsBroadcast = new LongAdder();
    final LongAdder broadcastsDropped = new LongAdder();
    final LongAdder inboundDropped = new LongAdder();
    final LongAdder protocolViolations = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder storeFailures = new LongAdder();
    final LongAdder eventsDropped = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder syncPausedReading = new LongAdder();
    final LongAdder broadcastBatches = new LongAdder();
    final LongAdder broadcastsDroppedWaiting = new LongAdder();
    final LongAdder quarantinedFrames = new LongAdder();

    GossipNodeStats.RuntimeCounters snapshot() {
        return new GossipNodeStats.RuntimeCounters(inboundDropped.sum(), protocolViolations.sum(),
                sendFailures.sum(), storeFailures.sum(), eventsDropped.sum(), listenerErrors.sum(),
                protocolErrors.sum(), syncPausedReading.sum(), broadcastBatches.sum(), broadcastsDroppedWaiting.sum(),
                quarantinedFrames.sum());
    }
}
