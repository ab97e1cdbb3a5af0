package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.SiteId;
import java.util.List;

/** A probe. {@code target} guards against a new node that took over the address of an old one. */
public record Ping(Member sender, long seq, SiteId target, List<MemberUpdate> updates) implements MembershipMessage {
    public Ping {
        updates = List.copyOf(updates);
    }
}
