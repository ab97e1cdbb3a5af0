package io.corrosion.gossip.transport;

/**
 * Receives what peers send. Called on a transport I/O thread; must not block (see {@link Transport}).
 */
public interface InboundHandler {

    /** A datagram arrived; it may be a duplicate, and datagrams may arrive out of order. */
    void onDatagram(PeerInfo from, byte[] datagram);

    /** A message arrived, whole. */
    void onMessage(PeerInfo from, byte[] message);

    /**
     * A peer opened an exchange. Return the handler for its frames, or {@code null} to refuse it (the
     * exchange is aborted). The handler's first {@link ExchangeHandler#onFrame} follows this call.
     */
    ExchangeHandler onExchange(Exchange exchange);
}
