package io.corrosion.gossip.wire;

import io.corrosion.gossip.Channel;

/** Every message nodes exchange. One encoded message is one frame; see {@link WireCodec}. */
public sealed interface GossipMessage permits MembershipMessage, BroadcastMessage, BroadcastBatch, SyncMessage {

    /** The channel this message travels on. */
    Channel channel();
}
