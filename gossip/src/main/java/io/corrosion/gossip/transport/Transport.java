package io.corrosion.gossip.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * Moves opaque byte frames between gossip nodes over three channels, one per kind of traffic the protocol
 * cores emit:
 * <ul>
 *   <li><b>datagram</b> ({@link #sendDatagram}): unreliable, unordered, at most {@link #maxDatagramSize()}
 *       bytes. SWIM probes and acks.</li>
 *   <li><b>message</b> ({@link #sendMessage}): one reliable frame, one way, at most {@link #maxFrameSize()}
 *       bytes. Messages to the same peer are not ordered with respect to each other. Broadcast of
 *       changesets.</li>
 *   <li><b>exchange</b> ({@link #openExchange}): a bidirectional session; each side sends an ordered
 *       sequence of frames, then {@linkplain Exchange#finish() finishes} its half, or
 *       {@linkplain Exchange#abort aborts} both. Anti-entropy sync.</li>
 * </ul>
 *
 * <p><b>Addresses and identity.</b> A peer is addressed by the address it listens on. Inbound traffic
 * carries a {@link PeerInfo} whose address is where the traffic came from, which is in general <em>not</em>
 * the sender's listen address (a QUIC client sends from an ephemeral port): a protocol that needs the
 * sender's identity carries it in its payload. {@link PeerInfo#identity()} is the peer's verified TLS
 * certificate, for logging and, later, for binding payload identities to certificates.
 *
 * <p><b>Completion and back-pressure.</b> Every send returns a stage that completes when the bytes were
 * handed to the network stack (for streams: accepted within the peer's flow-control window), not when the
 * peer processed them; it completes exceptionally with a {@link TransportException} whose
 * {@link TransportException#reason() reason} says what went wrong. A caller that waits for one send before
 * the next gets back-pressure from the slowest link. The byte arrays passed to send methods must not be
 * modified until the returned stage completes.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Handlers ({@link InboundHandler},
 * {@link ExchangeHandler}) are called on the transport's I/O threads, one callback at a time per
 * connection, and <em>must not block</em>: hand work to your own executor. A handler that throws is
 * counted in {@link TransportMetrics#handlerErrors()} and logged; the transport keeps running.
 *
 * <p><b>Lifecycle.</b> {@link #start} binds; {@link #close} closes every connection and releases every
 * thread and native resource before it returns. A transport cannot be restarted; create a new one.
 */
public interface Transport extends AutoCloseable {

    /**
     * Binds the local address and starts accepting peers; from now on inbound traffic reaches
     * {@code handler}.
     *
     * @throws TransportException if the configuration is refused (e.g. a non-loopback address without TLS
     *                            material) or the address cannot be bound
     */
    void start(InboundHandler handler);

    /** The bound address (with the real port when the configuration asked for port 0). */
    InetSocketAddress localAddress();

    /** Largest datagram {@link #sendDatagram} accepts and inbound datagrams may have; larger ones are dropped. */
    int maxDatagramSize();

    /** Largest frame (message, or exchange frame) in either direction; a larger length prefix cuts the stream. */
    int maxFrameSize();

    /** Sends one unreliable datagram. A datagram may be lost, duplicated or reordered. */
    CompletionStage<Void> sendDatagram(InetSocketAddress to, byte[] datagram);

    /**
     * Sends one message reliably: it arrives whole and once, or the stage fails. Messages to one peer may share a
     * stream (QUIC: {@code MessageStream}), so a stalled one can hold back those sent after it.
     */
    CompletionStage<Void> sendMessage(InetSocketAddress to, byte[] message);

    /**
     * Opens an exchange with {@code to}. Frames the peer sends arrive at {@code handler}. The peer's
     * {@link InboundHandler#onExchange} learns of the exchange when the first frame (or the finish) arrives,
     * so an initiator speaks first.
     */
    CompletionStage<Exchange> openExchange(InetSocketAddress to, ExchangeHandler handler);

    /**
     * Forgets the cached connection to {@code peer}, closing it; the next send dials anew. For a runtime
     * that learns a peer restarted before the transport does.
     */
    void disconnect(InetSocketAddress peer);

    /** A snapshot of the counters; cheap enough to poll. */
    TransportMetrics metrics();

    /**
     * Closes every connection and releases threads and native memory; returns when that is done. Idempotent.
     * Blocks, so it must not be called from a handler (an I/O thread).
     */
    @Override
    void close();
}
