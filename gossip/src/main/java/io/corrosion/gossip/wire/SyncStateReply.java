package io.corrosion.gossip.wire;

import io.corrosion.gossip.SyncState;
import java.util.Objects;

/** The responder's state, answering {@link SyncStart}. */
public record SyncStateReply(SessionKey session, SyncState state) implements SyncMessage {
    public SyncStateReply {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(state, "state");
    }
}
