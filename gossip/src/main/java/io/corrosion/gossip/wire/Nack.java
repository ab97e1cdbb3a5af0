package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import java.util.List;

/** Lifeguard: an indirect prober heard nothing from the target, so at least the requester's path to it works. */
public record Nack(Member sender, long seq, List<MemberUpdate> updates) implements MembershipMessage {
    public Nack {
        updates = List.copyOf(updates);
    }
}
