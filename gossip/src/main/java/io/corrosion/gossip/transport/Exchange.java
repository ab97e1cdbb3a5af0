package io.corrosion.gossip.transport;

import java.util.concurrent.CompletionStage;

/**
 * One bidirectional session with a peer: each side sends an ordered sequence of frames and then finishes
 * its half. The exchange ends when both halves are finished, or when either side aborts it; the
 * {@link ExchangeHandler} hears of the peer's finish and of any abort.
 *
 * <p>An exchange that makes no progress is cut: a frame that does not complete within the frame timeout,
 * or no frame in either direction within the idle timeout, aborts it on both sides.
 */
public interface Exchange {

    PeerInfo peer();

    /** {@code true} on the side that called {@link Transport#openExchange}. */
    boolean initiatedLocally();

    /**
     * Sends one frame after those sent before (frames sent from one thread arrive in that order). The stage
     * completes when the frame was accepted within the peer's flow-control window: waiting for it before
     * sending more is the back-pressure. After {@link #finish()} it fails with
     * {@link TransportException.Reason#FINISHED}.
     */
    CompletionStage<Void> send(byte[] frame);

    /**
     * Finishes this side: no more frames from us. The finish queues behind frames not yet written, so it
     * may be called right after the last {@link #send} without waiting. Completes when written; idempotent.
     */
    CompletionStage<Void> finish();

    /**
     * Aborts both directions; unsent frames are dropped, the peer's handler gets
     * {@link ExchangeHandler#onAborted}. Idempotent; a no-op after the exchange ended.
     */
    void abort(String reason);

    /**
     * Stops reading the peer's frames until {@link #resumeReading()}: QUIC flow control then stops the peer
     * once its window is full. Time spent paused does not count towards the frame or idle timeouts.
     */
    void pauseReading();

    void resumeReading();

    /** {@code false} once both halves finished or the exchange was aborted. */
    boolean isOpen();
}
