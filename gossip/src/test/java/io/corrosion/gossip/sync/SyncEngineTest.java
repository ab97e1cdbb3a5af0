package io.corrosion.gossip.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncChangesets;
import io.corrosion.gossip.wire.SyncMessage;
import io.corrosion.gossip.wire.SyncReject;
import io.corrosion.gossip.wire.SyncRequest;
import io.corrosion.gossip.wire.SyncStart;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two sync engines wired back to back, their store requests answered at once from in-memory stores. */
class SyncEngineTest {

    private final GossipConfig config = GossipConfig.builder().syncBatchBytes(2_000).build();

    private final class Side implements SyncOutput {
        final Member member;
        final List<Member> peers;
        final InMemoryChangesetStore store;
        final SyncEngine engine;
        Side peer;
        final List<SyncMessage> sent = new ArrayList<>();
        final List<Boolean> cleanCloses = new ArrayList<>();
        final List<String> ownSiteBehind = new ArrayList<>();
        int received;
        /** Drops what sync brings instead of storing it (a receiver whose apply queue overflowed). */
        boolean dropsReceived;

        Side(int i, List<Member> peers, GossipConfig sideConfig) {
            member = new Member(new SiteId(0, i), new NodeAddress("10.0.0." + i, 7400), 1);
            this.peers = peers;
            store = new InMemoryChangesetStore(member.siteId());
            engine = new SyncEngine(sideConfig, () -> member, () -> peers, new SplittableRandom(i));
        }

        @Override
        public void send(NodeAddress to, SyncMessage message) {
            sent.add(message);
            wire.add(() -> peer.engine.onMessage(message, 0, peer));
        }

        @Override
        public void requestState(SessionKey session) {
            wire.add(() -> engine.onLocalState(session, store.syncState(), 0, this));
        }

        @Override
        public void requestRead(SessionKey session, List<SyncNeed> needs, int maxBytes) {
            wire.add(() -> engine.onReadResult(session, store.read(needs, maxBytes), 0, this));
        }

        @Override
        public void received(List<Changeset> changesets) {
            received += changesets.size();
            if (!dropsReceived) {
                store.apply(changesets);
            }
        }

        @Override
        public void sessionClosed(NodeAddress peerAddress, SessionKey session, boolean clean) {
            cleanCloses.add(clean);
        }

        @Override
        public void ownSiteBehind(NodeAddress peerAddress, long theirHead, long ourHead) {
            ownSiteBehind.add(peerAddress.host() + " " + theirHead + " > " + ourHead);
        }
    }

    private final ArrayDeque<Runnable> wire = new ArrayDeque<>();

    private void drain() {
        while (!wire.isEmpty()) {
            wire.poll().run();
        }
    }

    private Side[] pair() {
        return pair(config);
    }

    private Side[] pair(GossipConfig sideConfig) {
        List<Member> aPeers = new ArrayList<>();
        List<Member> bPeers = new ArrayList<>();
        Side a = new Side(1, aPeers, sideConfig);
        Side b = new Side(2, bPeers, sideConfig);
        aPeers.add(b.member);
        bPeers.add(a.member);
        a.peer = b;
        b.peer = a;
        return new Side[] {a, b};
    }

    @Test
    void aSessionStreamsWhatEachSideLacksInBoundedBatches() {
        Side[] s = pair();
        Side a = s[0];
        Side b = s[1];
        for (int i = 0; i < 20; i++) {
            a.store.commitLocal(new byte[500], 300, 0);
            b.store.commitLocal(new byte[100], 300, 0);
        }
        a.store.supersede(a.member.siteId(), 7);
        a.engine.start(0);
        a.engine.onTimeout(config.syncInterval().toMillis() * 2, a);
        drain();
        assertThat(a.store.hasAllUpTo(b.member.siteId(), 20)).isTrue();
        assertThat(b.store.hasAllUpTo(a.member.siteId(), 20)).isTrue();
        assertThat(a.cleanCloses).containsExactly(true);
        assertThat(b.cleanCloses).containsExactly(true);
        assertThat(a.engine.stats().completed()).isEqualTo(1);
        assertThat(b.engine.stats().completed()).isEqualTo(1);
        // a's 40 chunks went in several batches, none much above the batch size.
        List<SyncChangesets> batches = a.sent.stream().filter(m -> m instanceof SyncChangesets)
                .map(m -> (SyncChangesets) m).toList();
        assertThat(batches.size()).isGreaterThanOrEqualTo(4);
        assertThat(batches).allSatisfy(batch -> assertThat(batch.changesets().stream()
                .mapToInt(WireCodec::changesetSize).sum()).isLessThan(config.syncBatchBytes() + 400));
        assertThat(batches).flatExtracting(SyncChangesets::changesets)
                .anySatisfy(c -> assertThat(c).isInstanceOf(Changeset.Empty.class));
        // Nothing left to do: a second session moves no changesets.
        a.sent.clear();
        a.engine.onTimeout(config.syncInterval().toMillis() * 4, a);
        drain();
        assertThat(a.sent).noneMatch(m -> m instanceof SyncChangesets);
    }

