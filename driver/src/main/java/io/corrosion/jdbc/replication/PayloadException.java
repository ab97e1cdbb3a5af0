package io.corrosion.jdbc.replication;

/**
 * A changeset payload that is not a valid encoding of changes ({@link ChangesPayload}): nothing of it is used. The
 * changeset carrying it is refused ({@code REJECTED}) and counted; the node carries on.
 */
public final class PayloadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the payload. */
    public enum Reason {
        /** A format byte this node does not know (a newer node's payload, or garbage). */
        UNSUPPORTED_FORMAT,
        /** The payload ends inside a value. */
        TRUNCATED,
        /** A value out of range or inconsistent (bad index, bad UTF-8, seq outside the chunk, trailing bytes, ...). */
        MALFORMED
    }

    private final Reason reason;

    public PayloadException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
