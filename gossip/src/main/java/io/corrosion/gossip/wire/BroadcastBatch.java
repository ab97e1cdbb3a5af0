package io.corrosion.gossip.wire;

import io.corrosion.gossip.Channel;
import java.util.List;

/**
 * Several broadcasts for one peer in one frame. A runtime with more broadcasts queued for a peer than it keeps
 * streams open to it sends them together, so a burst costs a few streams instead of one per changeset. The
 * receiver handles each as if it had come alone.
 */
public record BroadcastBatch(List<BroadcastMessage> messages) implements GossipMessage {

    public BroadcastBatch {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one broadcast");
        }
    }

    @Override
    public Channel channel() {
        return Channel.STREAM;
    }
}
