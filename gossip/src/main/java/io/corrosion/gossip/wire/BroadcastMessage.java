package io.corrosion.gossip.wire;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.Channel;
import io.corrosion.gossip.SiteId;
import java.util.Objects;

/** A changeset spreading epidemically; {@code hops} counts the forwards since its origin (0 = from the origin). */
public record BroadcastMessage(SiteId sender, int hops, Changeset changeset) implements GossipMessage {

    public BroadcastMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(changeset, "changeset");
        if (hops < 0) {
            throw new IllegalArgumentException("negative hops");
        }
    }

    @Override
    public Channel channel() {
        return Channel.STREAM;
    }
}
