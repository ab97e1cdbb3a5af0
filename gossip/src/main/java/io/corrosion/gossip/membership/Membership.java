package io.corrosion.gossip.membership;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.LivePeers;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.RandomPicks;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.Ack;
import io.corrosion.gossip.wire.Gossip;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.MembershipMessage;
import io.corrosion.gossip.wire.Nack;
import io.corrosion.gossip.wire.Ping;
import io.corrosion.gossip.wire.PingReq;
import io.corrosion.gossip.wire.PushPull;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SWIM membership with Lifeguard, as a sans-IO state machine: {@link #onMessage} and {@link #onTimeout} take the
 * current time (monotonic milliseconds) and put messages and events into a {@link MembershipOutput};
 * {@link #nextTimeout()} says when to call {@link #onTimeout} next. Not thread-safe: one thread drives it.
 *
 * <p>Rules (memberlist's): an ALIVE update wins over what we have only with a higher incarnation; SUSPECT and
 * DEAD win at an equal or higher one; a node told it is suspect or dead refutes with a higher incarnation. Every
 * message names its sender with its incarnation, so hearing from a member with a higher incarnation than the one
 * we declared dead brings it back (a restart); a member we think dead that talks to us at its old incarnation is
 * told so, and refutes. A full member-list exchange (push-pull) joins through seeds and repairs divergence; dead
 * members, and seeds that are not live members, are contacted now and then, which heals partitions
 * ({@link PushPulls}).
 */
public final class Membership implements LivePeers {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    /** Accusations (suspect, dead, left) above this incarnation are ignored: the accused can always outbid them. */
    static final long MAX_ACCUSED = Member.MAX_INCARNATION - (1L << 32);

    private final GossipConfig config;
    private final RandomGenerator random;
    private final Seeds seeds;
    private final MemberTable members;
    private final UpdateQueue updates;
    private final Awareness awareness;
    private final SuspicionTimers suspicionTimers = new SuspicionTimers();
    private final Prober prober;
    private final PushPulls pushPulls;

    private Member self;
    private boolean left;
    private long nextGossipAt;
    private long nextReapAt;

    private long suspicionsRaised;
    private long refutations;
    private long siteIdShared;
    private long deadDeclared;

    /**
     * @param self this node; its incarnation must exceed any it used before (the runtime starts from wall-clock
     *     milliseconds, so a restarted node supersedes its former self)
     * @param seeds addresses to join through; the node's own address is ignored
     */
    public Membership(GossipConfig config, Member self, List<NodeAddress> seeds, RandomGenerator random) {
        this.config = config;
        this.self = self;
        this.random = random;
        this.seeds = new Seeds(config, self.address(), seeds, random);
        this.updates = new UpdateQueue(config.maxPendingUpdates());
        this.awareness = new Awareness(config.awarenessMax());
        this.members = new MemberTable(config.maxMembers());
        this.pushPulls = new PushPulls(config, random, members, this.seeds, () -> this.self, () -> left);
        this.prober = new Prober(config, random, awareness, new Prober.Host() {
            @Override
            public Member self() {
                return Membership.this.self;
            }

            @Override
            public List<Member> livePeers() {
                return Membership.this.livePeers();
            }

            @Override
            public MemberState state(SiteId site) {
                return members.get(site);
            }

            @Override
            public List<MemberUpdate> piggyback(int extraHeaderBytes) {
                return Membership.this.piggyback(extraHeaderBytes);
            }

            @Override
            public void probeFailed(MemberState target, long now, MembershipOutput out) {
                if (members.get(target.member.siteId()) == target) {
                    // Starts a suspicion, or confirms one we heard of: our failed probe is independent evidence.
                    suspectUpdate(target.member, Membership.this.self.siteId(), true, now, out);
                }
            }
        });
    }

    // ---------------------------------------------------------------- inputs

    /** Starts probing and, if there are seeds, joining through them. */
    public void start(long now, MembershipOutput out) {
        updates.enqueue(new MemberUpdate(MemberStatus.ALIVE, self, self.siteId()));
        prober.start(now);
        nextGossipAt = now + config.gossipInterval().toMillis();
        pushPulls.start(now);
        nextReapAt = now + config.deadRetention().toMillis();
        if (!seeds.isEmpty()) {
            seeds.join(now, pushPulls.ours(false), out);
        }
    }

    /** Leaves the cluster: tells a few members, then stops probing. */
    public void leave(long now, MembershipOutput out) {
        left = true;
        prober.stop();
        MemberUpdate bye = new MemberUpdate(MemberStatus.LEFT, self, self.siteId());
        updates.enqueue(bye);
        for (Member m : RandomPicks.sample(livePeers(), 2 * config.gossipNodes(), x -> false, random)) {
            out.send(m.address(), new Gossip(self, List.of(bye)));
        }
    }

    public void onMessage(MembershipMessage message, long now, MembershipOutput out) {
        if (left) {
            return;
        }
        observeSender(message.sender(), now, out);
        if (message instanceof PushPull pushPull) {
            merge(pushPull, now, out);
        } else {
            for (MemberUpdate u : message.updates()) {
                apply(u, now, out);
            }
        }
        if (message instanceof Ping ping) {
            prober.onPing(ping, out);
        } else if (message instanceof Ack ack) {
            prober.onAck(ack, out);
        } else if (message instanceof PingReq req) {
            prober.onPingReq(req, now, out);
        } else if (message instanceof Nack nack) {
            prober.onNack(nack);
        }
    }

    public void onTimeout(long now, MembershipOutput out) {
        if (left) {
            return;
        }
        rejoinIfAlone(now, out);
        prober.onTimeout(now, out);
        expireSuspicions(now, out);
        if (now >= nextGossipAt) {
            gossip(out);
            nextGossipAt = now + config.gossipInterval().toMillis();
        }
        pushPulls.onTimeout(now, out);
        if (now >= nextReapAt) {
            reap(now);
            nextReapAt = now + Math.max(1000, config.deadRetention().toMillis() / 4);
        }
    }

    /** When {@link #onTimeout} wants to run next. */
    public long nextTimeout() {
        if (left) {
            return Long.MAX_VALUE;
        }
        long next = Math.min(prober.nextTimeout(), Math.min(pushPulls.nextTimeout(), nextReapAt));
        if (!updates.isEmpty()) {
            next = Math.min(next, nextGossipAt);
        }
        next = Math.min(next, suspicionTimers.next());
        if (livePeers().isEmpty()) {
            next = Math.min(next, seeds.nextRetry());
        }
        return next;
    }

    // ---------------------------------------------------------------- queries

    public Member self() {
        return self;
    }

    @Override
    public List<Member> livePeers() {
        return members.live();
    }

    /** The status of a member, or null if unknown. */
    public MemberStatus status(SiteId site) {
        MemberState s = members.get(site);
        return s == null ? null : s.status;
    }

    public List<MemberView> members() {
        return members.views();
    }

    public int awarenessScore() {
        return awareness.score();
    }

    public MembershipStats stats() {
        return new MembershipStats(prober.probes, prober.failedProbes, prober.indirectProbesSent, suspicionsRaised,
                refutations, deadDeclared, prober.misdirectedPings, updates.dropped(), members.refused(),
                siteIdShared, awareness.score());
    }

    // ---------------------------------------------------------------- the rules

    /** Every message names its sender: new members join, restarted ones come back, ones we buried are told. */
    private void observeSender(Member sender, long now, MembershipOutput out) {
        if (sender.siteId().equals(self.siteId())) {
            if (!sender.address().equals(self.address())) {
                siteIdShared(sender.address(), out); // a live process elsewhere sends as us
            }
            return;
        }
        MemberState s = members.get(sender.siteId());
        if (s == null || sender.incarnation() > s.member.incarnation()) {
            alive(sender, now, out);
        } else if (s.status.isDown() && now - s.lastDeadNoticeAt >= config.probeInterval().toMillis()) {
            s.lastDeadNoticeAt = now;
            MemberUpdate notice = new MemberUpdate(s.status, s.member, self.siteId());
            out.send(sender.address(), new Gossip(self, List.of(notice)));
        }
    }

    private void apply(MemberUpdate u, long now, MembershipOutput out) {
        switch (u.status()) {
            case ALIVE -> alive(u.member(), now, out);
            case SUSPECT -> suspectUpdate(u.member(), u.from(), false, now, out);
            case DEAD, LEFT -> dead(u.member(), u.status(), now, out);
        }
    }

    private void alive(Member m, long now, MembershipOutput out) {
        if (m.siteId().equals(self.siteId())) {
            noticeUsElsewhere(m, out);
            if (m.incarnation() > self.incarnation()) {
                refute(m.incarnation(), now);
            }
            return;
        }
        MemberState s = members.get(m.siteId());
        if (s == null) {
            s = new MemberState(m, MemberStatus.ALIVE, now);
            if (!members.add(s, self, now, forgotten -> prober.retain(members::contains))) {
                return;
            }
            prober.add(m.siteId());
            updates.enqueue(new MemberUpdate(MemberStatus.ALIVE, m, m.siteId()));
            out.event(new GossipEvent.MemberUp(m));
            return;
        }
        if (m.incarnation() <= s.member.incarnation()) {
            return;
        }
        boolean wasUp = s.status == MemberStatus.ALIVE;
        boolean wasDown = s.status.isDown();
        s.member = m;
        s.set(MemberStatus.ALIVE, now);
        if (wasDown) {
            prober.add(m.siteId());
        }
        changed();
        updates.enqueue(new MemberUpdate(MemberStatus.ALIVE, m, m.siteId()));
        if (!wasUp) {
            out.event(new GossipEvent.MemberUp(m));
        }
    }

    /**
     * The member an accusation (suspect or dead) applies to, or null: an accusation of us is refuted, one about
     * an unknown member, an older incarnation or a member already down changes nothing.
     */
    private MemberState accused(Member m, boolean ourProbe, long now) {
        if (m.incarnation() > MAX_ACCUSED && !ourProbe) {
            // Nobody reaches it honestly; accepted, it would leave the accused no higher one to outbid. Our own failed
            // probe still counts: a member that news put up there must not be undetectable for good.
            return null;
        }
        if (m.siteId().equals(self.siteId())) {
            if (m.incarnation() >= self.incarnation()) {
                refute(m.incarnation(), now);
            }
            return null;
        }
        MemberState s = members.get(m.siteId());
        if (s == null || m.incarnation() < s.member.incarnation() || s.status.isDown()) {
            return null;
        }
        return s;
    }

    private void suspectUpdate(Member m, SiteId from, boolean ourProbe, long now, MembershipOutput out) {
        MemberState s = accused(m, ourProbe, now);
        if (s == null) {
            return;
        }
        if (s.status == MemberStatus.SUSPECT && m.incarnation() == s.member.incarnation()) {
            if (s.suspicion != null && s.suspicion.confirm(from)) {
                // Confirmations shorten the timeout; pass them on so others shorten theirs.
                suspicionTimers.schedule(m.siteId(), s.suspicion);
                updates.enqueue(new MemberUpdate(MemberStatus.SUSPECT, s.member, from));
            }
            return;
        }
        suspect(s, m, from, now, out);
    }

    /**
     * The member as an accusation names it: at a newer incarnation, with the address that goes with it (a member
     * restarted on another port is accused at its new one; the old address with the new incarnation would be passed
     * on, and reach the member itself as news of another node with its site id).
     */
    private static Member accusedAs(MemberState s, Member accused) {
        return accused.incarnation() > s.member.incarnation() ? accused : s.member;
    }

    private void suspect(MemberState s, Member accused, SiteId from, long now, MembershipOutput out) {
        Member before = s.member;
        s.member = accusedAs(s, accused);
        if (!s.member.address().equals(before.address())) {
            changed(); // the live list (gossip, push-pull, helpers, sync peers) goes to the new address too
        }
        long incarnation = s.member.incarnation();
        s.set(MemberStatus.SUSPECT, now);
        int n = livePeers().size() + 1;
        int k = Suspicion.confirmationsWanted(config.suspicionMultiplier(), n);
        s.suspicion = new Suspicion(from, incarnation, k,
                config.suspicionMinMillis(n), config.suspicionMaxMillis(n), now);
        suspicionTimers.schedule(s.member.siteId(), s.suspicion);
        if (from.equals(self.siteId())) {
            suspicionsRaised++;
        }
        updates.enqueue(new MemberUpdate(MemberStatus.SUSPECT, s.member, from));
        out.event(new GossipEvent.MemberSuspected(s.member, from));
    }

    private void dead(Member m, MemberStatus status, long now, MembershipOutput out) {
        MemberState s = accused(m, false, now);
        if (s == null) {
            return;
        }
        declareDown(s, m, status, now, out);
    }

    private void declareDown(MemberState s, Member accused, MemberStatus status, long now, MembershipOutput out) {
        s.member = accusedAs(s, accused);
        s.set(status, now);
        changed();
        updates.enqueue(new MemberUpdate(status, s.member, self.siteId()));
        out.event(new GossipEvent.MemberDown(s.member, status == MemberStatus.LEFT));
        prober.cancel(s);
    }

    private void expireSuspicions(long now, MembershipOutput out) {
        for (SuspicionTimers.Timer t : suspicionTimers.due(now)) {
            MemberState s = members.get(t.site());
            if (s == null || s.suspicion != t.suspicion() || s.status != MemberStatus.SUSPECT) {
                continue; // refuted or superseded since
            }
            deadDeclared++;
            LOG.debug("{} declares {} dead: suspicion expired with {} confirmations", self, s.member,
                    t.suspicion().confirmations());
            declareDown(s, s.member, MemberStatus.DEAD, now, out);
        }
    }

    /**
     * Alive news of our site at another address, as new as we are or newer (what a restart on another port leaves
     * behind is older: an incarnation is the clock at start): another node runs with our site id. Accusations do not
     * count: a member that has not heard of our restart yet may accuse our new incarnation at our old address.
     */
    private void noticeUsElsewhere(Member m, MembershipOutput out) {
        if (!m.address().equals(self.address()) && m.incarnation() >= self.incarnation()) {
            siteIdShared(m.address(), out);
        }
    }

    /** Another node runs with our site id: one of the two files is a copy of the other. */
    private void siteIdShared(NodeAddress other, MembershipOutput out) {
        siteIdShared++;
        out.event(new GossipEvent.SiteIdShared(other));
    }

    /** Someone thinks we are (or were) down, or knows a newer us: outbid it. */
    private void refute(long incarnation, long now) {
        self = self.withIncarnation(Math.min(Math.max(self.incarnation(), incarnation) + 1, Member.MAX_INCARNATION));
        refutations++;
        LOG.info("{} refutes a suspicion or death at incarnation {}", self, incarnation);
        awareness.apply(1);
        updates.enqueue(new MemberUpdate(MemberStatus.ALIVE, self, self.siteId()));
    }

    // ---------------------------------------------------------------- dissemination, push-pull, joining

    private List<MemberUpdate> piggyback(int extraHeaderBytes) {
        int budget = config.maxDatagramBytes() - WireCodec.memberSize(self) - WireCodec.MEMBERSHIP_OVERHEAD_BYTES
                - extraHeaderBytes;
        return updates.take(budget, config.retransmitLimit(livePeers().size() + 1));
    }

    private void gossip(MembershipOutput out) {
        if (updates.isEmpty()) {
            return;
        }
        for (Member m : RandomPicks.sample(livePeers(), config.gossipNodes(), x -> false, random)) {
            List<MemberUpdate> batch = piggyback(0);
            if (batch.isEmpty()) {
                return;
            }
            out.send(m.address(), new Gossip(self, batch));
        }
    }

    private void merge(PushPull pushPull, long now, MembershipOutput out) {
        for (MemberUpdate u : pushPull.updates()) {
            switch (u.status()) {
                case ALIVE -> alive(u.member(), now, out);
                case LEFT -> dead(u.member(), MemberStatus.LEFT, now, out);
                // A remote death is only a suspicion here: we want our own evidence (memberlist's mergeState).
                case SUSPECT, DEAD -> suspectUpdate(u.member(), pushPull.sender().siteId(), false, now, out);
            }
        }
        if (!pushPull.reply()) {
            out.send(pushPull.sender().address(), pushPulls.ours(true));
        }
    }

    /** Not joined yet, or everyone else is gone: keep knocking on the seeds, backing off. */
    private void rejoinIfAlone(long now, MembershipOutput out) {
        if (seeds.rejoinDue(livePeers().isEmpty(), now)) {
            seeds.join(now, pushPulls.ours(false), out);
        }
    }

    private void reap(long now) {
        if (members.reap(now, config.deadRetention().toMillis())) {
            prober.retain(members::contains);
        }
    }

    private void changed() {
        members.changed();
    }
}
