package io.corrosion.gossip.broadcast;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.ChangesetId;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.LivePeers;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.RandomPicks;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.BroadcastMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Epidemic broadcast, sans-IO. A changeset (local, or received for the first time) is sent to {@code fanout}
 * random live members, then again to {@code fanout} others in each of {@code broadcastTransmissions} rounds, and
 * never forwarded past {@code maxHops}. In a cluster no larger than the fanout the origin reaches everyone at once,
 * so what comes straight from its origin is not forwarded. A receiver forwards only once its store has applied the
 * changeset as new ({@link #stored}): a changeset the store rejects (undecodable, malformed for the schema) goes no
 * further than the first node that saw it, so one bad peer cannot spread poison to the whole cluster in a few hops.
 * The price is one store transaction of latency per hop, and only in clusters larger than the fanout.
 *
 * <p>Back-pressure: the queue of changesets awaiting further rounds is bounded; when full the most-sent entry is
 * dropped (Corrosion's rule). Dropping loses no data: anti-entropy sync fetches whatever broadcast did not bring.
 */
public final class Broadcaster {

    private final GossipConfig config;
    private final SiteId self;
    private final LivePeers peers;
    private final RandomGenerator random;
    private final SeenCache seen;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>();
    /** Received changesets to forward once the store says they are new; as many as the apply queue holds. */
    private final Map<ChangesetId, Pending> awaitingStore = new HashMap<>();
    private long order;

    private long localBroadcasts;
    private long received;
    private long duplicates;
    private long ownEchoes;
    private long delivered;
    private long transmissions;
    private long hopLimited;
    private long originCovered;
    private long queueDropped;

    private final class Pending implements Comparable<Pending> {
        final BroadcastMessage message;
        final Set<SiteId> sentTo = new HashSet<>();
        final long order = Broadcaster.this.order++;
        int rounds;
        long nextAt;

        Pending(BroadcastMessage message) {
            this.message = message;
        }

        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(nextAt, o.nextAt);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    public Broadcaster(GossipConfig config, SiteId self, LivePeers peers, RandomGenerator random) {
        this.config = config;
        this.self = self;
        this.peers = peers;
        this.random = random;
        this.seen = new SeenCache(config.seenCacheSize());
    }

    /** Spreads a changeset this node committed (already in its store). */
    public void broadcastLocal(Changeset changeset, long now, BroadcastOutput out) {
        if (!changeset.siteId().equals(self)) {
            throw new IllegalArgumentException("a local broadcast carries this node's site id, got "
                    + changeset.siteId());
        }
        localBroadcasts++;
        seen.add(changeset.id());
        Pending p = new Pending(new BroadcastMessage(self, 0, changeset));
        p.sentTo.add(self);
        transmit(p, now, out);
    }

    public void onMessage(BroadcastMessage message, long now, BroadcastOutput out) {
        received++;
        Changeset cs = message.changeset();
        if (cs.siteId().equals(self)) {
            ownEchoes++;
            return;
        }
        if (!seen.add(cs.id())) {
            duplicates++;
            return;
        }
        delivered++;
        // A hop count from the wire can be anything up to Integer.MAX_VALUE: at the limit is as good as past it.
        int hops = (int) Math.min(message.hops() + 1L, config.maxHops());
        out.deliver(cs, hops);
        if (hops >= config.maxHops()) {
            hopLimited++;
            return;
        }
        if (message.hops() == 0 && peers.livePeers().size() <= config.fanout()) {
            // Straight from its origin, whose first round went to fanout members: everyone we know of. Forwarding
            // would only send duplicates (a member the origin did not know yet gets it by sync).
            originCovered++;
            return;
        }
        Pending p = new Pending(new BroadcastMessage(self, hops, cs));
        p.sentTo.add(self);
        p.sentTo.add(message.sender());
        p.sentTo.add(cs.siteId());
        awaitingStore.put(cs.id(), p);
    }

    /**
     * The store's verdict on a delivered changeset: forward it if it was new; a rejected or duplicate one stops here
     * (it stays seen, so more copies of it are dropped before the store).
     */
    public void stored(ChangesetId id, boolean isNew, long now, BroadcastOutput out) {
        Pending p = awaitingStore.remove(id);
        if (p != null && isNew) {
            transmit(p, now, out);
        }
    }

    public void onTimeout(long now, BroadcastOutput out) {
        while (!pending.isEmpty() && pending.peek().nextAt <= now) {
            transmit(pending.poll(), now, out);
        }
    }

    public long nextTimeout() {
        return pending.isEmpty() ? Long.MAX_VALUE : pending.peek().nextAt;
    }

    /** A changeset received by sync: no need to take a broadcast copy of it later. */
    public void remember(ChangesetId id) {
        seen.add(id);
    }

    /** The store never applied it (queue overflow, store failure): let a later copy in. */
    public void forget(ChangesetId id) {
        seen.remove(id);
        awaitingStore.remove(id);
    }

    public BroadcastStats stats() {
        return new BroadcastStats(localBroadcasts, received, duplicates, ownEchoes, delivered, transmissions,
                hopLimited, originCovered, queueDropped, pending.size(), seen.size());
    }

    private void transmit(Pending p, long now, BroadcastOutput out) {
        List<Member> targets = RandomPicks.sample(peers.livePeers(), config.fanout(),
                m -> p.sentTo.contains(m.siteId()), random);
        for (Member m : targets) {
            p.sentTo.add(m.siteId());
            out.send(m.address(), p.message);
            transmissions++;
        }
        p.rounds++;
        if (p.rounds < config.broadcastTransmissions() && !targets.isEmpty()) {
            p.nextAt = now + config.broadcastRetransmitDelay().toMillis() * p.rounds;
            pending.add(p);
            if (pending.size() > config.broadcastQueueMax()) {
                dropMostSent();
            }
        }
    }

    private void dropMostSent() {
        Pending victim = null;
        for (Pending p : pending) {
            if (victim == null || p.rounds > victim.rounds || (p.rounds == victim.rounds && p.order < victim.order)) {
                victim = p;
            }
        }
        pending.remove(victim);
        queueDropped++;
    }
}
