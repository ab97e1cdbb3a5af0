package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.core.CoreStats;
import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.quic.QuicTransport;
import io.corrosion.gossip.wire.WireCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gossip node: SWIM membership, epidemic broadcast and anti-entropy sync over QUIC, for one store of
 * changesets. The driver's replication agent creates one per database file:
 *
 * <pre>{@code
 * GossipNode node = new GossipNode(config, store, listener);
 * node.start();                       // binds, joins through the seeds (retrying while they are down)
 * node.broadcast(changeset);          // after each local commit; never blocks, never throws for the network
 * node.members(); node.stats();       // for CorrosionConnection, Micrometer, JMX
 * node.close();                       // says goodbye, stops every thread, closes the transport
 * }</pre>
 *
 * <h2>Threads</h2>
 * The protocol cores run on one protocol thread; store tasks on two store threads (one applying, one reading for
 * sync), so a slow store never delays probes; events reach the listener on an event thread; the transport has its
 * own I/O threads. All are daemon threads named {@code corrosion-gossip-<node>-<role>} (the transport's
 * {@code corrosion-quic-*}); {@link #close()} ends them all before it returns. Every public method may be called
 * from any thread; none blocks except {@link #start()} (binding) and {@link #close()}.
 */
public final class GossipNode implements AutoCloseable {

    /** The node's threads are named {@code corrosion-gossip-<node>-<role>}. */
    public static final String THREAD_NAME_PREFIX = "corrosion-gossip";

    private static final Logger LOG = LoggerFactory.getLogger(GossipNode.class);
    private static final Duration EVENT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** Lifecycle: a node starts once and closes once; a closed node cannot restart (create a new one). */
    public enum State { NEW, RUNNING, CLOSED }

    private final GossipNodeConfig config;
    private final ChangesetStore store;
    private final GossipListener listener;
    private final NodeThreads threads;
    private final NodeCounters counters = new NodeCounters();
    private final WireCodec codec;
    private final FrameDecoder decoder;
    private final Object lifecycle = new Object();
    private volatile State state = State.NEW;
    private Transport transport;
    private EventDispatcher events;
    private InboundFrames inbound;
    private volatile ProtocolDriver driver;
    private volatile NodeAddress address;

    /**
     * @param store    where received changesets go and sync reads from; called on the store threads only
     * @param listener hears member and changeset events, on the event thread ({@link GossipListener#NONE}: none)
     */
    public GossipNode(GossipNodeConfig config, ChangesetStore store, GossipListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.threads = new NodeThreads(config.nodeName());
        this.codec = new WireCodec(config.gossip().maxFrameBytes());
        this.decoder = new FrameDecoder(config.nodeName(), codec, counters);
    }

    /**
     * Binds the transport, starts the threads and joins the cluster through the seeds (a seed that is down is
     * retried with back-off; the node works alone meanwhile). Returns once bound; joining goes on in the
     * background.
     *
     * @throws TransportException    if the address cannot be bound or the security settings are refused
     * @throws IllegalStateException if the node was started before
     */
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("a gossip node starts once; this one is " + state);
            }
            inbound = new InboundFrames(decoder);
            transport = config.transportDecorator().apply(new QuicTransport(config.transportConfig()));
            try {
                transport.start(inbound);
            } catch (RuntimeException e) {
                state = State.CLOSED;
                transport.close();
                throw e;
            }
            InetSocketAddress bound = transport.localAddress();
            address = config.advertiseAddress() != null ? config.advertiseAddress()
                    : new NodeAddress(bound.getAddress().getHostAddress(), bound.getPort());
            // Wall-clock milliseconds exceed any incarnation this site used before (see Membership).
            Member self = new Member(config.siteId(), address, System.currentTimeMillis());
            GossipCore core = new GossipCore(config.gossip(), self, config.seeds(), new SplittableRandom());
            events = new EventDispatcher(config.nodeName(), listener, config.eventQueueCapacity(), threads, counters);
            ProtocolDriver started = new ProtocolDriver(config, core, transport, store, codec, decoder, counters,
                    events, threads);
            started.start();
            inbound.attach(started);
            driver = started;
            state = State.RUNNING;
        }
        LOG.info("[{}] gossip node started: site {} at {} (bound {}), seeds {}", config.nodeName(), config.siteId(),
                address, transport.localAddress(), config.seeds());
    }

    /**
     * Hands a changeset this node committed (already in its store) to broadcast. Never blocks and never fails for
     * network reasons: it returns {@code false} when the changeset was not taken — the hand-off queue is full
     * (the protocol thread is {@link GossipNodeConfig#broadcastHandoffCapacity()} changesets behind) or the node
     * is not running — and peers then get it by sync, a few seconds later. Counted in {@link #stats()}.
     *
     * @throws IllegalArgumentException if the changeset is not of this node's site, or larger than
     *                                  {@link #maxChangesetBytes()} (chunk big versions by seq range)
     */
    public boolean broadcast(Changeset changeset) {
        check(changeset);
        ProtocolDriver running = driver;
        return counted(state == State.RUNNING && running != null && running.offerBroadcast(changeset));
    }

    /**
     * {@link #broadcast} for several changesets at once (a publish round's): they leave together, as one message per
     * peer, where one at a time they could leave one each. Returns how many were taken; the rest go by sync.
     *
     * @throws IllegalArgumentException as {@link #broadcast}, before any is taken
     */
    public int broadcast(List<Changeset> changesets) {
        changesets.forEach(this::check);
        ProtocolDriver running = driver;
        if (state != State.RUNNING || running == null) {
            changesets.forEach(c -> counted(false));
            return 0;
        }
        int taken = 0;
        for (boolean t : running.offerBroadcasts(changesets)) {
            taken += counted(t) ? 1 : 0;
        }
        return taken;
    }

    private void check(Changeset changeset) {
        Objects.requireNonNull(changeset, "changeset");
        if (!changeset.siteId().equals(config.siteId())) {
            throw new IllegalArgumentException("a node broadcasts its own changesets (site " + config.siteId()
                    + "), not site " + changeset.siteId() + "'s");
        }
        int size = WireCodec.changesetSize(changeset);
        if (size > maxChangesetBytes()) {
            throw new IllegalArgumentException("changeset of " + size + " bytes exceeds the maximum of "
                    + maxChangesetBytes() + "; chunk the version by seq range");
        }
    }

    private boolean counted(boolean taken) {
        (taken ? counters.changesetsBroadcast : counters.broadcastsDropped).increment();
        return taken;
    }

    /** Largest encoded changeset {@link #broadcast} takes ({@link WireCodec#changesetSize}). */
    public int maxChangesetBytes() {
        return GossipCore.maxChangesetBytes(config.gossip());
    }

    public SiteId siteId() {
        return config.siteId();
    }

    public GossipNodeConfig config() {
        return config;
    }

    public State state() {
        return state;
    }

    /** This node as members see it: site id, advertised address, current incarnation. */
    public Member self() {
        return started().snapshots().self();
    }

    /** Where peers reach this node (the advertise address, or the bound one). */
    public NodeAddress address() {
        started();
        return address;
    }

    /**
     * The other members this node knows, with their status (alive, suspect, dead, left), sorted by site id. A
     * snapshot, current within one protocol step; dead members are forgotten after the dead retention.
     */
    public List<MemberInfo> members() {
        return started().snapshots().members();
    }

    /** The counters and gauges; see {@link GossipNodeStats}. Cheap: poll it. */
    public GossipNodeStats stats() {
        ProtocolDriver running = started();
        CoreStats core = running.snapshots().coreStats();
        int alive = 0;
        int suspect = 0;
        int down = 0;
        for (MemberInfo member : running.snapshots().members()) {
            if (member.status() == MemberStatus.ALIVE) {
                alive++;
            } else if (member.status() == MemberStatus.SUSPECT) {
                suspect++;
            } else {
                down++;
            }
        }
        return new GossipNodeStats(counters.changesetsBroadcast.sum(), counters.broadcastsDropped.sum(),
                core.broadcast().delivered() + core.sync().changesetsReceived(),
                core.apply().newFromBroadcast() + core.apply().newFromSync(), core.sync().completed(),
                decoder.rejected(), new GossipNodeStats.Members(alive, suspect, down), running.queues(),
                counters.snapshot(), core, transport.metrics());
    }

    /**
     * Leaves the cluster: first hands this node's own versions over (up to the handover timeout, until a live peer
     * answers that it holds every one; a broadcast reported sent may never have arrived), then says goodbye (the
     * broadcasts already handed to the node are sent first, and members hear a goodbye instead of having to detect a
     * failure); stops the protocol and
     * store threads (a store task that is running finishes first, up to the store shutdown timeout), closes the
     * transport, delivers the events still queued to the listener, and returns when every thread of this node
     * has ended. Idempotent.
     *
     * @throws IllegalStateException if called on one of this node's threads (a listener, a store call): it would
     *                               wait for itself
     */
    @Override
    public void close() {
        stop(true);
    }

    /** Runs {@code task} on the protocol thread (tests: to hold it up). */
    void onProtocolThread(Runnable task) {
        started().onProtocolThread("test task", task);
    }

    /** Stops without a goodbye, as a crash would look to the others (tests). */
    void kill() {
        stop(false);
    }

    private void stop(boolean leave) {
        if (threads.isCurrentThreadOurs()) {
            throw new IllegalStateException("close() waits for the gossip node's threads to end: call it from "
                    + "your own thread, not from a listener or the store");
        }
        synchronized (lifecycle) {
            State was = state;
            state = State.CLOSED;
            if (was != State.RUNNING) {
                return;
            }
            driver.stop(leave);
            inbound.detach();
            transport.close();
            events.close(EVENT_DRAIN_TIMEOUT);
        }
        LOG.info("[{}] gossip node stopped{}: site {} at {}", config.nodeName(), leave ? "" : " without leaving",
                config.siteId(), address);
    }

    private ProtocolDriver started() {
        ProtocolDriver running = driver;
        if (running == null) {
            throw new IllegalStateException("the gossip node is not started");
        }
        return running;
    }

    @Override
    public String toString() {
        return "GossipNode[" + config.nodeName() + ", site " + config.siteId().shortString() + ", "
                + (address != null ? address : config.bindAddress()) + ", " + state + "]";
    }
}
