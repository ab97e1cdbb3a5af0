package io.corrosion.gossip.broadcast;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.wire.BroadcastMessage;

/** Where {@link Broadcaster} puts what it wants done. */
public interface BroadcastOutput {

    void send(NodeAddress to, BroadcastMessage message);

    /** A changeset seen for the first time: hand it to the store. {@code hops} = rounds from its origin (>= 1). */
    void deliver(Changeset changeset, int hops);
}
