package io.corrosion.gossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.Ack;
import io.corrosion.gossip.wire.Gossip;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.Nack;
import io.corrosion.gossip.wire.Ping;
import io.corrosion.gossip.wire.PingReq;
import io.corrosion.gossip.wire.PushPull;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private final GossipConfig config = GossipConfig.defaults();
    private final SplittableRandom random = new SplittableRandom(7);
    private final Recorder out = new Recorder();
    private final List<Member> peers = new ArrayList<>();
    private Member me;
    private Membership membership;
    private long now = 1_000;

    @BeforeEach
    void setUp() {
        me = member(0, 10);
        for (int i = 1; i <= 5; i++) {
            peers.add(member(i, 1));
        }
        membership = new Membership(config, me, List.of(), random);
        membership.start(now, out);
        // Learn the peers from a push-pull.
        List<MemberUpdate> state = peers.stream().map(p -> new MemberUpdate(MemberStatus.ALIVE, p, p.siteId()))
                .toList();
        membership.onMessage(new PushPull(peers.get(0), true, state), now, out);
        out.clear();
    }

    private static Member member(int i, long incarnation) {
        return new Member(new SiteId(0, i), new NodeAddress("10.0.0." + i, 7400), incarnation);
    }

    private Member peer(int i) {
        return peers.get(i - 1);
    }

    /** Advances time, firing every due timeout, until {@code until}. */
    private void runTo(long until) {
        while (membership.nextTimeout() <= until) {
            now = Math.max(now, membership.nextTimeout());
            membership.onTimeout(now, out);
        }
        now = until;
    }

    /** Runs until the next ping is sent and returns it. */
    private Recorder.Sent nextPing() {
        for (int i = 0; i < 100; i++) {
            List<Recorder.Sent> pings = out.sentOf(Ping.class);
            if (!pings.isEmpty()) {
                return pings.get(0);
            }
            now = membership.nextTimeout();
            membership.onTimeout(now, out);
        }
        throw new AssertionError("no ping");
    }

    private Member memberAt(NodeAddress address) {
        return peers.stream().filter(p -> p.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void pushPullFromUnknownSenderAddsEveryoneAlive() {
        assertThat(membership.livePeers()).containsExactlyInAnyOrderElementsOf(peers);
    }

    @Test
    void joiningSendsOurStateToEverySeedAndAnswersWithOurs() {
        Recorder rec = new Recorder();
        Membership joiner = new Membership(config, member(9, 1), List.of(me.address(), peer(1).address()), random);
        joiner.start(0, rec);
        assertThat(rec.sentOf(PushPull.class)).extracting(Recorder.Sent::to)
                .containsExactlyInAnyOrder(me.address(), peer(1).address());
        PushPull join = rec.sent(PushPull.class).get(0);
        membership.onMessage(join, now, out);
        assertThat(membership.status(member(9, 1).siteId())).isEqualTo(MemberStatus.ALIVE);
        PushPull reply = out.sent(PushPull.class).get(0);
        assertThat(reply.reply()).isTrue();
        joiner.onMessage(reply, 10, rec);
        assertThat(joiner.livePeers()).hasSize(6);
    }

    @Test
    void seedsThatDoNotAnswerAreRetriedWithGrowingBackoff() {
        Recorder rec = new Recorder();
        Membership joiner = new Membership(config, member(9, 1), List.of(me.address()), random);
        long t = 0;
        joiner.start(t, rec);
        List<Long> attempts = new ArrayList<>(List.of(0L));
        while (attempts.size() < 6) {
            t = joiner.nextTimeout();
            int before = rec.sent(PushPull.class).size();
            joiner.onTimeout(t, rec);
            if (rec.sent(PushPull.class).size() > before) {
                attempts.add(t);
            }
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            gaps.add(attempts.get(i) - attempts.get(i - 1));
        }
        // 1 s, 2 s, 4 s, 8 s, 16 s (each up to 25 % jitter): the delay doubles.
        for (int i = 1; i < gaps.size(); i++) {
            assertThat(gaps.get(i)).isGreaterThan(gaps.get(i - 1) * 3 / 2);
        }
        assertThat(gaps.get(0)).isBetween(1000L, 1250L);
    }

    @Test
    void answeredProbeKeepsTargetAliveAndLowersAwareness() {
        // Raise awareness first by failing one probe with no helper answering.
        Recorder.Sent ping = nextPing();
        runTo(now + 1_000);
        assertThat(membership.awarenessScore()).isPositive();
        int raised = membership.awarenessScore();
        out.clear();
        ping = nextPing();
        Ping p = (Ping) ping.message();
        membership.onMessage(new Ack(memberAt(ping.to()), p.seq(), List.of()), now, out);
        assertThat(membership.awarenessScore()).isEqualTo(raised - 1);
        runTo(now + 600);
        assertThat(out.events(GossipEvent.MemberSuspected.class)).extracting(e -> e.member().address())
                .doesNotContain(ping.to());
    }

    @Test
    void unansweredProbeAsksKMembersAndRetriesDirectly() {
        Recorder.Sent ping = nextPing();
        long seq = ((Ping) ping.message()).seq();
        out.clear();
        runTo(now + config.probeTimeout().toMillis());
        List<Recorder.Sent> reqs = out.sentOf(PingReq.class);
        assertThat(reqs).hasSize(config.indirectProbes());
        assertThat(reqs).allSatisfy(r -> {
            assertThat(((PingReq) r.message()).seq()).isEqualTo(seq);
            assertThat(((PingReq) r.message()).target().address()).isEqualTo(ping.to());
            assertThat(r.to()).isNotEqualTo(ping.to());
        });
        assertThat(out.sentOf(Ping.class)).extracting(Recorder.Sent::to).containsExactly(ping.to());
    }

    @Test
    void indirectAckSavesTheTarget() {
        Recorder.Sent ping = nextPing();
        long seq = ((Ping) ping.message()).seq();
        runTo(now + config.probeTimeout().toMillis());
        Recorder.Sent req = out.sentOf(PingReq.class).get(0);
        membership.onMessage(new Ack(memberAt(req.to()), seq, List.of()), now, out);
        runTo(now + config.probeInterval().toMillis() - config.probeTimeout().toMillis());
        assertThat(membership.status(memberAt(ping.to()).siteId())).isEqualTo(MemberStatus.ALIVE);
        assertThat(out.events(GossipEvent.MemberSuspected.class)).extracting(e -> e.member().address())
                .doesNotContain(ping.to());
    }

    @Test
    void failedProbeSuspectsAndMissedNacksRaiseAwareness() {
        Recorder.Sent ping = nextPing();
        long seq = ((Ping) ping.message()).seq();
        runTo(now + config.probeTimeout().toMillis());
        List<Recorder.Sent> reqs = out.sentOf(PingReq.class);
        // One helper nacks: two nacks missed.
        membership.onMessage(new Nack(memberAt(reqs.get(0).to()), seq, List.of()), now, out);
        runTo(now + config.probeInterval().toMillis() - config.probeTimeout().toMillis());
        Member target = memberAt(ping.to());
        assertThat(membership.status(target.siteId())).isEqualTo(MemberStatus.SUSPECT);
        assertThat(out.events(GossipEvent.MemberSuspected.class)).extracting(GossipEvent.MemberSuspected::by)
                .containsExactly(me.siteId());
        assertThat(membership.awarenessScore()).isEqualTo(config.indirectProbes() - 1);
    }

    @Test
    void allNacksMeanTheTargetIsDownNotUs() {
        Recorder.Sent ping = nextPing();
        long seq = ((Ping) ping.message()).seq();
        runTo(now + config.probeTimeout().toMillis());
        for (Recorder.Sent req : out.sentOf(PingReq.class)) {
            membership.onMessage(new Nack(memberAt(req.to()), seq, List.of()), now, out);
        }
        runTo(now + config.probeInterval().toMillis());
        assertThat(membership.awarenessScore()).isZero();
        assertThat(membership.status(memberAt(ping.to()).siteId())).isEqualTo(MemberStatus.SUSPECT);
    }

    @Test
    void awarenessStretchesProbeTimeoutAndInterval() {
        // Alone with one peer, our failed probes' suspicion of it runs at the minimum timeout: make that long, so
        // the peer stays probed (and its deadline is not the next timeout) while we measure.
        GossipConfig longSuspicion = GossipConfig.builder().suspicionMultiplier(30).build();
        Membership slow = new Membership(longSuspicion, me, List.of(), new SplittableRandom(1));
        Recorder rec = new Recorder();
        slow.start(0, rec);
        slow.onMessage(new Gossip(peer(1), List.of()), 0, rec);
        // Fail probes with no helpers: +1 each.
        long t = 0;
        for (int i = 0; i < 50 && slow.awarenessScore() < 2; i++) {
            t = slow.nextTimeout();
            slow.onTimeout(t, rec);
        }
        int score = slow.awarenessScore();
        assertThat(score).isEqualTo(2);
        rec.clear();
        // The next probe's direct timeout is stretched by (score + 1).
        while (rec.sent(Ping.class).isEmpty()) {
            t = slow.nextTimeout();
            slow.onTimeout(t, rec);
        }
        long pingAt = t;
        long next = slow.nextTimeout();
        assertThat(next - pingAt).isEqualTo(config.probeTimeout().toMillis() * (score + 1));
    }

    @Test
    void suspicionExpiresIntoDeathAfterTheMaximumWithoutConfirmations() {
        Member x = peer(2);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.SUSPECT, x, peer(1).siteId()))),
                now, out);
        long start = now;
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.SUSPECT);
        int n = 6;
        // Nobody else confirms; keep our own probes away from x by acking everything.
        while (membership.status(x.siteId()) == MemberStatus.SUSPECT) {
            now = membership.nextTimeout();
            membership.onTimeout(now, out);
            for (Ping p : out.sent(Ping.class)) {
                // Everyone answers, x too: an ack is no refutation, and no failed probe of ours confirms.
                membership.onMessage(new Ack(peers.stream().filter(m -> m.siteId().equals(p.target()))
                        .findFirst().orElseThrow(), p.seq(), List.of()), now, out);
            }
            out.sent.clear();
        }
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.DEAD);
        assertThat(now - start).isBetween(config.suspicionMaxMillis(n) - 1, config.suspicionMaxMillis(n) + 1);
        assertThat(out.events(GossipEvent.MemberDown.class)).extracting(e -> e.member().siteId())
                .contains(x.siteId());
    }

    @Test
    void independentConfirmationsShortenTheSuspicionToTheMinimum() {
        Member x = peer(2);
        for (int i = 1; i <= 4; i++) {
            if (i == 2) {
                continue;
            }
            membership.onMessage(new Gossip(peer(i), List.of(new MemberUpdate(MemberStatus.SUSPECT, x,
                    peer(i).siteId()))), now, out);
        }
        long start = now;
        long k = config.suspicionMultiplier() - 2;
        assertThat(k).isEqualTo(2);
        while (membership.status(x.siteId()) == MemberStatus.SUSPECT) {
            now = membership.nextTimeout();
            membership.onTimeout(now, out);
        }
        assertThat(now - start).isLessThanOrEqualTo(config.suspicionMinMillis(6) + 1);
    }

    @Test
    void suspicionTimeoutFormulaShrinksLogarithmically() {
        long min = 4_000;
        long max = 24_000;
        assertThat(Suspicion.timeout(0, 2, min, max)).isEqualTo(max);
        assertThat(Suspicion.timeout(1, 2, min, max)).isStrictlyBetween(min, max);
        assertThat(Suspicion.timeout(2, 2, min, max)).isEqualTo(min);
        assertThat(Suspicion.timeout(9, 2, min, max)).isEqualTo(min);
    }

    @Test
    void suspicionAboutUsIsRefutedWithAHigherIncarnation() {
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.SUSPECT, me,
                peer(1).siteId()))), now, out);
        assertThat(membership.self().incarnation()).isEqualTo(me.incarnation() + 1);
        assertThat(membership.stats().refutations()).isEqualTo(1);
        assertThat(membership.awarenessScore()).isEqualTo(1);
        // The refutation travels piggybacked on our next message.
        runTo(now + config.gossipInterval().toMillis());
        assertThat(out.sent(Gossip.class)).flatExtracting(Gossip::updates)
                .contains(new MemberUpdate(MemberStatus.ALIVE, membership.self(), me.siteId()));
    }

    @Test
    void staleSuspicionOfUsIsIgnored() {
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.SUSPECT,
                me.withIncarnation(me.incarnation() - 1), peer(1).siteId()))), now, out);
        assertThat(membership.self().incarnation()).isEqualTo(me.incarnation());
    }

    @Test
    void aliveNeedsAHigherIncarnationToClearASuspicion() {
        Member x = peer(3);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.SUSPECT, x,
                peer(1).siteId()))), now, out);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.ALIVE, x, x.siteId()))),
                now, out);
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.SUSPECT);
        Member refuted = x.withIncarnation(x.incarnation() + 1);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.ALIVE, refuted,
                x.siteId()))), now, out);
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.ALIVE);
        assertThat(out.events(GossipEvent.MemberUp.class)).extracting(GossipEvent.MemberUp::member)
                .containsExactly(refuted);
    }

    @Test
    void deathAtALowerIncarnationIsIgnored() {
        Member x = peer(3).withIncarnation(5);
        membership.onMessage(new Gossip(x, List.of()), now, out);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.DEAD,
                x.withIncarnation(4), peer(1).siteId()))), now, out);
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.ALIVE);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.DEAD, x,
                peer(1).siteId()))), now, out);
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.DEAD);
        assertThat(membership.livePeers()).doesNotContain(x);
    }

    @Test
    void restartedNodeWithAHigherIncarnationComesBack() {
        Member x = peer(4);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.DEAD, x,
                peer(1).siteId()))), now, out);
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.DEAD);
        out.clear();
        Member restarted = x.withIncarnation(50_000);
        membership.onMessage(new PushPull(restarted, false, List.of()), now, out);
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.ALIVE);
        assertThat(out.events(GossipEvent.MemberUp.class)).extracting(GossipEvent.MemberUp::member)
                .containsExactly(restarted);
    }

    @Test
    void aMemberWeBuriedThatTalksAtItsOldIncarnationIsToldAndRefutes() {
        Member x = peer(4);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.DEAD, x,
                peer(1).siteId()))), now, out);
        out.clear();
        membership.onMessage(new Ping(x, 9, me.siteId(), List.of()), now, out);
        Recorder.Sent notice = out.sentOf(Gossip.class).get(0);
        assertThat(notice.to()).isEqualTo(x.address());

        // On x's side: hearing of its own death makes it refute.
        Recorder xOut = new Recorder();
        Membership xm = new Membership(config, x, List.of(), new SplittableRandom(3));
        xm.start(now, xOut);
        xm.onMessage(notice.message(), now, xOut);
        assertThat(xm.self().incarnation()).isEqualTo(x.incarnation() + 1);
    }

    @Test
    void pingReqIsRelayedAndTheAckForwarded() {
        Member requester = peer(1);
        Member target = peer(2);
        membership.onMessage(new PingReq(requester, 77, target, List.of()), now, out);
        Ping relayed = out.sent(Ping.class).get(0);
        assertThat(out.sentOf(Ping.class).get(0).to()).isEqualTo(target.address());
        out.clear();
        membership.onMessage(new Ack(target, relayed.seq(), List.of()), now, out);
        assertThat(out.sentOf(Ack.class)).singleElement().satisfies(s -> {
            assertThat(s.to()).isEqualTo(requester.address());
            assertThat(((Ack) s.message()).seq()).isEqualTo(77);
        });
    }

    @Test
    void pingReqWithoutAnAckIsNacked() {
        membership.onMessage(new PingReq(peer(1), 77, peer(2), List.of()), now, out);
        out.clear();
        runTo(now + config.probeTimeout().toMillis());
        assertThat(out.sentOf(Nack.class)).singleElement().satisfies(s -> {
            assertThat(s.to()).isEqualTo(peer(1).address());
            assertThat(((Nack) s.message()).seq()).isEqualTo(77);
        });
    }

    @Test
    void pingForSomeoneElseIsNotAnswered() {
        membership.onMessage(new Ping(peer(1), 3, peer(2).siteId(), List.of()), now, out);
        assertThat(out.sent(Ack.class)).isEmpty();
        assertThat(membership.stats().misdirectedPings()).isEqualTo(1);
        membership.onMessage(new Ping(peer(1), 4, me.siteId(), List.of()), now, out);
        assertThat(out.sent(Ack.class)).extracting(Ack::seq).containsExactly(4L);
    }

    @Test
    void piggybackFitsADatagramAndEachUpdateIsSentABoundedNumberOfTimes() {
        // Flood the queue with many members.
        List<MemberUpdate> many = new ArrayList<>();
        for (int i = 100; i < 400; i++) {
            Member m = member(i, 1);
            many.add(new MemberUpdate(MemberStatus.ALIVE, m, m.siteId()));
        }
        membership.onMessage(new PushPull(peer(1), true, many), now, out);
        out.clear();
        runTo(now + 60_000);
        WireCodec codec = new WireCodec(config.maxFrameBytes());
        java.util.Map<MemberUpdate, Integer> transmissions = new java.util.HashMap<>();
        for (Recorder.Sent s : out.sent) {
            if (s.message().channel() == io.corrosion.gossip.Channel.DATAGRAM) {
                assertThat(codec.encode(s.message()).length).isLessThanOrEqualTo(config.maxDatagramBytes());
                s.message().updates().forEach(u -> transmissions.merge(u, 1, Integer::sum));
            }
        }
        int limit = config.retransmitLimit(membership.livePeers().size() + 1);
        assertThat(transmissions).isNotEmpty();
        assertThat(transmissions.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(limit));
    }

    @Test
    void leavingTellsMembersAndTheyDoNotSuspect() {
        membership.leave(now, out);
        List<Gossip> byes = out.sent(Gossip.class);
        assertThat(byes).isNotEmpty();
        Recorder rec = new Recorder();
        Membership other = new Membership(config, peer(1), List.of(), new SplittableRandom(5));
        other.start(now, rec);
        other.onMessage(new Gossip(me, List.of()), now, rec);
        other.onMessage(byes.get(0), now, rec);
        assertThat(other.status(me.siteId())).isEqualTo(MemberStatus.LEFT);
        assertThat(rec.events(GossipEvent.MemberDown.class)).singleElement()
                .satisfies(e -> assertThat(e.left()).isTrue());
    }

    /**
     * A death at the highest incarnation that counts as an accusation: the accused outbids it, without an overflow, and
     * everyone takes the refutation. Above it, an accusation is ignored: the accused could not outbid it.
     */
    @Test
    void anAccusationAtAHugeIncarnationCanAlwaysBeRefuted() {
        Member x = peer(4);
        Member accusedAtTheTop = x.withIncarnation(Membership.MAX_ACCUSED);
        Gossip death = new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.DEAD, accusedAtTheTop,
                peer(1).siteId())));
        membership.onMessage(death, now, out);
        assertThat(membership.status(x.siteId())).isEqualTo(MemberStatus.DEAD);

        Recorder xOut = new Recorder();
        Membership xm = new Membership(config, x, List.of(), new SplittableRandom(3));
        xm.start(now, xOut);
        xm.onMessage(death, now, xOut);
        assertThat(xm.self().incarnation()).isEqualTo(Membership.MAX_ACCUSED + 1);
        membership.onMessage(new Ping(xm.self(), 1, me.siteId(), List.of()), now + 1, out);
        assertThat(membership.status(x.siteId())).as("x after its refutation").isEqualTo(MemberStatus.ALIVE);

        Member y = peer(5);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.DEAD,
                y.withIncarnation(Membership.MAX_ACCUSED + 1), peer(1).siteId()),
                new MemberUpdate(MemberStatus.SUSPECT, me.withIncarnation(Member.MAX_INCARNATION), peer(1).siteId()))),
                now + 2, out);
        assertThat(membership.status(y.siteId())).as("an accusation nobody could outbid").isEqualTo(MemberStatus.ALIVE);
        assertThat(membership.self().incarnation()).isEqualTo(me.incarnation());

        // News of a newer us at the very top: we take it, and stop there.
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.ALIVE,
                me.withIncarnation(Member.MAX_INCARNATION), me.siteId()))), now + 3, out);
        assertThat(membership.self().incarnation()).isEqualTo(Member.MAX_INCARNATION);
    }

    /**
     * A copy of this node's file started as another node runs with the same site id: both commit the same versions and
     * peers keep one of each. A message from it, or news of it as new as we are, is reported; news of our own earlier
     * run on another port (older: an incarnation is the clock at start) and our own news are not.
     */
    @Test
    void anotherNodeWithOurSiteIdIsReported() {
        Member ourEarlierRun = new Member(me.siteId(), new NodeAddress("10.0.0.99", 7400), me.incarnation() - 5);
        membership.onMessage(new Gossip(peer(1), List.of(new MemberUpdate(MemberStatus.ALIVE, ourEarlierRun,
                me.siteId()), new MemberUpdate(MemberStatus.SUSPECT, ourEarlierRun, peer(1).siteId()),
                new MemberUpdate(MemberStatus.ALIVE, me, me.siteId()))), now, out);
        assertThat(out.events).noneMatch(e -> e instanceof GossipEvent.SiteIdShared);
        assertThat(membership.stats().siteIdShared()).isZero();

        Member copy = new Member(me.siteId(), new NodeAddress("10.0.0.50", 7400), me.incarnation() + 1_000);
        membership.onMessage(new Gossip(peer(2), List.of(new MemberUpdate(MemberStatus.ALIVE, copy, me.siteId()))),
                now + 1, out);
        assertThat(out.events).filteredOn(e -> e instanceof GossipEvent.SiteIdShared)
                .containsExactly(new GossipEvent.SiteIdShared(copy.address()));

        // the copy sends to us itself (it joined through us), whatever its incarnation
        out.clear();
        Member olderCopy = copy.withIncarnation(1);
        membership.onMessage(new Ping(olderCopy, 7, me.siteId(), List.of()), now + 2, out);
        assertThat(out.events).filteredOn(e -> e instanceof GossipEvent.SiteIdShared)
                .containsExactly(new GossipEvent.SiteIdShared(copy.address()));
        assertThat(membership.stats().siteIdShared()).isEqualTo(2);
    }
}
