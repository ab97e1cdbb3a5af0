package io.corrosion.gossip.sim;

import io.corrosion.gossip.GossipEvent;

/** Sees every event a simulated node publishes, with the simulated time. */
@FunctionalInterface
public interface SimObserver {
    void onEvent(SimNode node, GossipEvent event, long now);
}
