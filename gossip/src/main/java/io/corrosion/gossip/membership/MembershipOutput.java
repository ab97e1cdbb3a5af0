package io.corrosion.gossip.membership;

import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.wire.MembershipMessage;

/** Where {@link Membership} puts what it wants done: messages to send (on their channel) and events. */
public interface MembershipOutput {

    void send(NodeAddress to, MembershipMessage message);

    void event(GossipEvent event);
}
