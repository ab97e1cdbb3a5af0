package io.corrosion.gossip.runtime;

import io.corrosion.gossip.GossipEvent;

/**
 * Hears what a {@link GossipNode} observes: members up, suspected, down; changesets stored as new. Called on the
 * node's event thread, one event at a time in the order they happened, never on the protocol thread: a slow
 * listener delays only later events (and beyond {@link GossipNodeConfig#eventQueueCapacity()} waiting events,
 * new ones are dropped and counted). An exception thrown here is logged and counted; the node carries on.
 */
@FunctionalInterface
public interface GossipListener {

    /** Ignores everything. */
    GossipListener NONE = event -> {
    };

    void onEvent(GossipEvent event);
}
