/**
 * Deterministic simulation: a whole cluster of real {@link io.corrosion.gossip.core.GossipCore}s in one thread
 * on a seeded network with simulated time, latency, loss, duplication, reordering, partitions, crashes and
 * restarts. {@link io.corrosion.gossip.sim.LargeSimulation} is the command-line large run.
 */
package io.corrosion.gossip.sim;
