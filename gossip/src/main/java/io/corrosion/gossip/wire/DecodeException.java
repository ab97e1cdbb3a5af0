package io.corrosion.gossip.wire;

/** A frame that is not a valid message. Nothing of it was applied. */
public final class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a frame was rejected; {@link WireCodec} counts each. */
    public enum Reason {
        /** Larger than the configured maximum frame size. */
        OVERSIZE_FRAME,
        /** A wire version this node does not speak. */
        UNKNOWN_VERSION,
        /** A message type this node does not know. */
        UNKNOWN_TYPE,
        /** The frame ends before the message does. */
        TRUNCATED,
        /** Bytes left over after the message. */
        TRAILING_BYTES,
        /** A length or count larger than what is left of the frame. */
        OVERSIZE_LENGTH,
        /** A field with an impossible value (bad varint, enum, range, UTF-8, address...). */
        MALFORMED
    }

    private final Reason reason;

    public DecodeException(Reason reason, String message) {
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
