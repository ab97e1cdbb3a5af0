package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import java.util.List;

/** Asks the receiver to probe {@code target} and relay the ack (or a {@link Nack}) under the requester's seq. */
public record PingReq(Member sender, long seq, Member target, List<MemberUpdate> updates)
        implements MembershipMessage {
    public PingReq {
        updates = List.copyOf(updates);
    }
}
