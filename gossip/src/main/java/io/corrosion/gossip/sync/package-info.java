/**
 * Anti-entropy sync, sans-IO: periodic sessions with a random live member that exchange
 * {@link io.corrosion.gossip.SyncState}s and stream each other what is missing in bounded batches. Needs follow
 * Corrosion's {@code compute_available_needs} ({@link io.corrosion.gossip.sync.SyncNeeds}).
 */
package io.corrosion.gossip.sync;
