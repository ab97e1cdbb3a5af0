package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.core.CoreStats;
import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.membership.MemberView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What other threads may read of the core, which only the protocol thread touches: the member list, this node's
 * current self (its incarnation rises when it refutes a suspicion), and the cores' counters. The protocol thread
 * republishes them after its steps; readers get an immutable snapshot and never wait.
 */
final class NodeSnapshots {

    private final GossipCore core;
    private volatile List<MemberInfo> members = List.of();
    private volatile Member self;
    private volatile CoreStats coreStats;
    private volatile long applyLagMillis;

    // Protocol thread only.
    private boolean membersDirty = true;
    private List<Member> lastLivePeers;

    NodeSnapshots(GossipCore core) {
        this.core = core;
        this.self = core.self();
        this.coreStats = core.stats();
    }

    List<MemberInfo> members() {
        return members;
    }

    Member self() {
        return self;
    }

    CoreStats coreStats() {
        return coreStats;
    }

    long applyLagMillis() {
        return applyLagMillis;
    }

    /** A member event came out of the core. Protocol thread. */
    void membersChanged() {
        membersDirty = true;
    }

    /** Republishes the members if anything changed ({@code now}: the core's clock). Protocol thread. */
    void refreshMembers(long now) {
        List<Member> live = core.membership().livePeers();
        Member me = core.self();
        if (!membersDirty && live == lastLivePeers && me == self) {
            return;
        }
        membersDirty = false;
        lastLivePeers = live;
        self = me;
        long wallNow = System.currentTimeMillis();
        List<MemberView> views = core.membership().members();
        List<MemberInfo> infos = new ArrayList<>(views.size());
        for (MemberView view : views) {
            infos.add(new MemberInfo(view.member(), view.status(),
                    Instant.ofEpochMilli(wallNow - Math.max(0, now - view.statusSince()))));
        }
        members = List.copyOf(infos);
    }

    /** Republishes the cores' counters ({@code now}: the core's clock). Protocol thread. */
    void refreshStats(long now) {
        coreStats = core.stats();
        applyLagMillis = core.applyLagMillis(now);
    }
}
