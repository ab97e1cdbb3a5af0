package io.corrosion.gossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.Ack;
import io.corrosion.gossip.wire.Gossip;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.Ping;
import io.corrosion.gossip.wire.PushPull;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Memberlist's rule: a cluster too small to give the wanted confirmations does not wait for them. */
class SmallClusterSuspicionTest {

    private final GossipConfig config = GossipConfig.defaults();

    private static Member member(int i) {
        return new Member(new SiteId(0, i), new NodeAddress("10.0.0." + i, 7400), 1);
    }

    /**
     * Milliseconds from one peer's suspicion of another until we declare it dead, in a cluster of {@code size}
     * members where nobody else confirms (every ping of ours is answered).
     */
    private long unconfirmedSuspicionToDeath(int size) {
        Recorder out = new Recorder();
        Membership membership = new Membership(config, member(0), List.of(), new SplittableRandom(7));
        long now = 1_000;
        membership.start(now, out);
        List<Member> peers = new ArrayList<>();
        for (int i = 1; i < size; i++) {
            peers.add(member(i));
        }
        membership.onMessage(new PushPull(peers.get(0), true, peers.stream()
                .map(p -> new MemberUpdate(MemberStatus.ALIVE, p, p.siteId())).toList()), now, out);
        Member accuser = peers.get(0);
        Member accused = peers.get(peers.size() - 1);
        membership.onMessage(new Gossip(accuser, List.of(new MemberUpdate(MemberStatus.SUSPECT, accused,
                accuser.siteId()))), now, out);
        long start = now;
        assertThat(membership.status(accused.siteId())).isEqualTo(MemberStatus.SUSPECT);
        while (membership.status(accused.siteId()) == MemberStatus.SUSPECT) {
            now = membership.nextTimeout();
            membership.onTimeout(now, out);
            for (Ping p : out.sent(Ping.class)) {
                Member target = peers.stream().filter(m -> m.siteId().equals(p.target())).findFirst().orElseThrow();
                membership.onMessage(new Ack(target, p.seq(), List.of()), now, out);
            }
            out.clear();
        }
        assertThat(membership.status(accused.siteId())).isEqualTo(MemberStatus.DEAD);
        return now - start;
    }

    @Test
    void threeNodeClusterDeclaresAnUnconfirmedSuspectDeadAfterTheMinimumTimeout() {
        // Only one other member could confirm, fewer than the two wanted: no waiting for them.
        assertThat(unconfirmedSuspicionToDeath(3)).isBetween(config.suspicionMinMillis(3) - 1,
                config.suspicionMinMillis(3) + 1);
    }

    @Test
    void fourNodeClusterStillWaitsTheMaximumForConfirmations() {
        // Two members besides us and the accused can give the two confirmations wanted.
        assertThat(unconfirmedSuspicionToDeath(4)).isBetween(config.suspicionMaxMillis(4) - 1,
                config.suspicionMaxMillis(4) + 1);
    }

    @Test
    void confirmationsWantedAreMultiplierMinusTwoUnlessTheClusterIsTooSmall() {
        assertThat(Suspicion.confirmationsWanted(4, 2)).isZero();
        assertThat(Suspicion.confirmationsWanted(4, 3)).isZero();
        assertThat(Suspicion.confirmationsWanted(4, 4)).isEqualTo(2);
        assertThat(Suspicion.confirmationsWanted(4, 100)).isEqualTo(2);
        assertThat(Suspicion.confirmationsWanted(6, 5)).isZero();
        assertThat(Suspicion.confirmationsWanted(6, 6)).isEqualTo(4);
    }
}
