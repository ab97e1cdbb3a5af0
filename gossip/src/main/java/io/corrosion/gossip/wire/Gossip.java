package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import java.util.List;

/** Membership updates alone, pushed every gossip interval and used to tell a node it was declared dead. */
public record Gossip(Member sender, List<MemberUpdate> updates) implements MembershipMessage {
    public Gossip {
        updates = List.copyOf(updates);
    }
}
