/**
 * Epidemic broadcast of changesets, sans-IO: fanout to random live members over a bounded number of rounds and
 * hops, a bounded dedupe set, a bounded retransmission queue. Anti-entropy sync is the safety net for anything it
 * drops.
 */
package io.corrosion.gossip.broadcast;
