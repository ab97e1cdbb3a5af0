package io.corrosion.gossip.sim;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.Channel;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.core.Outbox;
import io.corrosion.gossip.core.Outgoing;
import io.corrosion.gossip.core.StoreResult;
import io.corrosion.gossip.core.StoreTask;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.wire.DecodeException;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A whole cluster in one thread: simulated time, a seeded network (latency, loss, duplication, reordering,
 * partitions), crashes and restarts. Every node runs the real {@link GossipCore} and every message goes through
 * the real {@link io.corrosion.gossip.wire.WireCodec}; store tasks run against each node's in-memory store after
 * a simulated store latency, off the node's protocol path, as the runtime does. The same seed replays the same
 * run, event for event.
 */
public final class Simulation {

    private final long seed;
    private final GossipConfig config;
    private final SplittableRandom random;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<NodeAddress, SimNode> byAddress = new HashMap<>();
    private final Map<SessionPath, Long> sessionClock = new HashMap<>();
    private final Set<SessionKey> brokenSessions = new HashSet<>();
    private final List<SimObserver> observers = new ArrayList<>();
    private final List<NodeAddress> seeds = new ArrayList<>();
    private final SimStats stats = new SimStats();
    private NetworkConditions conditions;
    private long storeLatencyMillis = 1;
    private long now;
    private long eventSeq;

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private record SessionPath(int from, int to, SessionKey session) {
    }

    public Simulation(long seed, GossipConfig config, NetworkConditions conditions) {
        this.seed = seed;
        this.config = config;
        this.conditions = conditions;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    public long now() {
        return now;
    }

    public GossipConfig config() {
        return config;
    }

    public SimStats stats() {
        return stats;
    }

    public List<SimNode> nodes() {
        return List.copyOf(nodes);
    }

    public SimNode node(int index) {
        return nodes.get(index);
    }

    public void setConditions(NetworkConditions conditions) {
        this.conditions = conditions;
    }

    /** Simulated time a store task takes (tasks of one node run one after another). */
    public void setStoreLatencyMillis(long millis) {
        this.storeLatencyMillis = millis;
    }

    public void addObserver(SimObserver observer) {
        observers.add(observer);
    }

    /** Creates {@code count} nodes (not started); the first {@code seedCount} are everyone's seeds. */
    public List<SimNode> addNodes(int count, int seedCount) {
        List<SimNode> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            added.add(addNode(SiteId.random(random), null, seeds.size() < seedCount));
        }
        return added;
    }

    /**
     * Creates a node (not started) whose store tasks run on {@code store} (e.g. a real database; it must survive
     * {@link #crash}es as a durable store does), or on an in-memory store if null.
     */
    public SimNode addNode(SiteId site, ChangesetStore store, boolean seed) {
        int index = nodes.size();
        NodeAddress address = new NodeAddress("10." + (index >> 16 & 255) + "." + (index >> 8 & 255) + "."
                + (index & 255), 7400);
        SimNode node = new SimNode(index, site, address, config.maxFrameBytes(), store);
        nodes.add(node);
        byAddress.put(address, node);
        if (seed) {
            seeds.add(address);
        }
        return node;
    }

    /** Starts a node now (or restarts a crashed one, with a higher incarnation and its store intact). */
    public void start(SimNode node) {
        if (node.isUp()) {
            throw new IllegalStateException(node + " is already up");
        }
        node.epoch++;
        // A wall-clock-like incarnation: greater than anything this site used before.
        long incarnation = Math.max(now + 1, node.lastIncarnation + 1);
        node.core = new GossipCore(config, new Member(node.siteId, node.address, incarnation), seeds,
                new SplittableRandom(seed * 1_000_003L + node.index * 7919L + node.epoch));
        node.timerAt = Long.MAX_VALUE;
        Outbox out = new Outbox();
        node.core.start(now, out);
        flush(node, out);
    }

    /** Starts nodes at random moments within {@code spreadMillis} from now. */
    public void startAll(Collection<SimNode> toStart, long spreadMillis) {
        for (SimNode node : toStart) {
            schedule(now + (spreadMillis == 0 ? 0 : random.nextLong(spreadMillis)), () -> start(node));
        }
    }

