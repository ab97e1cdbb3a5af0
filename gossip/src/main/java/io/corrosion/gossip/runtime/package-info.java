/**
 * The gossip node: {@link io.corrosion.gossip.runtime.GossipNode} wires the sans-IO
 * {@link io.corrosion.gossip.core.GossipCore} to the QUIC {@link io.corrosion.gossip.transport.Transport}, a
 * real monotonic clock, and the store. Built from a validated {@link io.corrosion.gossip.runtime.GossipNodeConfig}.
 *
 * <h2>Threads and hand-offs</h2>
 * <ul>
 *   <li><b>Protocol thread</b> (one, with timers): owns the core. Every input is one step: a received message, a
 *       batch of local broadcasts, the core's timer, a store result, a sync stream opening or breaking. After each
 *       step the outbox is worked off, the timer re-armed to {@code nextTimeout()}, and snapshots (members,
 *       counters) republished for other threads. It never blocks: sends return stages, store work goes to the
 *       store threads.</li>
 *   <li><b>Transport I/O threads</b>: decode frames (a frame that fails is counted and logged with its peer at a
 *       bounded rate) and check each arrived on its channel, then hand the message to the protocol thread.
 *       At most {@code inboundMaxFrames} / {@code inboundMaxBytes} wait; beyond that frames are dropped (a sync
 *       stream is aborted instead, and retried by the next session).</li>
 *   <li><b>Store threads</b>: one runs apply batches (the core keeps at most one outstanding), one runs sync
 *       reads, so reads go on beside an apply. A sync read for a peer goes on while the session's previous batch is
 *       on its way, and waits until the peer's flow control took the batch before that; while the apply queue is
 *       over half full, sync streams are not read.</li>
 *   <li><b>Event thread</b>: delivers events to the listener in order through a bounded queue.</li>
 *   <li><b>Callers</b>: {@code broadcast} puts the changeset into a bounded hand-off queue and returns; when it is
 *       full the changeset is refused ({@code false}) and peers get it by sync.</li>
 * </ul>
 * A broadcast send to a peer leaves at once while none is in flight to it; otherwise it waits, and what waited
 * leaves together as one {@link io.corrosion.gossip.wire.BroadcastBatch} (the next batch is sent by the transport thread
 * that finished the previous send, not the protocol thread).
 *
 * <h2>Channels</h2>
 * Datagram messages (probes, acks, membership gossip) go as QUIC datagrams; broadcasts and push-pull as one
 * message each on the peer's message stream; a sync session on one bidirectional exchange keyed by its
 * {@link io.corrosion.gossip.wire.SessionKey}: the initiator's SyncStart opens it, every later frame of either
 * side goes on it, and it is finished when the core closes the session cleanly (aborted otherwise). When a member
 * is declared down, its cached connection is dropped, so a restarted node is dialled afresh.
 */
package io.corrosion.gossip.runtime;
