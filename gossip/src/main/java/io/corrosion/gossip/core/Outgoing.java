package io.corrosion.gossip.core;

import io.corrosion.gossip.Channel;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.SyncMessage;

/**
 * A message to send to the node listening at {@code to}, on {@code channel}. For {@link Channel#SESSION} the
 * message's {@link SyncMessage#session()} names the stream: the initiator's first message opens it, every later
 * message of either side goes on it.
 */
public record Outgoing(NodeAddress to, Channel channel, GossipMessage message) {

    public static Outgoing of(NodeAddress to, GossipMessage message) {
        return new Outgoing(to, message.channel(), message);
    }
}
