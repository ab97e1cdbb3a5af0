package io.corrosion.gossip.membership;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.RandomPicks;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.Ack;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.Nack;
import io.corrosion.gossip.wire.Ping;
import io.corrosion.gossip.wire.PingReq;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * SWIM's failure detector: one probe per (awareness-stretched) interval, round-robin over a shuffled member list;
 * a direct ping, then k indirect ones through other members plus a second direct try; relaying other members'
 * indirect probes with an ack or a Lifeguard nack. Verdicts go back to {@link Membership} through {@link Host}.
 */
final class Prober {

    /** What the prober needs from membership. */
    interface Host {
        Member self();

        List<Member> livePeers();

        MemberState state(SiteId site);

        List<MemberUpdate> piggyback(int extraHeaderBytes);

        /** The target answered neither directly nor through anyone. */
        void probeFailed(MemberState target, long now, MembershipOutput out);
    }

    private record Relay(NodeAddress requester, long originSeq, long deadline) {
    }

    private static final class Probe {
        final long seq;
        final MemberState target;
        final long directDeadline;
        final long end;
        boolean indirect;
        int expectedNacks;
        int nacks;

        Probe(long seq, MemberState target, long directDeadline, long end) {
            this.seq = seq;
            this.target = target;
            this.directDeadline = directDeadline;
            this.end = end;
        }
    }

    private final GossipConfig config;
    private final RandomGenerator random;
    private final Awareness awareness;
    private final Host host;
    private final List<SiteId> order = new ArrayList<>();
    private final Map<Long, Relay> relays = new HashMap<>();
    private int index;
    private long seq;
    private Probe probe;
    private long nextProbeAt;

    long probes;
    long failedProbes;
    long indirectProbesSent;
    long misdirectedPings;

    Prober(GossipConfig config, RandomGenerator random, Awareness awareness, Host host) {
        this.config = config;
        this.random = random;
        this.awareness = awareness;
        this.host = host;
    }

    void start(long now) {
        nextProbeAt = now + random.nextLong(config.probeInterval().toMillis());
    }

    /** A new member, or one back from the dead: at a random place in the order, so it is probed soon. */
    void add(SiteId site) {
        if (!order.contains(site)) {
            order.add(order.isEmpty() ? 0 : random.nextInt(order.size() + 1), site);
        }
    }

    /** Drops forgotten members from the order. */
    void retain(java.util.function.Predicate<SiteId> known) {
        order.removeIf(site -> !known.test(site));
        index = Math.min(index, order.size());
    }

    /** The member was declared down: stop probing it now. */
    void cancel(MemberState target) {
        if (probe != null && probe.target == target) {
            probe = null;
        }
    }

    void stop() {
        probe = null;
    }

    void onTimeout(long now, MembershipOutput out) {
        if (probe != null && !probe.indirect && now >= probe.directDeadline) {
            startIndirect(out);
        }
        if (probe != null && now >= probe.end) {
            Probe failed = probe;
            probe = null;
            failedProbes++;
            // Lifeguard: missed nacks mean our own links are suspect; with no helpers any failure counts.
            int delta = failed.expectedNacks > 0 ? Math.max(0, failed.expectedNacks - failed.nacks) : 1;
            awareness.apply(delta);
            host.probeFailed(failed.target, now, out);
        }
        if (probe == null && now >= nextProbeAt) {
            startProbe(now, out);
        }
        expireRelays(now, out);
    }

    long nextTimeout() {
        long next = nextProbeAt;
        if (probe != null) {
            next = Math.min(next, probe.indirect ? probe.end : probe.directDeadline);
        }
        for (Relay r : relays.values()) {
            next = Math.min(next, r.deadline);
        }
        return next;
    }

    void onPing(Ping ping, MembershipOutput out) {
        if (!ping.target().equals(host.self().siteId())) {
            misdirectedPings++;
            return;
        }
        out.send(ping.sender().address(), new Ack(host.self(), ping.seq(), host.piggyback(0)));
    }

    void onAck(Ack ack, MembershipOutput out) {
        if (probe != null && probe.seq == ack.seq()) {
            probe = null;
            awareness.apply(-1);
            return;
        }
        Relay relay = relays.remove(ack.seq());
        if (relay != null) {
            out.send(relay.requester, new Ack(host.self(), relay.originSeq, host.piggyback(0)));
        }
    }

    void onNack(Nack nack) {
        if (probe != null && probe.seq == nack.seq()) {
            probe.nacks++;
        }
    }

    void onPingReq(PingReq req, long now, MembershipOutput out) {
        long relaySeq = ++seq;
        relays.put(relaySeq, new Relay(req.sender().address(), req.seq(), now + config.probeTimeout().toMillis()));
        out.send(req.target().address(), new Ping(host.self(), relaySeq, req.target().siteId(), host.piggyback(0)));
    }

    private void startProbe(long now, MembershipOutput out) {
        long interval = awareness.scale(config.probeInterval().toMillis());
        nextProbeAt = now + interval;
        MemberState target = nextTarget();
        if (target == null) {
            return;
        }
        probes++;
        long probeSeq = ++seq;
        probe = new Probe(probeSeq, target, now + awareness.scale(config.probeTimeout().toMillis()), now + interval);
        out.send(target.member.address(), new Ping(host.self(), probeSeq, target.member.siteId(), host.piggyback(0)));
    }

    private MemberState nextTarget() {
        for (int tries = 0; tries <= order.size(); tries++) {
            if (index >= order.size()) {
                index = 0;
                Collections.shuffle(order, new Random(random.nextLong()));
            }
            if (order.isEmpty()) {
                return null;
            }
            MemberState s = host.state(order.get(index++));
            if (s != null && !s.status.isDown()) {
                return s;
            }
        }
        return null;
    }

    private void startIndirect(MembershipOutput out) {
        probe.indirect = true;
        Member target = probe.target.member;
        List<Member> helpers = RandomPicks.sample(host.livePeers(), config.indirectProbes(),
                m -> m.siteId().equals(target.siteId()), random);
        int budget = WireCodec.memberSize(target);
        for (Member helper : helpers) {
            out.send(helper.address(), new PingReq(host.self(), probe.seq, target, host.piggyback(budget)));
            indirectProbesSent++;
        }
        probe.expectedNacks = helpers.size();
        // A second direct try, as memberlist's TCP fallback: lost datagrams are independent.
        out.send(target.address(), new Ping(host.self(), probe.seq, target.siteId(), host.piggyback(0)));
    }

    private void expireRelays(long now, MembershipOutput out) {
        if (relays.isEmpty()) {
            return;
        }
        List<Long> expired = new ArrayList<>();
        relays.forEach((relaySeq, relay) -> {
            if (now >= relay.deadline) {
                expired.add(relaySeq);
            }
        });
        Collections.sort(expired);
        for (Long relaySeq : expired) {
            Relay relay = relays.remove(relaySeq);
            out.send(relay.requester, new Nack(host.self(), relay.originSeq, host.piggyback(0)));
        }
    }
}