    /**
     * A node whose file was restored from a backup (or copied) has fewer versions of its own site than its peers
     * hold: it commits new versions under numbers the cluster has, which peers drop. Its syncs report it.
     */
    @Test
    void aPeerHoldingMoreOfOurOwnSiteThanWeHaveIsReported() {
        Side[] s = pair();
        Side a = s[0];
        Side b = s[1];
        for (int i = 0; i < 10; i++) {
            b.store.apply(List.copyOf(a.store.commitLocal(new byte[50], 300, 0)));
        }
        a.engine.start(0);
        b.engine.start(0);
        a.engine.onTimeout(config.syncInterval().toMillis() * 2, a);
        b.engine.onTimeout(config.syncInterval().toMillis() * 2, b);
        drain();
        assertThat(a.ownSiteBehind).isEmpty();
        assertThat(b.ownSiteBehind).isEmpty();

        // a restarts from a backup taken at its 5th version: same site id, 5 versions
        List<Member> restoredPeers = new ArrayList<>(List.of(b.member));
        Side restored = new Side(1, restoredPeers, config);
        restored.peer = b;
        b.peer = restored;
        for (int i = 0; i < 5; i++) {
            restored.store.commitLocal(new byte[50], 300, 0);
        }
        b.engine.onTimeout(config.syncInterval().toMillis() * 4, b); // b asks; restored answers and sees it
        drain();
        assertThat(restored.ownSiteBehind).containsExactly("10.0.0.2 10 > 5");
        assertThat(restored.engine.stats().ownSiteBehind()).isEqualTo(1);
        assertThat(b.ownSiteBehind).isEmpty();
    }

    /**
     * As the initiator, our state is read before the peer's: versions we broadcast in between are in the peer's
     * state and not in ours. That is no sign of a restored file and is not reported.
     */
    @Test
    void versionsBroadcastWhileOurStateWasInFlightAreNotReported() {
        Side[] s = pair();
        Side a = s[0];
        Side b = s[1];
        for (int i = 0; i < 3; i++) {
            b.store.apply(List.copyOf(a.store.commitLocal(new byte[50], 300, 0)));
        }
        a.engine.start(0);
        a.engine.onTimeout(config.syncInterval().toMillis() * 2, a);
        wire.poll().run(); // a reads its state (head 3) and sends it in its SyncStart
        for (int i = 0; i < 4; i++) {
            b.store.apply(List.copyOf(a.store.commitLocal(new byte[50], 300, 0))); // broadcast meanwhile
        }
        drain();
        assertThat(a.cleanCloses).containsExactly(true);
        assertThat(a.ownSiteBehind).isEmpty();
        assertThat(a.engine.stats().ownSiteBehind()).isZero();
    }

    @Test
    void aBusyResponderRefusesAndClosesTheRefusedStream() {
        Side[] s = pair();
        Side b = s[1];
        for (int i = 0; i < config.maxInboundSyncs() + 1; i++) {
            b.engine.onMessage(new SyncStart(new SessionKey(new SiteId(9, i), i), s[0].member,
                    s[0].store.syncState()), 0, b);
        }
        assertThat(b.sent).filteredOn(m -> m instanceof SyncReject).hasSize(1);
        assertThat(b.engine.stats().open()).isEqualTo(config.maxInboundSyncs());
        assertThat(b.cleanCloses).as("the refused session's stream is finished").containsExactly(true);
    }

