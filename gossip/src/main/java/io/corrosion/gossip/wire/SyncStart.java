package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.SyncState;
import java.util.Objects;

/** Opens a session: who starts it (so the peer can answer) and what it has. */
public record SyncStart(SessionKey session, Member initiator, SyncState state) implements SyncMessage {
    public SyncStart {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(state, "state");
    }
}
