/**
 * The node's protocol state behind one sans-IO face, {@link io.corrosion.gossip.core.GossipCore}, and the
 * contract a runtime (or the simulation) follows to drive it.
 *
 * <h2>Driving a core</h2>
 * One protocol thread owns the core and calls, with the current monotonic time in milliseconds:
 * {@code start} once; {@code onMessage} for every decoded frame; {@code onTimeout} when {@code nextTimeout()} is
 * due (re-read it after every call); {@code broadcast} for every local commit; {@code onStoreResult} for every
 * finished store task; {@code onSessionBroken} when a sync stream dies. After each call it drains the
 * {@link io.corrosion.gossip.core.Outbox}: sends each {@link io.corrosion.gossip.core.Outgoing} on its channel
 * (datagram, uni stream, or the bidi stream of its sync session), runs the store tasks, publishes the events,
 * finishes the streams of closed sessions.
 *
 * <h2>Store work never runs on the protocol thread</h2>
 * The cores never call the {@link io.corrosion.gossip.store.ChangesetStore}: they emit
 * {@link io.corrosion.gossip.core.StoreTask}s. The runtime executes {@code task.execute(store)} on a store
 * executor and feeds the {@link io.corrosion.gossip.core.StoreResult} back on the protocol thread. So a SQLite
 * transaction that takes milliseconds delays neither probes nor acks: failure detection keeps its timing however
 * slow the store is. At most one apply batch is outstanding; reads (sync state, sync batches) may run beside it.
 * The simulation takes exactly this path, with simulated store latency.
 */
package io.corrosion.gossip.core;