    /** The node dies: all protocol state is lost, in-flight store work with it; the store survives. */
    public void crash(SimNode node) {
        if (!node.isUp()) {
            return;
        }
        node.lastIncarnation = node.core.self().incarnation();
        node.core = null;
        node.epoch++;
        node.timerAt = Long.MAX_VALUE;
        stats.crashes++;
    }

    /** Stops a node as a graceful close does: it says goodbye ({@code GossipCore.leave}), then goes down. */
    public void leave(SimNode node) {
        if (!node.isUp()) {
            return;
        }
        Outbox out = new Outbox();
        node.core.leave(now(), out);
        flush(node, out);
        crash(node);
    }

    /** Nodes in different groups cannot talk; nodes not named stay in group 0. */
    public void partition(List<? extends Collection<SimNode>> groups) {
        nodes.forEach(n -> n.group = 0);
        for (int g = 0; g < groups.size(); g++) {
            for (SimNode n : groups.get(g)) {
                n.group = g + 1;
            }
        }
    }

    /** Makes a node slow: every message to or from it takes {@code millis} longer (an overloaded process). */
    public void setExtraLatency(SimNode node, long millis) {
        node.extraLatency = millis;
    }

    public void heal() {
        nodes.forEach(n -> n.group = 0);
    }

    /** A local commit on {@code node} of {@code payloadBytes}, chunked, stored and broadcast. */
    public List<Changeset.Full> write(SimNode node, int payloadBytes, int chunkBytes) {
        byte[] payload = new byte[payloadBytes];
        random.nextBytes(payload);
        List<Changeset.Full> chunks = node.store().commitLocal(payload, chunkBytes, now);
        for (Changeset.Full chunk : chunks) {
            broadcast(node, chunk);
        }
        stats.writes++;
        return chunks;
    }

    /** Hands a changeset the node committed to its store itself (an external store's local commit) to gossip now. */
    public void broadcast(SimNode node, Changeset changeset) {
        Outbox out = new Outbox();
        node.core().broadcast(changeset, now, out);
        flush(node, out);
    }

    /** Runs an action at a simulated time. */
    public void schedule(long at, Runnable action) {
        events.add(new Event(Math.max(at, now), eventSeq++, action));
    }

    public void runFor(long millis) {
        runUntilTime(now + millis);
    }

    /** Runs until the condition holds (checked every {@code checkEveryMillis}) or the deadline; true if it held. */
    public boolean runUntil(BooleanSupplier condition, long maxMillis, long checkEveryMillis) {
        long deadline = now + maxMillis;
        while (now < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            runUntilTime(Math.min(deadline, now + checkEveryMillis));
        }
        return condition.getAsBoolean();
    }

    private void runUntilTime(long until) {
        while (!events.isEmpty() && events.peek().time <= until) {
            Event e = events.poll();
            now = e.time;
            e.action.run();
            stats.events++;
        }
        now = until;
    }

    // ---------------------------------------------------------------- the node's side

    private void flush(SimNode node, Outbox out) {
        if (node.core == null) {
            return;
        }
        for (Outgoing o : out.drainMessages()) {
            send(node, o);
        }
        for (StoreTask task : out.drainStoreTasks()) {
            runStoreTask(node, task);
        }
        for (GossipEvent e : out.drainEvents()) {
            for (SimObserver observer : observers) {
                observer.onEvent(node, e, now);
            }
        }
        out.drainClosedSessions();
        armTimer(node);
    }

    private void armTimer(SimNode node) {
        long next = node.core.nextTimeout();
        if (next == Long.MAX_VALUE || (next >= node.timerAt && node.timerAt > now)) {
            return;
        }
        long at = Math.max(next, now);
        node.timerAt = at;
        int epoch = node.epoch;
        schedule(at, () -> {
            if (node.epoch != epoch || node.timerAt != at || node.core == null) {
                return;
            }
            node.timerAt = Long.MAX_VALUE;
            Outbox out = new Outbox();
            node.core.onTimeout(now, out);
            flush(node, out);
        });
    }

    private void runStoreTask(SimNode node, StoreTask task) {
        long latency = storeLatencyMillis;
        if (task instanceof StoreTask.Apply apply) {
            latency += apply.batch().size() / 50;
        }
        node.storeFreeAt = Math.max(now, node.storeFreeAt) + latency;
        int epoch = node.epoch;
        schedule(node.storeFreeAt, () -> {
            if (node.epoch != epoch || node.core == null) {
                return; // crashed before the transaction ran: nothing of it happened
            }
            StoreResult result = task.execute(node.backing);
            if (node.epoch != epoch || node.core == null) {
                return; // crashed during the store call (an external store can do that): the result is lost
            }
            Outbox out = new Outbox();
            node.core.onStoreResult(result, now, out);
            flush(node, out);
        });
    }

