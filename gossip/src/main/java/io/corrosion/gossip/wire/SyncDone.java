package io.corrosion.gossip.wire;

import java.util.Objects;

/** The sender has served everything the peer asked for; {@code truncated} if it stopped at its byte budget. */
public record SyncDone(SessionKey session, boolean truncated) implements SyncMessage {
    public SyncDone {
        Objects.requireNonNull(session, "session");
    }
}
