package io.corrosion.gossip.core;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.ChangesetSource;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.broadcast.BroadcastOutput;
import io.corrosion.gossip.broadcast.Broadcaster;
import io.corrosion.gossip.membership.Membership;
import io.corrosion.gossip.membership.MembershipOutput;
import io.corrosion.gossip.sync.SyncEngine;
import io.corrosion.gossip.sync.SyncOutput;
import io.corrosion.gossip.wire.BroadcastBatch;
import io.corrosion.gossip.wire.BroadcastMessage;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.MembershipMessage;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncMessage;
import io.corrosion.gossip.wire.WireCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One gossip node's protocol state: membership, broadcast and sync cores plus the queue to the store, behind one
 * sans-IO face. Every method takes the current monotonic time in milliseconds and appends what to do to an
 * {@link Outbox}; {@link #nextTimeout()} says when {@link #onTimeout} wants to run. One thread drives it.
 */
public final class GossipCore {

    private final GossipConfig config;
    private final Membership membership;
    private final Broadcaster broadcaster;
    private final SyncEngine sync;
    private final ApplyPipeline pipeline;
    private final Map<Long, SessionKey> syncTasks = new HashMap<>();
    private long nextTaskId;
    private Outbox out;
    /** The time of the call being handled, for what the output callbacks stamp (apply queue entries). */
    private long now;

    private final MembershipOutput membershipOut = new MembershipOutput() {
        @Override
        public void send(NodeAddress to, MembershipMessage message) {
            out.send(Outgoing.of(to, message));
        }

        @Override
        public void event(GossipEvent event) {
            out.event(event);
        }
    };

    private final BroadcastOutput broadcastOut = new BroadcastOutput() {
        @Override
        public void send(NodeAddress to, BroadcastMessage message) {
            out.send(Outgoing.of(to, message));
        }

        @Override
        public void deliver(Changeset changeset, int hops) {
            submit(changeset, ChangesetSource.BROADCAST, hops);
        }
    };

    private final SyncOutput syncOut = new SyncOutput() {
        @Override
        public void send(NodeAddress to, SyncMessage message) {
            out.send(Outgoing.of(to, message));
        }

        @Override
        public void requestState(SessionKey session) {
            long id = nextTaskId++;
            syncTasks.put(id, session);
            out.task(new StoreTask.ReadState(id, session));
        }

        @Override
        public void requestRead(SessionKey session, List<SyncNeed> needs, int maxBytes) {
            long id = nextTaskId++;
            syncTasks.put(id, session);
            out.task(new StoreTask.Read(id, session, needs, maxBytes));
        }

        @Override
        public void received(List<Changeset> changesets) {
            for (Changeset cs : changesets) {
                if (!cs.siteId().equals(membership.self().siteId())) {
                    broadcaster.remember(cs.id());
                    submit(cs, ChangesetSource.SYNC, 0);
                }
            }
        }

        @Override
        public void sessionClosed(NodeAddress peer, SessionKey session, boolean clean) {
            out.closed(new Outbox.SessionClosed(peer, session, clean));
        }

        @Override
        public void ownSiteBehind(NodeAddress peer, long theirHead, long ourHead) {
            out.event(new GossipEvent.OwnSiteBehind(peer, theirHead, ourHead));
        }
    };

    /**
     * @param self this node; its incarnation must exceed any incarnation it used before (wall-clock millis at
     *     start do)
     * @param seeds addresses to join through (may include our own; it is ignored)
     * @param random the only source of randomness, seeded in simulations
     */
    public GossipCore(GossipConfig config, Member self, List<NodeAddress> seeds, RandomGenerator random) {
        this.config = config;
        this.membership = new Membership(config, self, seeds, random);
        this.broadcaster = new Broadcaster(config, self.siteId(), membership, random);
        this.sync = new SyncEngine(config, membership::self, membership, random);
        this.pipeline = new ApplyPipeline(config);
    }

    public void start(long now, Outbox outbox) {
        enter(now, outbox);
        membership.start(now, membershipOut);
        sync.start(now);
    }

    /** A decoded message from a peer. */
    public void onMessage(GossipMessage message, long now, Outbox outbox) {
        enter(now, outbox);
        if (message instanceof MembershipMessage m) {
            membership.onMessage(m, now, membershipOut);
        } else if (message instanceof BroadcastMessage b) {
            broadcaster.onMessage(b, now, broadcastOut);
        } else if (message instanceof BroadcastBatch batch) {
            for (BroadcastMessage b : batch.messages()) {
                broadcaster.onMessage(b, now, broadcastOut);
            }
        } else {
            sync.onMessage((SyncMessage) message, now, syncOut);
        }
        dispatchApply();
    }

    public void onTimeout(long now, Outbox outbox) {
        enter(now, outbox);
        membership.onTimeout(now, membershipOut);
        broadcaster.onTimeout(now, broadcastOut);
        sync.onTimeout(now, syncOut);
        dispatchApply();
    }

    /** When {@link #onTimeout} wants to run next (Long.MAX_VALUE: never). */
    public long nextTimeout() {
        long protocols = Math.min(membership.nextTimeout(), Math.min(broadcaster.nextTimeout(), sync.nextTimeout()));
        return Math.min(protocols, pipeline.lingerDeadline(now));
    }

    /**
     * Spreads a changeset this node committed (already in its own store). It must fit
     * {@link #maxChangesetBytes()}: the driver chunks big versions by seq range.
     */
    public void broadcast(Changeset changeset, long now, Outbox outbox) {
        enter(now, outbox);
        int size = WireCodec.changesetSize(changeset);
        if (size > maxChangesetBytes()) {
            throw new IllegalArgumentException("changeset of " + size + " bytes exceeds the maximum of "
                    + maxChangesetBytes() + "; chunk the version by seq range");
        }
        broadcaster.broadcastLocal(changeset, now, broadcastOut);
    }

    /** Largest encoded changeset this node accepts to broadcast: half a frame, so sync batches always fit one. */
    public int maxChangesetBytes() {
        return maxChangesetBytes(config);
    }

    /** {@link #maxChangesetBytes()} for a configuration, for callers that check before handing a changeset over. */
    public static int maxChangesetBytes(GossipConfig config) {
        return config.maxFrameBytes() / 2 - WireCodec.SYNC_BATCH_OVERHEAD_BYTES;
    }

    /**
     * Whether received changesets pile up before the store: more than half the apply queue's item or byte bound.
     * A runtime stops reading sync streams while it holds, so sync does not overflow the queue it feeds.
     */
    public boolean applyBacklogHigh() {
        return pipeline.queued() > config.applyQueueMaxItems() / 2
                || pipeline.queuedBytes() > config.applyQueueMaxBytes() / 2;
    }

    /** How long the oldest received changeset not yet stored has waited (0 when none waits): the apply lag. */
    public long applyLagMillis(long now) {
        long since = pipeline.oldestWaitingSince();
        return since == Long.MAX_VALUE ? 0 : Math.max(0, now - since);
    }

    /** Whether the apply queue drained below a quarter of its bounds: sync streams may be read again. */
    public boolean applyBacklogLow() {
        return pipeline.queued() < config.applyQueueMaxItems() / 4
                && pipeline.queuedBytes() < config.applyQueueMaxBytes() / 4;
    }

    /** The result of a {@link StoreTask} this core emitted. */
    public void onStoreResult(StoreResult result, long now, Outbox outbox) {
        enter(now, outbox);
        if (pipeline.owns(result.id())) {
            if (result instanceof StoreResult.Applied applied) {
                pipeline.applied(applied.outcomes(), out::event, (item, outcome) -> {
                    broadcaster.stored(item.changeset().id(), outcome == ApplyOutcome.NEW, now, broadcastOut);
                    if (outcome == ApplyOutcome.REJECTED) {
                        sync.refused(item.changeset(), now);
                    }
                });
            } else {
                pipeline.failed().forEach(item -> broadcaster.forget(item.changeset().id()));
            }
        } else {
            SessionKey session = syncTasks.remove(result.id());
            if (session != null) {
                if (result instanceof StoreResult.State state) {
                    sync.onLocalState(session, state.state(), now, syncOut);
                } else if (result instanceof StoreResult.ReadDone read) {
                    sync.onReadResult(session, read.batch(), now, syncOut);
                } else {
                    sync.onStoreFailure(session, now, syncOut);
                }
            }
        }
        dispatchApply();
    }

    /** The transport lost a sync session's stream. */
    public void onSessionBroken(SessionKey session, long now, Outbox outbox) {
        enter(now, outbox);
        sync.onSessionBroken(session, now, syncOut);
    }

    /**
     * Before leaving: hands this node's own versions over to a live peer (see {@link SyncEngine#handOver}); false if
     * no member is alive. {@link #handedOver} tells when a peer holds them all.
     */
    public boolean handOver(long now, Outbox outbox) {
        enter(now, outbox);
        return sync.handOver(now, syncOut);
    }

    public boolean handedOver() {
        return sync.handedOver();
    }

    /** Whether every member left or died before one held this node's versions. */
    public boolean handoverAbandoned() {
        return sync.handoverAbandoned();
    }

    /** How the handover stands, for the log. */
    public String handoverProgress() {
        return sync.handoverProgress();
    }

    /** Leaves the cluster gracefully; the core stays quiet afterwards. */
    public void leave(long now, Outbox outbox) {
        enter(now, outbox);
        membership.leave(now, membershipOut);
    }

    /** Membership, for queries (members, statuses, self). */
    public Membership membership() {
        return membership;
    }

    public Member self() {
        return membership.self();
    }

    public CoreStats stats() {
        long duplicates = 0;
        long rejected = 0;
        for (ChangesetSource source : ChangesetSource.values()) {
            duplicates += pipeline.count(ApplyOutcome.DUPLICATE, source);
            rejected += pipeline.count(ApplyOutcome.REJECTED, source);
        }
        return new CoreStats(membership.stats(), broadcaster.stats(), sync.stats(), new CoreStats.ApplyStats(
                pipeline.count(ApplyOutcome.NEW, ChangesetSource.BROADCAST),
                pipeline.count(ApplyOutcome.NEW, ChangesetSource.SYNC), duplicates, rejected, pipeline.dropped(),
                pipeline.failedBatches(), pipeline.queued()));
    }

    private void enter(long callTime, Outbox outbox) {
        now = callTime;
        out = outbox;
    }

    private void submit(Changeset changeset, ChangesetSource source, int hops) {
        pipeline.submit(changeset, source, hops, now, dropped -> broadcaster.forget(dropped.changeset().id()));
    }

    private void dispatchApply() {
        StoreTask.Apply task = pipeline.next(nextTaskId, now);
        if (task != null) {
            nextTaskId++;
            out.task(task);
        }
    }
}
