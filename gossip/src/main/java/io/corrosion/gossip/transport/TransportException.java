package io.corrosion.gossip.transport;

/** Why a transport operation failed; {@link #reason()} is what a caller switches on. */
public class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The configuration was refused at start (e.g. TLS missing for a non-loopback address). */
        CONFIGURATION,
        /** The local address could not be bound. */
        BIND_FAILED,
        /** The transport is not started, or closed. */
        NOT_RUNNING,
        /** A frame or datagram larger than the configured maximum. */
        TOO_LARGE,
        /** No connection to the peer could be made (unreachable, timed out, or in reconnect back-off). */
        CONNECT_FAILED,
        /** The TLS handshake failed: certificate refused on either side. */
        HANDSHAKE_FAILED,
        /** The connection closed while the operation was in flight. */
        CONNECTION_LOST,
        /** Too many streams are already waiting for the peer's stream credit. */
        OVERLOADED,
        /** This side already finished its half of the exchange: no more frames. */
        FINISHED,
        /** This side aborted the exchange. */
        ABORTED_LOCALLY,
        /** The peer aborted the exchange or stopped reading. */
        ABORTED_BY_PEER,
        /** A frame did not complete within the frame timeout (slow sender). */
        FRAME_TIMEOUT,
        /** Nothing moved on the stream within the idle timeout. */
        IDLE_TIMEOUT,
        /** The stream ended in the middle of a frame. */
        TRUNCATED,
        /** The peer's handler refused the exchange. */
        REFUSED
    }

    private final Reason reason;

    public TransportException(Reason reason, String message) {
        this(reason, message, null);
    }

    public TransportException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
