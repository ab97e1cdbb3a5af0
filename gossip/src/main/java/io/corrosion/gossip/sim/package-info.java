/**
 * Deterministic simulation: a whole cluster of real {@link io.corrosion.gossip.core.GossipCore}s in one thread
 * on a seeded network with simulated time, latency, loss, duplication, reordering, partitions, crashes and
 * restarts. {@code LargeSimulation} (test scope; the {@code large-sim} profile of this module runs it) is the
 * command-line large run.
 */
package io.corrosion.gossip.sim;
