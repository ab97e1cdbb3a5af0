package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.Channel;
import io.corrosion.gossip.ChangesetSource;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.core.CoreStats;
import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.core.Outbox;
import io.corrosion.gossip.core.Outgoing;
import io.corrosion.gossip.core.StoreTask;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.wire.BroadcastMessage;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncMessage;
import io.corrosion.gossip.wire.WireCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link GossipCore} on the protocol thread: every input (received frame, local broadcast, timer,
 * store result, session event) runs there as one step, and after each step the core's outbox is worked off —
 * frames to the transport, store tasks to the store threads, events to the log and the listener, closed sessions
 * to their exchanges — the timer re-armed and the snapshots refreshed. A step that throws is logged and counted;
 * the node carries on.
 */
final class ProtocolDriver implements SessionLinks.Host {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolDriver.class);
    private static final long STATS_REFRESH_MILLIS = 50;

    private final GossipNodeConfig config;
    private final String name;
    private final GossipCore core;
    private final Transport transport;
    private final WireCodec codec;
    private final NodeCounters counters;
    private final EventDispatcher events;
    private final ThreadPoolExecutor resolver;
    private final AddressBook addresses;
    private final SessionLinks sessions;
    private final BroadcastLanes broadcasts;
    private final NodeSnapshots snapshots;
    private final ScheduledThreadPoolExecutor protocol;
    private final StoreWorkers store;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 5, 10_000);
    private final JoinWatch joinWatch;
    private final NodeEventLog eventLog;
    private final Outbox outbox = new Outbox();
    private final long epochNanos = System.nanoTime();

    private final BroadcastHandoff handoff;
    private final AtomicInteger inboundFrames = new AtomicInteger();
    private final AtomicLong inboundBytes = new AtomicLong();

    // Protocol thread only.
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;
    private long statsAt = Long.MIN_VALUE / 2;
    private boolean statsRefreshScheduled;
    private boolean readingPaused;
    private List<CompletableFuture<Void>> trackedSends;
    /** The handover under way before the goodbye, if any. */
    private LeaveHandover handover;

    ProtocolDriver(GossipNodeConfig config, GossipCore core, Transport transport, ChangesetStore store,
            WireCodec codec, FrameDecoder decoder, NodeCounters counters, EventDispatcher events,
            NodeThreads threads) {
        this.config = config;
        this.name = config.nodeName();
        this.core = core;
        this.joinWatch = new JoinWatch(name, config.seeds().stream().filter(a -> !a.equals(config.advertiseAddress()))
                .toList(), () -> !core.membership().livePeers().isEmpty());
        this.transport = transport;
        this.codec = codec;
        this.counters = counters;
        this.events = events;
        this.resolver = threads.pool("resolver", AddressBook.RESOLVER_THREADS);
        this.addresses = new AddressBook(AddressBook::systemLookup, resolver,
                answer -> onProtocolThread("address looked up", answer), warnings);
        this.sessions = new SessionLinks(name, core.self().siteId(), transport, addresses, decoder,
                config.gossip().maxInboundSyncsPerPeer(), this);
        this.broadcasts = new BroadcastLanes(transport, codec, this, counters);
        this.snapshots = new NodeSnapshots(core);
        this.eventLog = new NodeEventLog(name, snapshots, this::schedule);
        this.handoff = new BroadcastHandoff(config.broadcastHandoffCapacity(),
                () -> onProtocolThread("broadcast", this::drainHandoff));
        this.protocol = threads.scheduler("protocol");
        this.store = new StoreWorkers(name, store, threads, counters, result ->
                onProtocolThread("store result", () -> core.onStoreResult(result, now(), outbox)));
    }

    // ---------------------------------------------------------------- inputs, from any thread

    void start() {
        onProtocolThread("start", () -> core.start(now(), outbox));
        if (joinWatch.needed()) {
            schedule("joined check", JoinWatch.periodMillis, this::checkJoined);
        }
    }

    private void checkJoined() {
        if (joinWatch.stillAlone()) {
            schedule("joined check", JoinWatch.periodMillis, this::checkJoined);
        }
    }

    /** A local changeset for broadcast; false if the hand-off is full. Never blocks. */
    boolean offerBroadcast(Changeset changeset) {
        return handoff.offer(changeset);
    }

    /** Local changesets for broadcast, taken by one protocol step; whether each was taken. Never blocks. */
    boolean[] offerBroadcasts(List<Changeset> changesets) {
        return handoff.offer(changesets);
    }

    /** A decoded datagram or message; false if dropped because the protocol thread is too far behind. */
    boolean receive(GossipMessage message, int bytes) {
        return submitInbound(bytes, () -> core.onMessage(message, now(), outbox));
    }

    /** The handler for a sync exchange a peer opened. */
    ExchangeHandler acceptExchange() {
        return sessions.accept();
    }

    @Override
    public boolean submitInbound(int bytes, Runnable step) {
        int frames = inboundFrames.incrementAndGet();
        long total = inboundBytes.addAndGet(bytes);
        if (frames > config.inboundMaxFrames() || total > config.inboundMaxBytes()) {
            releaseInbound(bytes);
            counters.inboundDropped.increment();
            warnings.warn("[" + name + "] the protocol thread is " + frames + " frames behind: dropping received "
                    + "frames (sync repairs what broadcast loses)");
            return false;
        }
        onProtocolThread("receive", () -> {
            releaseInbound(bytes);
            step.run();
        });
        return true;
    }

    private void releaseInbound(int bytes) {
        inboundFrames.decrementAndGet();
        inboundBytes.addAndGet(-bytes);
    }

    @Override
    public void onProtocolThread(String what, Runnable step) {
        try {
            protocol.execute(() -> step(what, step));
        } catch (RejectedExecutionException stopped) {
            LOG.trace("[{}] {} after stop: ignored", name, what);
        }
    }

    // ---------------------------------------------------------------- SessionLinks.Host (protocol thread)

    @Override
    public void deliver(SyncMessage message) {
        core.onMessage(message, now(), outbox);
    }

    @Override
    public void broken(SessionKey session) {
        core.onSessionBroken(session, now(), outbox);
    }

    @Override
    public void sendFailed(String what, Throwable cause) {
        counters.sendFailures.increment();
        LOG.debug("[{}] could not send {}: {}", name, what, String.valueOf(cause));
    }

    // ---------------------------------------------------------------- queries, any thread

    NodeSnapshots snapshots() {
        return snapshots;
    }

    GossipNodeStats.Queues queues() {
        CoreStats core = snapshots.coreStats();
        return new GossipNodeStats.Queues(handoff.size(), inboundFrames.get(), inboundBytes.get(),
                core.apply().queued(), snapshots.applyLagMillis(), core.broadcast().queued(), broadcasts.waiting(),
                events.queued(), core.sync().open());
    }

    // ---------------------------------------------------------------- the step and what follows it

    private void step(String what, Runnable step) {
        try {
            step.run();
            flush();
            armTimer();
            checkBacklog();
            refreshSnapshots();
            eventLog.scheduleProgressLog();
            checkHandover();
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            // A bug in a core or here: the executor would swallow it silently. Say so, and go on with the next step.
            counters.protocolErrors.increment();
            LOG.error("[{}] gossip protocol step '{}' failed; the node carries on", name, what, e);
        }
    }

    private void drainHandoff() {
        handoff.drain(changeset -> {
            try {
                core.broadcast(changeset, now(), outbox);
            } catch (IllegalArgumentException refused) {
                // GossipNode.broadcast checked it already; one bad changeset must not hold up the others.
                counters.protocolErrors.increment();
                warnings.warn("[" + name + "] not broadcast: " + refused.getMessage());
            }
        });
    }

    /** Works the outbox off; store results and session failures may add to it, so until it is empty. */
    private void flush() {
        while (!outbox.isEmpty()) {
            for (Outgoing outgoing : outbox.drainMessages()) {
                send(outgoing);
            }
            for (StoreTask task : outbox.drainStoreTasks()) {
                runStoreTask(task);
            }
            for (GossipEvent event : outbox.drainEvents()) {
                onEvent(event);
            }
            for (Outbox.SessionClosed closed : outbox.drainClosedSessions()) {
                sessions.closed(closed.session(), closed.clean());
            }
        }
        broadcasts.sendQueued();
    }

    private void send(Outgoing outgoing) {
        if (outgoing.message() instanceof BroadcastMessage broadcast) {
            addresses.whenResolved(outgoing.to(), to -> {
                if (to == null) {
                    counters.sendFailures.increment();
                } else {
                    broadcasts.queue(to, broadcast); // sent at the end of this step's flush
                }
            });
            return;
        }
        byte[] frame;
        try {
            frame = codec.encode(outgoing.message());
        } catch (IllegalArgumentException tooLarge) {
            counters.sendFailures.increment();
            warnings.warn("[" + name + "] not sent to " + outgoing.to() + ": " + tooLarge.getMessage());
            return;
        }
        if (outgoing.channel() == Channel.SESSION) {
            sessions.send(outgoing.to(), (SyncMessage) outgoing.message(), frame);
            return;
        }
        addresses.whenResolved(outgoing.to(), to -> send(outgoing, frame, to));
    }

    private void send(Outgoing outgoing, byte[] frame, InetSocketAddress to) {
        if (to == null) {
            counters.sendFailures.increment();
            return;
        }
        CompletionStage<Void> sent = outgoing.channel() == Channel.DATAGRAM
                ? transport.sendDatagram(to, frame) : transport.sendMessage(to, frame);
        CompletableFuture<Void> tracked = sent.toCompletableFuture().whenComplete((ignored, failure) -> {
            if (failure != null) {
                sendFailed(outgoing.message().getClass().getSimpleName() + " to " + outgoing.to(), failure);
            }
        });
        if (trackedSends != null) {
            trackedSends.add(tracked);
        }
    }

    private void runStoreTask(StoreTask task) {
        if (task instanceof StoreTask.Read read) {
            sessions.afterSent(read.session(), () -> store.run(task));
        } else {
            store.run(task);
        }
    }

    private void onEvent(GossipEvent event) {
        if (event instanceof GossipEvent.ChangesetApplied applied) {
            if (applied.source() == ChangesetSource.SYNC) {
                eventLog.syncApplied();
            }
        } else if (event instanceof GossipEvent.OwnSiteBehind behind) {
            eventLog.ownSiteBehind(behind);
        } else if (event instanceof GossipEvent.SiteIdShared shared) {
            eventLog.siteIdShared(shared);
        } else {
            eventLog.memberEvent(event);
            if (event instanceof GossipEvent.MemberDown down) {
                disconnect(down);
            }
            snapshots.membersChanged();
        }
        events.publish(event);
    }

    /** Whatever connection we hold to a member that is down is useless now; if it comes back, we dial afresh. */
    private void disconnect(GossipEvent.MemberDown down) {
        InetSocketAddress address = addresses.resolve(down.member().address());
        if (address != null) {
            transport.disconnect(address);
        }
    }

    private void armTimer() {
        long next = core.nextTimeout();
        if (next >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = next;
        // At least a millisecond: a core that kept asking for "now" would otherwise spin the protocol thread.
        timer = schedule("timer", Math.max(1, next - now()), () -> {
            timerAt = Long.MAX_VALUE;
            timer = null;
            core.onTimeout(now(), outbox);
        });
    }

    private void checkHandover() {
        if (handover != null && handover.check(core)) {
            handover = null;
        }
    }

    /** Sync streams are read no faster than the store applies what they bring. */
    private void checkBacklog() {
        if (!readingPaused && core.applyBacklogHigh()) {
            readingPaused = true;
            counters.syncPausedReading.increment();
            LOG.debug("[{}] apply queue filling up: pausing sync streams", name);
            sessions.pauseReading(true);
        } else if (readingPaused && core.applyBacklogLow()) {
            readingPaused = false;
            LOG.debug("[{}] apply queue drained: resuming sync streams", name);
            sessions.pauseReading(false);
        }
    }

    private void refreshSnapshots() {
        long now = now();
        snapshots.refreshMembers(now);
        if (now - statsAt >= STATS_REFRESH_MILLIS) {
            statsAt = now;
            snapshots.refreshStats(now);
        } else if (!statsRefreshScheduled) {
            statsRefreshScheduled = true;
            schedule("stats", STATS_REFRESH_MILLIS - (now - statsAt), () -> statsRefreshScheduled = false);
        }
    }

    private ScheduledFuture<?> schedule(String what, long delayMillis, Runnable step) {
        try {
            return protocol.schedule(() -> step(what, step), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            return null;
        }
    }

    long now() {
        return (System.nanoTime() - epochNanos) / 1_000_000;
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Stops the node's threads. With {@code leave}, first hands this node's versions over ({@link LeaveHandover}),
     * then says goodbye (waiting up to the leave timeout for the
     * goodbyes and the broadcasts already queued to be sent); then drops whatever waits for the protocol thread and
     * stops the store threads.
     */
    void stop(boolean leave) {
        if (leave) {
            handOver();
            CompletableFuture<Void> goodbyeSent = new CompletableFuture<>();
            onProtocolThread("leave", () -> {
                trackedSends = new ArrayList<>();
                core.leave(now(), outbox);
                sessions.abortAll("node leaving");
                flush();
                trackedSends.add(broadcasts.drained()); // the last broadcasts leave before the node does
                CompletableFuture.allOf(trackedSends.toArray(CompletableFuture[]::new))
                        .whenComplete((ignored, failure) -> goodbyeSent.complete(null));
                trackedSends = null;
            });
            try {
                goodbyeSent.get(config.leaveTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.debug("[{}] goodbye not sent within {}", name, config.leaveTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        protocol.shutdown();
        protocol.getQueue().clear();
        // shutdown() woke the idle thread before the tasks left the queue; one that went back to waiting for them
        // would wait for ever. purge() wakes it again now that the queue is empty, and it ends.
        protocol.purge();
        resolver.shutdownNow(); // a lookup stuck in DNS ends with its (daemon) thread
        try {
            if (!protocol.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("[{}] the protocol thread did not stop within 5 s; it is at:{}", name,
                        NodeThreads.stackOf(name, "protocol"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.stop(config.storeShutdownTimeout());
    }

    /** Before the goodbye: waits up to the handover timeout for a live peer to hold every version of ours. */
    private void handOver() {
        if (config.handoverTimeout().isZero()) {
            return;
        }
        LeaveHandover h = new LeaveHandover(name, config.handoverTimeout());
        onProtocolThread("hand over", () -> {
            if (h.begin(core, now(), outbox)) {
                handover = h;
            }
        });
        h.await();
    }
}