    @Test
    void aSessionWithoutProgressTimesOut() {
        Side[] s = pair();
        Side a = s[0];
        a.engine.start(0);
        long t = config.syncInterval().toMillis() * 2;
        a.engine.onTimeout(t, a);
        wire.clear(); // the store never answers, the peer never hears
        assertThat(a.engine.stats().open()).isEqualTo(1);
        a.engine.onTimeout(t + config.syncSessionTimeout().toMillis(), a);
        assertThat(a.engine.stats().timedOut()).isEqualTo(1);
        assertThat(a.cleanCloses).as("a timed-out session's stream is aborted").containsExactly(false);
    }

    @Test
    void aNodeThatNeverSyncedStartsAsSoonAsItKnowsAPeer() {
        Side[] s = pair();
        Side a = s[0];
        a.engine.start(0);
        assertThat(a.engine.nextTimeout()).isGreaterThanOrEqualTo(config.syncInterval().toMillis());

        a.engine.onTimeout(1, a);

        assertThat(a.engine.stats().started()).isEqualTo(1);
        drain();
        // Later sessions keep to the interval.
        a.engine.onTimeout(2, a);
        assertThat(a.engine.stats().started()).isEqualTo(1);
    }

    @Test
    void aSessionCutShortAtItsByteBudgetIsFollowedAtOnce() {
        GossipConfig small = GossipConfig.builder().syncBatchBytes(1_000).syncMaxBytesPerSession(3_000).build();
        Side[] s = pair(small);
        Side a = s[0];
        Side b = s[1];
        for (int i = 0; i < 20; i++) {
            b.store.commitLocal(new byte[500], 1_000, 0);
        }
        a.engine.start(0);
        a.engine.onTimeout(1, a);
        drain();
        assertThat(a.store.hasAllUpTo(b.member.siteId(), 20)).as("one session carries 3 kB of 10 kB").isFalse();
        assertThat(a.engine.nextTimeout()).as("the next session is due at once").isLessThanOrEqualTo(1);

        for (long t = 2; t < 20 && !a.store.hasAllUpTo(b.member.siteId(), 20); t++) {
            a.engine.onTimeout(t, a);
            drain();
        }
        assertThat(a.store.hasAllUpTo(b.member.siteId(), 20)).isTrue();
    }

    /** When both sides of a {@link #startedPairWhereBHas} pair are due to open a session. */
    private final long syncDue = config.syncInterval().toMillis() * 2;

    /** A pair whose b committed {@code versions} versions a lacks, both engines started at 0. */
    private Side[] startedPairWhereBHas(int versions) {
        Side[] s = pair();
        for (int i = 0; i < versions; i++) {
            s[1].store.commitLocal(new byte[300], 300, 0);
        }
        s[0].engine.start(0);
        s[1].engine.start(0);
        return s;
    }

    @Test
    void twoSessionsAtOnceDoNotBothCarryWhatANodeLacks() {
        Side[] s = startedPairWhereBHas(20);
        Side a = s[0];
        Side b = s[1];
        // Both open a session before either has heard of the other's: a asks b in both.
        long t = syncDue;
        a.engine.onTimeout(t, a);
        b.engine.onTimeout(t, b);
        drain();

        assertThat(a.store.hasAllUpTo(b.member.siteId(), 20)).isTrue();
        assertThat(a.received).as("each of b's versions crossed once").isEqualTo(20);
        assertThat(a.engine.stats().completed()).isEqualTo(2);
        assertThat(b.engine.stats().changesetsSent()).isEqualTo(20);
    }

    @Test
    void whatASessionAskedForIsAskedAgainOnceItEndsUnserved() {
        Side[] s = startedPairWhereBHas(5);
        Side a = s[0];
        Side b = s[1];
        long t = syncDue;
        a.engine.onTimeout(t, a);
        while (!wire.isEmpty() && a.sent.stream().noneMatch(m -> m instanceof SyncRequest r && !r.needs().isEmpty())) {
            wire.poll().run();
        }
        wire.clear(); // a asked b for the five versions; b never answers that session

        b.engine.onTimeout(t, b);
        drain();
        assertThat(a.received).as("asked of b in the open session: not asked again in b's").isZero();
        assertThat(b.engine.stats().completed()).isEqualTo(1);

        long later = t + config.syncSessionTimeout().toMillis();
        a.engine.onTimeout(later, a); // the unserved session times out, and the next one starts
        drain();
        assertThat(a.engine.stats().timedOut()).isEqualTo(1);
        assertThat(a.store.hasAllUpTo(b.member.siteId(), 5)).isTrue();
        assertThat(a.received).isEqualTo(5);
    }

