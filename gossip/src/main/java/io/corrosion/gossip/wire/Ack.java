package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import java.util.List;

/** Answer to a {@link Ping} (or relayed by an indirect prober) with the probe's seq. */
public record Ack(Member sender, long seq, List<MemberUpdate> updates) implements MembershipMessage {
    public Ack {
        updates = List.copyOf(updates);
    }
}
