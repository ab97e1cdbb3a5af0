package io.corrosion.gossip.wire;

import io.corrosion.gossip.Changeset;
import java.util.List;
import java.util.Objects;

/** One bounded batch of what the peer asked for. */
public record SyncChangesets(SessionKey session, List<Changeset> changesets) implements SyncMessage {
    public SyncChangesets {
        Objects.requireNonNull(session, "session");
        changesets = List.copyOf(changesets);
    }
}
