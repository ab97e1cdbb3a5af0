/** Gossip: SWIM membership, epidemic broadcast and anti-entropy sync over QUIC. Knows nothing of SQL. */
package io.corrosion.gossip;