    // ---------------------------------------------------------------- the network

    private void send(SimNode from, Outgoing o) {
        byte[] frame;
        try {
            frame = from.codec.encode(o.message());
        } catch (IllegalArgumentException e) {
            stats.oversizeFrames++;
            return;
        }
        stats.count(o.message(), frame.length);
        if (o.channel() == Channel.DATAGRAM && frame.length > config.maxDatagramBytes()) {
            stats.oversizeDatagrams++;
            return;
        }
        SimNode to = byAddress.get(o.to());
        if (to == null) {
            stats.dropped++;
            return;
        }
        if (from.group != to.group) {
            stats.partitioned++;
            return;
        }
        SessionKey session = o.message() instanceof SyncMessage s ? s.session() : null;
        if (session != null && brokenSessions.contains(session)) {
            stats.dropped++;
            return;
        }
        double loss = o.channel() == Channel.DATAGRAM ? conditions.datagramLoss() : conditions.streamLoss();
        if (random.nextDouble() < loss) {
            stats.lost++;
            if (session != null) {
                breakSession(from, to, session);
            }
            return;
        }
        long at = now + conditions.sampleLatency(random) + from.extraLatency + to.extraLatency;
        if (session != null) {
            // A stream is ordered: nothing overtakes what was sent before it on the same session.
            SessionPath path = new SessionPath(from.index, to.index, session);
            at = Math.max(at, sessionClock.getOrDefault(path, 0L));
            sessionClock.put(path, at);
        }
        deliverAt(at, from, to, o.channel(), frame);
        if (session == null && random.nextDouble() < conditions.duplication()) {
            stats.duplicated++;
            deliverAt(now + conditions.sampleLatency(random) + from.extraLatency + to.extraLatency, from, to,
                    o.channel(), frame);
        }
    }

    private void deliverAt(long at, SimNode from, SimNode to, Channel channel, byte[] frame) {
        int epoch = to.epoch;
        schedule(at, () -> {
            // A datagram reaches whatever process now owns the port; stream data dies with the connection.
            if (to.core == null || from.group != to.group || (channel != Channel.DATAGRAM && to.epoch != epoch)) {
                stats.dropped++;
                return;
            }
            GossipMessage message;
            try {
                message = to.codec.decode(frame);
            } catch (DecodeException e) {
                stats.decodeFailures++;
                return;
            }
            stats.delivered++;
            Outbox out = new Outbox();
            to.core.onMessage(message, now, out);
            flush(to, out);
        });
    }

    private void breakSession(SimNode a, SimNode b, SessionKey session) {
        brokenSessions.add(session);
        stats.brokenSessions++;
        for (SimNode end : List.of(a, b)) {
            int epoch = end.epoch;
            schedule(now + conditions.sampleLatency(random), () -> {
                if (end.core != null && end.epoch == epoch) {
                    Outbox out = new Outbox();
                    end.core.onSessionBroken(session, now, out);
                    flush(end, out);
                }
            });
        }
    }

    /** Sites that wrote, with their heads: what every node must end up with. */
    public Map<SiteId, Long> writtenHeads() {
        Map<SiteId, Long> heads = new TreeMap<>();
        for (SimNode n : nodes) {
            long head = n.store().head(n.siteId);
            if (head > 0) {
                heads.put(n.siteId, head);
            }
        }
        return heads;
    }

    /** Whether every up node has every version every node wrote. */
    public boolean converged() {
        return lagging().isEmpty();
    }

    /** Up nodes missing some written version. */
    public List<SimNode> lagging() {
        Map<SiteId, Long> heads = writtenHeads();
        List<SimNode> lagging = new ArrayList<>();
        for (SimNode n : nodes) {
            if (n.isUp() && !heads.entrySet().stream().allMatch(e -> n.store().hasAllUpTo(e.getKey(), e.getValue()))) {
                lagging.add(n);
            }
        }
        return lagging;
    }

    public List<SimNode> upNodes() {
        return nodes.stream().filter(SimNode::isUp).toList();
    }
}
