package io.corrosion.gossip.core;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.ChangesetSource;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received changesets on their way to the store: one bounded queue, one apply batch in flight. While a batch is
 * being applied the next one accumulates, so batches grow with store latency (Corrosion's adaptive batching). With
 * {@link GossipConfig#applyLinger()} set, a steady stream waits too: while the previous batch began less than the
 * linger ago, the next one waits for the linger to have passed since then, so under load a store transaction takes
 * what arrived in one linger where each changeset would otherwise pay for one (Corrosion waits for its apply queue
 * too); a changeset after a quiet spell goes at once, and none waits longer than the linger.
 * When the queue is over its item or byte bound the oldest entries are dropped and reported, so the broadcast
 * dedupe forgets them; sync fetches them again later.
 */
final class ApplyPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyPipeline.class);

    record Item(Changeset changeset, ChangesetSource source, int hops, int bytes, long queuedAt) {
    }

    private final GossipConfig config;
    private final long lingerMillis;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private long lastBatchAt = Long.MIN_VALUE;
    private long queuedBytes;
    private long inFlightId = -1;
    private List<Item> inFlight = List.of();

    private final long[] outcomes = new long[ApplyOutcome.values().length * ChangesetSource.values().length];
    private long dropped;
    private long failedBatches;

    ApplyPipeline(GossipConfig config) {
        this.config = config;
        this.lingerMillis = config.applyLinger().toMillis();
    }

    /** Queues a changeset; reports any entries dropped to make room. */
    void submit(Changeset changeset, ChangesetSource source, int hops, long now, Consumer<Item> onDrop) {
        Item item = new Item(changeset, source, hops, changeset.payloadSize(), now);
        queue.addLast(item);
        queuedBytes += item.bytes;
        while (queue.size() > config.applyQueueMaxItems() || queuedBytes > config.applyQueueMaxBytes()) {
            Item old = queue.pollFirst();
            queuedBytes -= old.bytes;
            dropped++;
            if (isPowerOfTen(dropped)) {
                LOG.warn("apply queue full ({} items, {} bytes): dropped {} changesets so far; sync will fetch them",
                        queue.size(), queuedBytes, dropped);
            }
            onDrop.accept(old);
        }
    }

    /** Logs at 1, 10, 100, ... drops: a burst does not flood the log, a trickle still shows. */
    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    /** The next batch to apply, if none is in flight and none is lingering. */
    StoreTask.Apply next(long taskId, long now) {
        if (inFlightId >= 0 || queue.isEmpty() || lingering(now)) {
            return null;
        }
        lastBatchAt = now;
        List<Item> batch = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < config.applyBatchMaxItems()
                && (batch.isEmpty() || bytes + queue.peekFirst().bytes <= config.applyBatchMaxBytes())) {
            Item item = queue.pollFirst();
            queuedBytes -= item.bytes;
            bytes += item.bytes;
            batch.add(item);
        }
        inFlightId = taskId;
        inFlight = batch;
        List<Changeset> changesets = new ArrayList<>(batch.size());
        batch.forEach(i -> changesets.add(i.changeset));
        return new StoreTask.Apply(taskId, changesets);
    }

    /** Whether the queued changesets wait for more to join them (see the class comment). */
    private boolean lingering(long now) {
        return lingerMillis > 0 && lastBatchAt != Long.MIN_VALUE && now - lastBatchAt < lingerMillis
                && now - queue.peekFirst().queuedAt < lingerMillis
                && queue.size() < config.applyBatchMaxItems() && queuedBytes < config.applyBatchMaxBytes();
    }

    /** When a lingering batch is due (Long.MAX_VALUE if none lingers). */
    long lingerDeadline(long now) {
        if (inFlightId >= 0 || queue.isEmpty() || !lingering(now)) {
            return Long.MAX_VALUE;
        }
        return Math.min(lastBatchAt, queue.peekFirst().queuedAt) + lingerMillis;
    }

    boolean owns(long taskId) {
        return taskId == inFlightId;
    }

    /** The store's verdicts for the batch in flight: each to {@code verdict}, and events for what was new. */
    void applied(List<ApplyOutcome> verdicts, Consumer<GossipEvent> events,
            java.util.function.BiConsumer<Item, ApplyOutcome> verdict) {
        List<Item> batch = inFlight;
        inFlightId = -1;
        inFlight = List.of();
        for (int i = 0; i < batch.size(); i++) {
            Item item = batch.get(i);
            ApplyOutcome outcome = i < verdicts.size() ? verdicts.get(i) : ApplyOutcome.REJECTED;
            outcomes[outcome.ordinal() * ChangesetSource.values().length + item.source.ordinal()]++;
            verdict.accept(item, outcome);
            if (outcome == ApplyOutcome.NEW) {
                events.accept(new GossipEvent.ChangesetApplied(item.changeset, item.source, item.hops));
            }
        }
    }

    /** The batch in flight failed: nothing of it was applied. Returns it so the dedupe can forget it. */
    List<Item> failed() {
        List<Item> batch = inFlight;
        inFlightId = -1;
        inFlight = List.of();
        failedBatches++;
        return batch;
    }

    long count(ApplyOutcome outcome, ChangesetSource source) {
        return outcomes[outcome.ordinal() * ChangesetSource.values().length + source.ordinal()];
    }

    long dropped() {
        return dropped;
    }

    long failedBatches() {
        return failedBatches;
    }

    int queued() {
        return queue.size();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /** When the oldest changeset not yet stored (in flight or queued) was received; Long.MAX_VALUE if none. */
    long oldestWaitingSince() {
        if (!inFlight.isEmpty()) {
            return inFlight.get(0).queuedAt;
        }
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peekFirst().queuedAt;
    }
}
