package io.corrosion.gossip.membership;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.RandomPicks;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.PushPull;
import io.corrosion.gossip.wire.WireCodec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * This node's full member-list exchanges (push-pull), which join, repair divergence and heal partitions: the
 * message, our whole view; and when to send it besides joining ({@link Seeds}): every {@code pushPullInterval}
 * (jittered) to one random live member, and every {@code reconnectInterval} to one dead member and one seed that is
 * not a live member. Merging a received one is {@link Membership}'s, which owns this; one thread.
 */
final class PushPulls {

    private final GossipConfig config;
    private final RandomGenerator random;
    private final MemberTable members;
    private final Seeds seeds;
    private final Supplier<Member> self;
    private final BooleanSupplier left;
    private long nextPushPullAt;
    private long nextReconnectAt;

    /** {@code self}: this node as it is now; {@code left}: whether it left the cluster. */
    PushPulls(GossipConfig config, RandomGenerator random, MemberTable members, Seeds seeds, Supplier<Member> self,
            BooleanSupplier left) {
        this.config = config;
        this.random = random;
        this.members = members;
        this.seeds = seeds;
        this.self = self;
        this.left = left;
    }

    void start(long now) {
        nextPushPullAt = now + RandomPicks.jitter(config.pushPullInterval().toMillis(), 0.5, random);
        nextReconnectAt = now + RandomPicks.jitter(config.reconnectInterval().toMillis(), 0.5, random);
    }

    /** Our push-pull: a reply to one received, or one that asks for the peer's view. */
    PushPull ours(boolean reply) {
        return new PushPull(self.get(), reply, fullState());
    }

    /** Our whole view (self first), as much as fits a frame. */
    private List<MemberUpdate> fullState() {
        Member us = self.get();
        MemberUpdate update = new MemberUpdate(left.getAsBoolean() ? MemberStatus.LEFT : MemberStatus.ALIVE, us,
                us.siteId());
        int budget = config.maxFrameBytes() - WireCodec.memberSize(us) - WireCodec.MEMBERSHIP_OVERHEAD_BYTES
                - WireCodec.updateSize(update);
        return members.asUpdates(update, budget);
    }

    /** Sends the exchanges due at {@code now}. */
    void onTimeout(long now, MembershipOutput out) {
        if (now >= nextPushPullAt) {
            Member peer = RandomPicks.one(members.live(), m -> false, random);
            if (peer != null) {
                out.send(peer.address(), ours(false));
            }
            nextPushPullAt = now + RandomPicks.jitter(config.pushPullInterval().toMillis(), 0.5, random);
        }
        if (now >= nextReconnectAt) {
            reconnect(out);
            nextReconnectAt = now + RandomPicks.jitter(config.reconnectInterval().toMillis(), 0.5, random);
        }
    }

    long nextTimeout() {
        return Math.min(nextPushPullAt, nextReconnectAt);
    }

    /**
     * Push-pull with one dead member (if it was only cut off, we both find out and heal), and with one seed that is
     * not a live member ({@link Seeds}: Serf's reconnect and Consul's retry-join do the same).
     */
    private void reconnect(MembershipOutput out) {
        Set<NodeAddress> live = new HashSet<>();
        for (Member m : members.live()) {
            live.add(m.address());
        }
        Member target = RandomPicks.one(members.withStatus(MemberStatus.DEAD), m -> false, random);
        // Alone, the join's backoff knocks on the seeds instead.
        NodeAddress seed = live.isEmpty() ? null : seeds.notLive(live);
        if (target == null && seed == null) {
            return;
        }
        PushPull pushPull = ours(false);
        if (target != null) {
            out.send(target.address(), pushPull);
        }
        if (seed != null && (target == null || !seed.equals(target.address()))) {
            out.send(seed, pushPull);
        }
    }
}
