package io.corrosion.gossip.wire;

import io.corrosion.gossip.SyncNeed;
import java.util.List;
import java.util.Objects;

/** What the sender wants from the receiver; possibly nothing. */
public record SyncRequest(SessionKey session, List<SyncNeed> needs) implements SyncMessage {
    public SyncRequest {
        Objects.requireNonNull(session, "session");
        needs = List.copyOf(needs);
    }
}
