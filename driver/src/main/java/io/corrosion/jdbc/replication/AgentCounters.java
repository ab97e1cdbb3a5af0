package io.corrosion.jdbc.replication;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The agent's own counters, beside gossip's; incremented from any thread. */
final class AgentCounters {
    /** Local versions read after their commit and handed to gossip (as changesets or empties). */
    final LongAdder localVersionsPublished = new LongAdder();
    /** WAL flushes that put local commits on disk before they left the node ({@link WalSync}). */
    final LongAdder walFlushes = new LongAdder();
    /** Their time, in all and at most. */
    final LongAdder walFlushNanos = new LongAdder();
    final AtomicLong walFlushMaxNanos = new AtomicLong();
    /** Local changesets gossip refused at the hand-off (queue full): peers get them by sync. */
    final LongAdder broadcastsRefused = new LongAdder();
    /** Remote versions committed here (merged or kept for a missing schema). */
    final LongAdder remoteVersionsApplied = new LongAdder();
    /** Remote changesets refused: undecodable payload, or changes the CRR engine refused as malformed. */
    final LongAdder changesetsRejected = new LongAdder();
    /** Of those, changesets refused because the changes kept for a missing schema reached their bound. */
    final LongAdder changesetsRefusedPendingFull = new LongAdder();
    /** Apply transactions committed. */
    final LongAdder applyTransactions = new LongAdder();
    /** Of those, transactions ended before the rest of their batch to let an application writer in. */
    final LongAdder applyYields = new LongAdder();
    /** How long the agent's transactions held the file's write lock, in all (from their begin to their end). */
    final LongAdder applyLockNanos = new LongAdder();
    /** Of that time, how long the thread holding the lock ran on a core; the rest it waited for one (or for I/O). */
    final LongAdder applyLockCpuNanos = new LongAdder();
    /** Times a transaction had to wait for the write lock an application held. */
    final LongAdder busyRetries = new LongAdder();
    /** Changes kept because their table or column does not exist here yet, and those merged later. */
    final LongAdder changesKeptForSchema = new LongAdder();
    final LongAdder changesMergedAfterSchema = new LongAdder();
    /** Of the changes kept, those of a table or column this node dropped, kept outside the bound ({@code DroppedSchema}). */
    final LongAdder changesOfDroppedSchema = new LongAdder();
    /** Change-listener events dropped because listeners fell behind, and exceptions they threw. */
    final LongAdder listenerEventsDropped = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    /** Commit-to-apply time of remote versions, from the origin's timestamp (meaningful with synchronized clocks). */
    final LongAdder latencySamples = new LongAdder();
    final LongAdder latencyMillisTotal = new LongAdder();
    final AtomicLong latencyMillisLast = new AtomicLong();
    final AtomicLong latencyMillisMax = new AtomicLong();

    void latency(long millis) {
        long m = Math.max(0, millis);
        latencySamples.increment();
        latencyMillisTotal.add(m);
        latencyMillisLast.set(m);
        latencyMillisMax.accumulateAndGet(m, Math::max);
    }
}
