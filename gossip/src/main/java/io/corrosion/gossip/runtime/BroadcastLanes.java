package io.corrosion.gossip.runtime;

import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.wire.BroadcastBatch;
import io.corrosion.gossip.wire.BroadcastMessage;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.WireCodec;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Broadcasts on their way to each peer. While no message is in flight to a peer, a broadcast leaves at once on its
 * own; while one is, the next ones wait, and leave together as one {@link BroadcastBatch} when it completed (the
 * frame was handed to the peer's stream). Light load pays no delay; under load the batches grow by themselves with
 * the time a send takes, so a busy node pays one frame, packet and receive step per peer for many changesets
 * instead of one per changeset (Corrosion batches its broadcasts too, on a timer). What waits is bounded in bytes
 * over all peers; beyond the bound a peer's oldest waiting broadcast is dropped (sync delivers it).
 *
 * <p>{@link #send} runs on the protocol thread; a finished send pumps the next batch on the transport thread that
 * finished it, so the protocol thread pays one step per broadcast, not two. Each lane is guarded by its own lock;
 * one pump at a time runs per lane, in a loop (a send that fails at once does not recurse).
 */
final class BroadcastLanes {

    static final int MAX_IN_FLIGHT = 1;
    private static final int MAX_BATCH_BYTES = 256 << 10;
    private static final long MAX_WAITING_BYTES = 32L << 20;

    private static final class Lane {
        final InetSocketAddress to;
        final ArrayDeque<BroadcastMessage> waiting = new ArrayDeque<>();
        /** Completed when nothing waits and nothing is in flight ({@link #drained}). */
        final List<CompletableFuture<Void>> idle = new ArrayList<>();
        int inFlight;
        boolean pumping;

        Lane(InetSocketAddress to) {
            this.to = to;
        }
    }

    private final Transport transport;
    private final WireCodec codec;
    private final DriverCallbacks host;
    private final NodeCounters counters;
    private final int maxBatchBytes;
    private final Map<InetSocketAddress, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waitingBytes = new AtomicLong();
    /** Lanes given broadcasts by {@link #queue} since the last {@link #sendQueued}; protocol thread only. */
    private final List<Lane> queued = new ArrayList<>();

    BroadcastLanes(Transport transport, WireCodec codec, DriverCallbacks host, NodeCounters counters) {
        this.transport = transport;
        this.codec = codec;
        this.host = host;
        this.counters = counters;
        this.maxBatchBytes = Math.min(MAX_BATCH_BYTES, codec.maxFrameBytes() / 2);
    }

    /** Queues a broadcast for {@code to} and sends what the lane allows. Protocol thread. */
    void send(InetSocketAddress to, BroadcastMessage message) {
        pump(enqueue(to, message));
    }

    /**
     * Queues a broadcast for {@code to} to leave at the next {@link #sendQueued}: the broadcasts of one protocol step
     * (the local commits the agent handed over together) then leave as one batch per peer, one packet where one would
     * go per changeset. Protocol thread.
     */
    void queue(InetSocketAddress to, BroadcastMessage message) {
        Lane lane = enqueue(to, message);
        if (!queued.contains(lane)) {
            queued.add(lane);
        }
    }

    /** Sends what the lanes given broadcasts by {@link #queue} allow. Protocol thread. */
    void sendQueued() {
        for (Lane lane : queued) {
            pump(lane);
        }
        queued.clear();
    }

    private Lane enqueue(InetSocketAddress to, BroadcastMessage message) {
        Lane lane = lanes.computeIfAbsent(to, Lane::new);
        int size = WireCodec.broadcastEntrySize(message);
        synchronized (lane) {
            lane.waiting.addLast(message);
            waiting.incrementAndGet();
            long total = waitingBytes.addAndGet(size);
            while (total > MAX_WAITING_BYTES && lane.waiting.size() > 1) {
                BroadcastMessage dropped = lane.waiting.pollFirst();
                waiting.decrementAndGet();
                total = waitingBytes.addAndGet(-WireCodec.broadcastEntrySize(dropped));
                counters.broadcastsDroppedWaiting.increment();
            }
        }
        return lane;
    }

    /**
     * Completes when every broadcast queued so far has been handed to its peer's stream, or failed (a node that is
     * leaving sends what it has before it closes). Any thread.
     */
    CompletableFuture<Void> drained() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                if (lane.inFlight > 0 || !lane.waiting.isEmpty()) {
                    CompletableFuture<Void> idle = new CompletableFuture<>();
                    lane.idle.add(idle);
                    all.add(idle);
                }
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Broadcasts waiting for a stream, over all peers. Any thread. */
    int waiting() {
        return waiting.get();
    }

    private void pump(Lane lane) {
        synchronized (lane) {
            if (lane.pumping) {
                return; // the running pump sees what changed when it checks the lane again
            }
            lane.pumping = true;
        }
        while (true) {
            List<BroadcastMessage> batch = null;
            List<CompletableFuture<Void>> idle = List.of();
            synchronized (lane) {
                if (lane.inFlight < MAX_IN_FLIGHT && !lane.waiting.isEmpty()) {
                    batch = take(lane);
                    lane.inFlight++;
                } else {
                    lane.pumping = false;
                    if (lane.inFlight == 0 && !lane.idle.isEmpty()) {
                        idle = new ArrayList<>(lane.idle);
                        lane.idle.clear();
                    }
                }
            }
            if (batch == null) {
                idle.forEach(f -> f.complete(null));
                return;
            }
            transmit(lane, batch);
        }
    }

    private void transmit(Lane lane, List<BroadcastMessage> batch) {
        GossipMessage message = batch.size() == 1 ? batch.get(0) : new BroadcastBatch(batch);
        if (batch.size() > 1) {
            counters.broadcastBatches.increment();
        }
        transport.sendMessage(lane.to, codec.encode(message)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                host.sendFailed(batch.size() + " broadcast(s) to " + lane.to, failure);
            }
            synchronized (lane) {
                lane.inFlight--;
            }
            pump(lane);
        });
    }

    /** The oldest waiting broadcast, and as many after it as fit one batch. Under the lane's lock. */
    private List<BroadcastMessage> take(Lane lane) {
        List<BroadcastMessage> batch = new ArrayList<>();
        long bytes = 0;
        while (!lane.waiting.isEmpty()) {
            int size = WireCodec.broadcastEntrySize(lane.waiting.peekFirst());
            if (!batch.isEmpty() && bytes + size > maxBatchBytes) {
                break;
            }
            batch.add(lane.waiting.pollFirst());
            waiting.decrementAndGet();
            waitingBytes.addAndGet(-size);
            bytes += size;
        }
        return batch;
    }
}
