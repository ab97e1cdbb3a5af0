package io.corrosion.gossip.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.BroadcastMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BroadcasterTest {

    private final SiteId self = new SiteId(0, 0);
    private final List<Member> peers = new ArrayList<>();
    private final List<NodeAddress> sentTo = new ArrayList<>();
    private final List<BroadcastMessage> sent = new ArrayList<>();
    private final List<Changeset> delivered = new ArrayList<>();
    private final List<Integer> hops = new ArrayList<>();
    private final BroadcastOutput out = new BroadcastOutput() {
        @Override
        public void send(NodeAddress to, BroadcastMessage message) {
            sentTo.add(to);
            sent.add(message);
        }

        @Override
        public void deliver(Changeset changeset, int h) {
            delivered.add(changeset);
            hops.add(h);
        }
    };

    BroadcasterTest() {
        for (int i = 1; i <= 30; i++) {
            peers.add(new Member(new SiteId(0, i), new NodeAddress("10.0.0." + i, 7400), 1));
        }
    }

    private Broadcaster broadcaster(GossipConfig config) {
        return new Broadcaster(config, self, () -> peers, new SplittableRandom(3));
    }

    private static Changeset.Full changeset(SiteId site, long version) {
        return Changeset.Full.complete(site, version, 0, 0, new byte[] {(byte) version});
    }

    @Test
    void aLocalChangesetGoesToFanoutDistinctMembersInEachRound() {
        GossipConfig config = GossipConfig.defaults();
        Broadcaster b = broadcaster(config);
        b.broadcastLocal(changeset(self, 1), 0, out);
        assertThat(sentTo).hasSize(8).doesNotHaveDuplicates();
        assertThat(sent).allSatisfy(m -> assertThat(m.hops()).isZero());
        assertThat(b.nextTimeout()).isEqualTo(config.broadcastRetransmitDelay().toMillis());
        b.onTimeout(b.nextTimeout(), out);
        assertThat(sentTo).hasSize(16).doesNotHaveDuplicates();
        assertThat(b.nextTimeout()).isEqualTo(Long.MAX_VALUE);
        assertThat(delivered).isEmpty();
    }

    @Test
    void aReceivedChangesetIsDeliveredOnceAndForwardedAwayFromSenderAndOrigin() {
        Broadcaster b = broadcaster(GossipConfig.defaults());
        SiteId origin = peers.get(0).siteId();
        SiteId sender = peers.get(1).siteId();
        BroadcastMessage m = new BroadcastMessage(sender, 2, changeset(origin, 5));
        b.onMessage(m, 0, out);
        b.onMessage(m, 1, out);
        b.onMessage(new BroadcastMessage(peers.get(5).siteId(), 0, changeset(origin, 5)), 2, out);
        assertThat(delivered).containsExactly(m.changeset());
        assertThat(hops).containsExactly(3);
        assertThat(sent).as("nothing forwarded before the store took it").isEmpty();
        b.stored(m.changeset().id(), true, 3, out);
        assertThat(sent).hasSize(8).allSatisfy(f -> {
            assertThat(f.hops()).isEqualTo(3);
            assertThat(f.sender()).isEqualTo(self);
        });
        assertThat(sentTo).doesNotContain(peers.get(0).address(), peers.get(1).address());
        assertThat(b.stats().duplicates()).isEqualTo(2);
    }

    @Test
    void forwardingStopsAtTheHopLimit() {
        GossipConfig config = GossipConfig.builder().maxHops(4).build();
        Broadcaster b = broadcaster(config);
        b.onMessage(new BroadcastMessage(peers.get(1).siteId(), 3, changeset(peers.get(0).siteId(), 1)), 0, out);
        assertThat(delivered).hasSize(1);
        assertThat(sent).isEmpty();
        assertThat(b.stats().hopLimited()).isEqualTo(1);
    }

    /** The wire lets any hop count up to Integer.MAX_VALUE through: one more must not overflow into a negative. */
    @Test
    void theLargestHopCountIsHopLimitedAndTheRestOfTheBatchStillComes() {
        Broadcaster b = broadcaster(GossipConfig.defaults());
        SiteId origin = peers.get(0).siteId();
        List<BroadcastMessage> batch = List.of(
                new BroadcastMessage(peers.get(1).siteId(), Integer.MAX_VALUE, changeset(origin, 1)),
                new BroadcastMessage(peers.get(1).siteId(), 1, changeset(origin, 2)));
        for (BroadcastMessage m : batch) { // as GossipCore takes a BroadcastBatch
            b.onMessage(m, 0, out);
        }
        assertThat(delivered).hasSize(2);
        assertThat(b.stats().hopLimited()).isEqualTo(1);
    }

    @Test
    void ourOwnChangesetsComingBackAreIgnored() {
        Broadcaster b = broadcaster(GossipConfig.defaults());
        b.onMessage(new BroadcastMessage(peers.get(1).siteId(), 1, changeset(self, 1)), 0, out);
        assertThat(delivered).isEmpty();
        assertThat(sent).isEmpty();
        assertThat(b.stats().ownEchoes()).isEqualTo(1);
    }

    @Test
    void theDedupeSetIsBoundedAndForgottenIdsAreTakenAgain() {
        GossipConfig config = GossipConfig.builder().seenCacheSize(10).build();
        Broadcaster b = broadcaster(config);
        SiteId origin = peers.get(0).siteId();
        for (int v = 1; v <= 20; v++) {
            b.onMessage(new BroadcastMessage(origin, 0, changeset(origin, v)), 0, out);
        }
        assertThat(b.stats().seen()).isEqualTo(10);
        // Version 1 fell out: a late copy is delivered again (the store will call it a duplicate).
        b.onMessage(new BroadcastMessage(origin, 0, changeset(origin, 1)), 0, out);
        assertThat(delivered).hasSize(21);
        // Version 20 is still remembered.
        b.onMessage(new BroadcastMessage(origin, 0, changeset(origin, 20)), 0, out);
        assertThat(delivered).hasSize(21);
        b.forget(changeset(origin, 20).id());
        b.onMessage(new BroadcastMessage(origin, 0, changeset(origin, 20)), 0, out);
        assertThat(delivered).hasSize(22);
    }

    @Test
    void theRetransmissionQueueIsBoundedByDroppingTheMostSent() {
        GossipConfig config = GossipConfig.builder().broadcastQueueMax(5).broadcastTransmissions(3).build();
        Broadcaster b = broadcaster(config);
        for (int v = 1; v <= 12; v++) {
            b.broadcastLocal(changeset(self, v), v, out);
        }
        assertThat(b.stats().queued()).isEqualTo(5);
        assertThat(b.stats().queueDropped()).isEqualTo(7);
    }

    @Test
    void withFewPeersEveryoneIsReachedAndNobodyTwice() {
        peers.subList(5, peers.size()).clear();
        Broadcaster b = broadcaster(GossipConfig.defaults());
        b.broadcastLocal(changeset(self, 1), 0, out);
        b.onTimeout(1_000, out);
        Set<NodeAddress> all = new HashSet<>(sentTo);
        assertThat(sentTo).hasSize(5);
        assertThat(all).hasSize(5);
    }

    @Test
    void aLocalBroadcastMustCarryOurSiteId() {
        Broadcaster b = broadcaster(GossipConfig.defaults());
        assertThatThrownBy(() -> b.broadcastLocal(changeset(peers.get(0).siteId(), 1), 0, out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inAClusterNoLargerThanTheFanoutWhatComesFromTheOriginIsNotForwarded() {
        List<Member> few = peers.subList(0, 5);
        Broadcaster b = new Broadcaster(GossipConfig.defaults(), self, () -> few, new SplittableRandom(3));
        SiteId origin = few.get(0).siteId();

        b.onMessage(new BroadcastMessage(origin, 0, changeset(origin, 1)), 0, out);
        assertThat(delivered).hasSize(1);
        assertThat(sent).as("the origin reached everyone already").isEmpty();
        assertThat(b.stats().originCovered()).isEqualTo(1);

        // Forwarded by someone else: the origin may not have reached everyone, so pass it on.
        b.onMessage(new BroadcastMessage(few.get(1).siteId(), 1, changeset(origin, 2)), 0, out);
        b.stored(changeset(origin, 2).id(), true, 0, out);
        assertThat(sent).as("five peers but sender and origin").hasSize(3)
                .allSatisfy(m -> assertThat(m.hops()).isEqualTo(2));
    }

    @Test
    void aChangesetTheStoreRejectsIsNeverForwardedNorTakenAgain() {
        Broadcaster b = broadcaster(GossipConfig.defaults());
        SiteId origin = peers.get(0).siteId();
        Changeset poison = changeset(origin, 9);
        b.onMessage(new BroadcastMessage(peers.get(1).siteId(), 1, poison), 0, out);
        assertThat(delivered).containsExactly(poison);
        b.stored(poison.id(), false, 1, out);
        b.onTimeout(10_000, out);
        assertThat(sent).isEmpty();
        assertThat(b.nextTimeout()).isEqualTo(Long.MAX_VALUE);
        b.onMessage(new BroadcastMessage(peers.get(2).siteId(), 1, poison), 2, out);
        assertThat(delivered).as("later copies stop at the dedupe").hasSize(1);
        assertThat(sent).isEmpty();
    }

    @Test
    void aChangesetDroppedBeforeTheStoreIsNotForwardedAndMayComeAgain() {
        Broadcaster b = broadcaster(GossipConfig.defaults());
        SiteId origin = peers.get(0).siteId();
        Changeset cs = changeset(origin, 4);
        b.onMessage(new BroadcastMessage(peers.get(1).siteId(), 1, cs), 0, out);
        b.forget(cs.id());
        b.stored(cs.id(), true, 1, out);
        assertThat(sent).isEmpty();
        b.onMessage(new BroadcastMessage(peers.get(2).siteId(), 1, cs), 2, out);
        assertThat(delivered).hasSize(2);
        b.stored(cs.id(), true, 3, out);
        assertThat(sent).hasSize(8);
    }
}