    /**
     * A node about to leave hands its own versions over: the peer's answer says it lacks them, asks for them and is
     * served; the next round's answer says it holds them all. The leaving node asks for nothing meanwhile.
     */
    @Test
    void aLeavingNodeHandsItsVersionsOverUntilAPeerAnswersItHoldsThemAll() {
        Side[] s = pair();
        Side a = s[0];
        Side b = s[1];
        for (int i = 0; i < 20; i++) {
            a.store.commitLocal(new byte[100], 300, 0);
        }
        b.store.commitLocal(new byte[100], 300, 0);

        assertThat(a.engine.handOver(0, a)).isTrue();
        drain();

        assertThat(b.store.hasAllUpTo(a.member.siteId(), 20)).isTrue();
        assertThat(a.engine.handedOver()).as("the first answer was given before the versions came").isFalse();
        assertThat(a.engine.handoverProgress()).endsWith("lacked 20 versions");
        assertThat(a.engine.nextTimeout()).isEqualTo(SyncEngine.HANDOVER_ROUND_MILLIS);

        a.engine.onTimeout(SyncEngine.HANDOVER_ROUND_MILLIS, a);
        drain();

        assertThat(a.engine.handedOver()).isTrue();
        assertThat(a.received).as("a leaving node asks for nothing").isZero();
        assertThat(a.engine.stats().open()).isZero();
        a.engine.onTimeout(10 * SyncEngine.HANDOVER_ROUND_MILLIS, a);
        assertThat(a.engine.stats().started()).as("no round after the handover").isEqualTo(2);
    }

    @Test
    void aPeerThatHoldsEveryVersionAlreadyEndsTheHandoverInOneRound() {
        Side[] s = pair();
        Side a = s[0];
        Side b = s[1];
        for (int i = 0; i < 5; i++) {
            a.store.commitLocal(new byte[100], 300, 0);
        }
        b.store.apply(a.store.read(List.of(new SyncNeed.Full(a.member.siteId(), new LongRange(1, 5))),
                1 << 20).changesets());

        a.engine.handOver(0, a);
        drain();

        assertThat(a.engine.handedOver()).isTrue();
        assertThat(a.engine.stats().started()).isEqualTo(1);
    }

    /** Served versions the peer does not store (its queue overflowed) are asked for, and served, again. */
    @Test
    void aHandoverGoesOnWhileThePeerStillLacksVersions() {
        Side[] s = pair();
        Side a = s[0];
        Side b = s[1];
        for (int i = 0; i < 3; i++) {
            a.store.commitLocal(new byte[100], 300, 0);
        }
        b.dropsReceived = true;

        a.engine.handOver(0, a);
        drain();
        a.engine.onTimeout(SyncEngine.HANDOVER_ROUND_MILLIS, a);
        drain();

        assertThat(a.engine.handedOver()).isFalse();
        assertThat(a.engine.handoverProgress()).endsWith("lacked 3 versions");
        assertThat(b.received).as("served in both rounds").isEqualTo(6);

        b.dropsReceived = false;
        a.engine.onTimeout(2 * SyncEngine.HANDOVER_ROUND_MILLIS, a);
        drain();
        a.engine.onTimeout(3 * SyncEngine.HANDOVER_ROUND_MILLIS, a);
        drain();
        assertThat(a.engine.handedOver()).isTrue();
    }

    @Test
    void aNodeWithNoLivePeerHasNobodyToHandOverTo() {
        Side a = new Side(1, List.of(), config);
        a.store.commitLocal(new byte[100], 300, 0);

        assertThat(a.engine.handOver(0, a)).isFalse();
        assertThat(a.engine.stats().started()).isZero();
        assertThat(a.engine.handoverProgress()).isEqualTo("no peer answered");
    }

    /** The peer asked leaves (or dies) before it answers, and no other member is alive: the handover is abandoned. */
    @Test
    void aHandoverWhosePeersAllLeftIsAbandoned() {
        Side[] s = pair();
        Side a = s[0];
        a.store.commitLocal(new byte[100], 300, 0);
        a.engine.handOver(0, a);
        wire.clear(); // the peer never answers
        a.peers.clear(); // and is seen to leave

        a.engine.onTimeout(1, a);

        assertThat(a.engine.handoverAbandoned()).isTrue();
        assertThat(a.engine.handedOver()).isFalse();
        assertThat(a.cleanCloses).as("the unanswered session is aborted").containsExactly(false);
        assertThat(a.engine.stats().open()).isZero();
    }
}
