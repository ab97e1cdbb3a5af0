package io.corrosion.gossip.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.SyncState.SiteVersions;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Sync's liveness. Against a member that opens sessions and never finishes them: it keeps them going with empty
 * batches, or with changesets the victim has already, and claims versions it does not have, so that the victim asks it
 * for them; the victim must still get an honest peer's versions. And against versions the victim's store refuses,
 * more than a session carries: the versions after them must still come. Two engines on a fake clock and a scripted
 * member.
 */
class SyncLivenessTest {

    private final ArrayDeque<Runnable> wire = new ArrayDeque<>();
    private final Map<NodeAddress, Side> sides = new HashMap<>();
    private final List<SyncMessage> toHostile = new ArrayList<>();
    private final Member hostile = new Member(new SiteId(0, 3), new NodeAddress("10.0.0.3", 7400), 1);
    private long now;

    private final class Side implements SyncOutput {
        final Member member;
        final InMemoryChangesetStore store;
        final SyncEngine engine;
        final List<Member> peers = new ArrayList<>();
        /** The sync changesets messages this side sent. */
        final List<SyncMessage> framesSent = new ArrayList<>();
        /** What the store refuses (REJECTED, not booked), as GossipCore then tells the engine. */
        Predicate<Changeset> refuse = cs -> false;
        int rejectsReceived;

        Side(int i, GossipConfig config) {
            member = new Member(new SiteId(0, i), new NodeAddress("10.0.0." + i, 7400), 1);
            store = new InMemoryChangesetStore(member.siteId());
            engine = new SyncEngine(config, () -> member, () -> peers, new SplittableRandom(i));
            sides.put(member.address(), this);
        }

        /** Makes this side and {@code other} each the other's only peer; returns {@code other}. */
        Side peer(Side other) {
            peers.add(other.member);
            other.peers.add(member);
            return other;
        }

        @Override
        public void send(NodeAddress to, SyncMessage message) {
            if (message instanceof SyncChangesets) {
                framesSent.add(message);
            }
            if (to.equals(hostile.address())) {
                toHostile.add(message);
                return;
            }
            Side target = sides.get(to);
            wire.add(() -> {
                if (message instanceof SyncReject) {
                    target.rejectsReceived++;
                }
                target.engine.onMessage(message, now, target);
            });
        }

        @Override
        public void requestState(SessionKey session) {
            wire.add(() -> engine.onLocalState(session, store.syncState(), now, this));
        }

        @Override
        public void requestRead(SessionKey session, List<SyncNeed> needs, int maxBytes) {
            wire.add(() -> engine.onReadResult(session, store.read(needs, maxBytes), now, this));
        }

        @Override
        public void received(List<Changeset> changesets) {
            List<Changeset> taken = new ArrayList<>();
            for (Changeset cs : changesets) {
                if (refuse.test(cs)) {
                    engine.refused(cs, now);
                } else {
                    taken.add(cs);
                }
            }
            store.apply(taken);
        }

        @Override
        public void sessionClosed(NodeAddress peerAddress, SessionKey session, boolean clean) {
        }

        @Override
        public void ownSiteBehind(NodeAddress peerAddress, long theirHead, long ourHead) {
            throw new AssertionError("no restored file here: " + theirHead + " > " + ourHead);
        }
    }

    /** Steps both engines' timers a simulated second at a time, up to {@code until} or until {@code done}. */
    private void runUntil(Side v, Side p, long until, BooleanSupplier done) {
        for (now = Math.max(now, 1_000); now <= until && !done.getAsBoolean(); now += 1_000) {
            v.engine.onTimeout(now, v);
            p.engine.onTimeout(now, p);
            drain();
        }
    }

    private void drain() {
        while (!wire.isEmpty()) {
            wire.poll().run();
        }
    }

