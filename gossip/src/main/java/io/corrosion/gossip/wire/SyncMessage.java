package io.corrosion.gossip.wire;

import io.corrosion.gossip.Channel;

/** Anti-entropy messages, all within one session (a bidirectional stream). */
public sealed interface SyncMessage extends GossipMessage
        permits SyncStart, SyncStateReply, SyncRequest, SyncChangesets, SyncDone, SyncReject {

    SessionKey session();

    @Override
    default Channel channel() {
        return Channel.SESSION;
    }
}
