package io.corrosion.gossip.membership;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.RandomPicks;
import io.corrosion.gossip.wire.PushPull;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The seeds, and when to knock on them: every seed at start; again while the node has no live peer (not joined yet,
 * or everyone else gone), backing off from {@code joinRetryInitial} to {@code joinRetryMax}; and, once it has live
 * peers, one seed that is not a live member now and then ({@link #notLive}), which heals what reconnecting to dead
 * members cannot (a partition longer than the dead retention, a seed back after its goodbye).
 */
final class Seeds {
    private final List<NodeAddress> addresses;
    private final GossipConfig config;
    private final RandomGenerator random;
    private long retryAt = Long.MAX_VALUE;
    private long backoff;

    /** {@code seeds} without this node's own address. */
    Seeds(GossipConfig config, NodeAddress self, List<NodeAddress> seeds, RandomGenerator random) {
        this.addresses = seeds.stream().filter(a -> !a.equals(self)).distinct().toList();
        this.config = config;
        this.random = random;
        this.backoff = config.joinRetryInitial().toMillis();
    }

    boolean isEmpty() {
        return addresses.isEmpty();
    }

    /** Sends {@code pushPull} to every seed; unless a peer answers, knocks again after the backoff, which doubles. */
    void join(long now, PushPull pushPull, MembershipOutput out) {
        for (NodeAddress seed : addresses) {
            out.send(seed, pushPull);
        }
        retryAt = now + RandomPicks.jitter(backoff, 0.25, random);
        backoff = Math.min(backoff * 2, config.joinRetryMax().toMillis());
    }

    /** Whether to join again now: alone and past the backoff. A node with live peers starts the backoff over. */
    boolean rejoinDue(boolean alone, long now) {
        if (!alone) {
            backoff = config.joinRetryInitial().toMillis();
            retryAt = Long.MAX_VALUE;
            return false;
        }
        if (addresses.isEmpty()) {
            return false;
        }
        if (retryAt == Long.MAX_VALUE) {
            retryAt = now + RandomPicks.jitter(backoff, 0.25, random);
            return false;
        }
        return now >= retryAt;
    }

    /** When a node that is alone knocks again. */
    long nextRetry() {
        return addresses.isEmpty() ? Long.MAX_VALUE : retryAt;
    }

    /** A random seed whose address is not in {@code live}; null if there is none. */
    NodeAddress notLive(Set<NodeAddress> live) {
        return RandomPicks.one(addresses, live::contains, random);
    }
}
