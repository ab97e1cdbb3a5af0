/**
 * Gossip: SWIM membership, epidemic broadcast and anti-entropy sync. Knows nothing of SQL: it moves opaque
 * changesets identified by (site id, version). This package holds the shared vocabulary (site ids, members,
 * changesets, sync states and needs, events) and the one configuration record, {@link
 * io.corrosion.gossip.GossipConfig}. The protocol state machines live in {@code membership}, {@code broadcast}
 * and {@code sync}, composed by {@code core}; the store interface in {@code store}; the codec in {@code wire}.
 */
package io.corrosion.gossip;