    /**
     * The scripted member opens {@code sessions} sessions to the victim, claiming a million versions of the honest
     * peer, and every 5 s sends each a batch ({@code keepAlive}), never {@code SyncDone}.
     */
    private void hostileSessions(int sessions, List<Changeset> keepAlive) {
        GossipConfig config = GossipConfig.builder().syncBatchBytes(2_000).build();
        Side v = new Side(1, config);
        Side p = v.peer(new Side(2, config));
        for (int i = 0; i < 10; i++) {
            p.store.commitLocal(new byte[200], 1_000, 0);
        }
        TreeMap<SiteId, SiteVersions> claim = new TreeMap<>();
        claim.put(p.member.siteId(), SiteVersions.complete(1_000_000));
        SyncState lie = new SyncState(hostile.siteId(), claim);
        List<SessionKey> keys = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            SessionKey key = new SessionKey(hostile.siteId(), 100 + i);
            keys.add(key);
            v.engine.onMessage(new SyncStart(key, hostile, lie), now, v);
        }
        drain();
        assertThat(toHostile).as("the victim asks the liar for the honest peer's versions")
                .anySatisfy(m -> assertThat(m).isInstanceOf(SyncRequest.class));
        v.engine.start(now);
        p.engine.start(now);
        long deadline = 600_000;
        for (now = 1_000; now <= deadline && !v.store.hasAllUpTo(p.member.siteId(), 10); now += 1_000) {
            if (now % 5_000 == 0) {
                for (SessionKey key : keys) {
                    v.engine.onMessage(new SyncChangesets(key, keepAlive), now, v);
                }
            }
            v.engine.onTimeout(now, v);
            p.engine.onTimeout(now, p);
            drain();
        }
        assertThat(v.store.hasAllUpTo(p.member.siteId(), 10))
                .as("the victim has the honest peer's versions after %d s of sync (%s)", deadline / 1000,
                        v.engine.stats()).isTrue();
        long longestLife = config.syncSessionTimeout().toMillis() * SyncEngine.MAX_SESSION_TIMEOUTS;
        assertThat(now).as("and got them once the liar's sessions ended").isLessThanOrEqualTo(longestLife + 5_000);
        assertThat(v.engine.stats().timedOut()).isEqualTo(sessions);
    }

    @Test
    void aSessionKeptGoingWithEmptyBatchesEndsAndTheVersionsComeFromAnHonestPeer() {
        hostileSessions(1, List.of());
    }

    @Test
    void sessionsFillingEveryInboundSlotEndAndTheHonestPeerIsServedAgain() {
        hostileSessions(GossipConfig.builder().build().maxInboundSyncs(), List.of());
    }

    @Test
    void aSessionKeptGoingWithChangesetsTheVictimHasEndsAtItsLongestLife() {
        InMemoryChangesetStore liar = new InMemoryChangesetStore(hostile.siteId());
        hostileSessions(1, List.of(liar.commitLocal(new byte[50], 1_000, 0).get(0)));
    }

    @Test
    void versionsTheStoreRefusesBeyondWhatASessionCarriesDoNotStarveTheOnesAfterThem() {
        GossipConfig config = GossipConfig.builder().syncBatchBytes(2_000).syncMaxBytesPerSession(20_000).build();
        Side v = new Side(1, config);
        Side p = v.peer(new Side(2, config));
        for (int i = 0; i < 60; i++) {
            p.store.commitLocal(new byte[1_000], 2_000, 0);
        }
        SiteId site = p.member.siteId();
        // Versions 1..30 are refused here (their table is missing and the bound of kept changes is reached, say):
        // 30 KB, more than a session carries.
        v.refuse = cs -> cs instanceof Changeset.Full f && f.version() <= 30;
        v.engine.start(now);
        p.engine.start(now);
        runUntil(v, p, 300_000, () -> v.store.contains(site, 60));
        List<Long> missing = new ArrayList<>();
        for (long version = 31; version <= 60; version++) {
            if (!v.store.contains(site, version)) {
                missing.add(version);
            }
        }
        assertThat(missing).as("versions after the refused ones, never sent (%s)", v.engine.stats()).isEmpty();

        v.refuse = cs -> false; // the schema arrived: the refused versions come once their back-off ends
        long until = now + RefusedVersions.BACKOFF_MILLIS + config.syncInterval().toMillis() * 3;
        runUntil(v, p, until, () -> v.store.hasAllUpTo(site, 60));
        assertThat(v.store.hasAllUpTo(site, 60)).isTrue();
    }

    /** A changeset no frame carries (one huge change) is left out; what was read with it still goes, in frames. */
    @Test
    void aChangesetTooBigForAFrameIsLeftOutAndTheRestOfItsBatchGoes() {
        GossipConfig config = GossipConfig.builder().maxFrameBytes(64 << 10).syncBatchBytes(16 << 10).build();
        Side v = new Side(1, config);
        Side p = v.peer(new Side(2, config));
        p.store.commitLocal(new byte[10_000], 10_000, 0);
        p.store.commitLocal(new byte[70_000], 70_000, 0); // version 2: one chunk, bigger than a frame
        p.store.commitLocal(new byte[10_000], 10_000, 0);
        p.store.commitLocal(new byte[50_000], 50_000, 0); // version 4: fits a frame, not with what precedes it
        SiteId site = p.member.siteId();
        v.engine.start(now);
        p.engine.start(now);
        WireCodec codec = new WireCodec(1 << 20); // large: encodes what comes, the test compares the sizes
        runUntil(v, p, 30_000, () -> false);
        assertThat(v.store.contains(site, 1) && v.store.contains(site, 3) && v.store.contains(site, 4))
                .as("the versions that fit a frame arrived (%s)", p.engine.stats()).isTrue();
        assertThat(v.store.contains(site, 2)).isFalse();
        assertThat(p.engine.stats().tooLarge()).isPositive();
        assertThat(p.framesSent).isNotEmpty().allSatisfy(m -> assertThat(codec.encode(m).length)
                .isLessThanOrEqualTo(config.maxFrameBytes()));
    }
}
