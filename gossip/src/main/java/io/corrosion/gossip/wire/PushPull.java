package io.corrosion.gossip.wire;

import io.corrosion.gossip.Channel;
import io.corrosion.gossip.Member;
import java.util.List;

/**
 * The sender's whole member list. A node joins by sending one to a seed; the receiver merges it and, unless
 * {@code reply}, answers with its own list. Travels on a reliable stream: it can be large.
 */
public record PushPull(Member sender, boolean reply, List<MemberUpdate> updates) implements MembershipMessage {
    public PushPull {
        updates = List.copyOf(updates);
    }

    @Override
    public Channel channel() {
        return Channel.STREAM;
    }
}
