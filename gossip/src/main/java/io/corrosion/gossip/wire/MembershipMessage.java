package io.corrosion.gossip.wire;

import io.corrosion.gossip.Channel;
import io.corrosion.gossip.Member;
import java.util.List;

/**
 * SWIM messages. Each names its sender (who it is, where it listens, its incarnation) and piggybacks membership
 * updates.
 */
public sealed interface MembershipMessage extends GossipMessage permits Ping, Ack, PingReq, Nack, Gossip, PushPull {

    Member sender();

    List<MemberUpdate> updates();

    @Override
    default Channel channel() {
        return Channel.DATAGRAM;
    }
}
