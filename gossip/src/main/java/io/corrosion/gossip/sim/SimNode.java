package io.corrosion.gossip.sim;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.wire.WireCodec;

/** One simulated node: its durable store survives crashes, its core (all protocol state) does not. */
public final class SimNode {

    final int index;
    final SiteId siteId;
    final NodeAddress address;
    final InMemoryChangesetStore store;
    final WireCodec codec;
    GossipCore core;
    int epoch;
    int group;
    long timerAt = Long.MAX_VALUE;
    long storeFreeAt;
    long lastIncarnation;
    long extraLatency;

    SimNode(int index, SiteId siteId, NodeAddress address, int maxFrameBytes) {
        this.index = index;
        this.siteId = siteId;
        this.address = address;
        this.store = new InMemoryChangesetStore(siteId);
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

    public InMemoryChangesetStore store() {
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
