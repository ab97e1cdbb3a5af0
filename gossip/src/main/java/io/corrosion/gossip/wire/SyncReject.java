package io.corrosion.gossip.wire;

import java.util.Objects;

/** The peer will not sync now. */
public record SyncReject(SessionKey session, Reason reason) implements SyncMessage {

    public enum Reason {
        /** It already serves its maximum number of sessions. */
        BUSY,
        /** It could not read its own state, or is shutting down. */
        UNAVAILABLE
    }

    public SyncReject {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(reason, "reason");
    }
}
