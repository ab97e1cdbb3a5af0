package io.corrosion.gossip.sim;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.wire.WireCodec;

/** One simulated node: its durable store survives crashes, its core (all protocol state) does not. */
public final class SimNode {

    final int index;
    final SiteId siteId;
    final NodeAddress address;
    /** The simulation's own store, or null when the node runs on a store given from outside. */
    final InMemoryChangesetStore store;
    /** Where store tasks run: {@link #store}, or the external store. */
    final ChangesetStore backing;
    final WireCodec codec;
    GossipCore core;
    int epoch;
    int group;
    long timerAt = Long.MAX_VALUE;
    long storeFreeAt;
    long lastIncarnation;
    long extraLatency;

    SimNode(int index, SiteId siteId, NodeAddress address, int maxFrameBytes, ChangesetStore external) {
        this.index = index;
        this.siteId = siteId;
        this.address = address;
        this.store = external == null ? new InMemoryChangesetStore(siteId) : null;
        this.backing = external == null ? store : external;
        this.codec = new WireCodec(maxFrameBytes);
    }

    public int index() {
        return index;
    }

    public SiteId siteId() {
        return siteId;
    }

    public NodeAddress address() {
        return address;
    }

    /** The simulation's in-memory store; throws for a node on an external store. */
    public InMemoryChangesetStore store() {
        if (store == null) {
            throw new IllegalStateException(this + " runs on an external store");
        }
        return store;
    }

    public boolean isUp() {
        return core != null;
    }

    /** The running core; throws if the node is down. */
    public GossipCore core() {
        if (core == null) {
            throw new IllegalStateException("node " + index + " is down");
        }
        return core;
    }

    public Member self() {
        return core().self();
    }

    /** How this node sees another, or null if it does not know it. */
    public MemberStatus statusOf(SimNode other) {
        return core().membership().status(other.siteId);
    }

    public WireCodec codec() {
        return codec;
    }

    @Override
    public String toString() {
        return "node" + index;
    }
}
