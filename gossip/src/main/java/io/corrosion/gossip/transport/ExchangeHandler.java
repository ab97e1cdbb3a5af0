package io.corrosion.gossip.transport;

/**
 * The events of one {@link Exchange}. Called on a transport I/O thread, in order; must not block.
 * After {@link #onFinished} or {@link #onAborted} no more frames arrive; {@link #onAborted} is called at
 * most once, and also after {@link #onFinished} if our own half then fails.
 */
public interface ExchangeHandler {

    /** The peer's next frame, whole. */
    void onFrame(Exchange exchange, byte[] frame);

    /** The peer finished its half: no more frames will arrive. We may still send, and must finish ours. */
    void onFinished(Exchange exchange);

    /**
     * The exchange ended abnormally: aborted by either side, cut by a timeout or an oversize frame, or its
     * connection was lost. {@link TransportException#reason()} says which.
     */
    void onAborted(Exchange exchange, TransportException cause);
}
