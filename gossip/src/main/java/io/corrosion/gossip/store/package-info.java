/**
 * The store of versions: the {@link io.corrosion.gossip.store.ChangesetStore} interface the driver implements on
 * SQLite, Corrosion's per-site bookkeeping ({@link io.corrosion.gossip.store.BookedVersions}: head, needed
 * versions, partial versions) for it to reuse, and an in-memory store for the simulation.
 */
package io.corrosion.gossip.store;
