package io.corrosion.gossip.runtime;

import io.corrosion.gossip.core.StoreResult;
import io.corrosion.gossip.core.StoreTask;
import io.corrosion.gossip.store.ChangesetStore;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store threads: one runs apply batches (the core keeps at most one outstanding), one runs sync reads, so a
 * read goes on beside an apply. A blocking SQLite transaction stalls only these. Each result goes to
 * {@code results} (which hands it to the protocol thread); a task that throws becomes {@link StoreResult.Failed},
 * counted and logged at a bounded rate.
 */
final class StoreWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWorkers.class);

    private final String name;
    private final ChangesetStore store;
    private final NodeCounters counters;
    private final Consumer<StoreResult> results;
    private final ThreadPoolExecutor applyThread;
    private final ThreadPoolExecutor readThread;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 5, 10_000);

    StoreWorkers(String name, ChangesetStore store, NodeThreads threads, NodeCounters counters,
            Consumer<StoreResult> results) {
        this.name = name;
        this.store = store;
        this.counters = counters;
        this.results = results;
        // At the application's priority: it holds the file's write lock while it works, and a writer waiting for it
        // would wait longer behind a thread the scheduler puts back. Started now, by the thread creating the node: a
        // thread inherits its creator's priority, and the lowered protocol thread could not raise it again.
        this.applyThread = threads.singleForeground("store-apply");
        applyThread.prestartCoreThread();
        this.readThread = threads.single("store-read");
    }

    /** Runs the task on its thread; dropped once stopped. Any thread. */
    void run(StoreTask task) {
        ThreadPoolExecutor thread = task instanceof StoreTask.Apply ? applyThread : readThread;
        try {
            thread.execute(() -> results.accept(execute(task)));
        } catch (RejectedExecutionException stopped) {
            LOG.trace("[{}] store task after stop: dropped", name);
        }
    }

    private StoreResult execute(StoreTask task) {
        StoreResult result;
        try {
            result = task.execute(store);
        } catch (Error e) {
            LOG.error("[{}] store task {} failed", name, task.getClass().getSimpleName(), e);
            result = new StoreResult.Failed(task.id(), new IllegalStateException(e));
        }
        if (result instanceof StoreResult.Failed failed) {
            counters.storeFailures.increment();
            warnings.warn("[" + name + "] store " + task.getClass().getSimpleName() + " failed: " + failed.error());
            LOG.debug("[{}] store failure", name, failed.error());
        }
        return result;
    }

    /**
     * Drops the tasks not started, lets a running one finish (up to {@code timeout} per thread; its result is
     * dropped: the store is durable and dedupes), and stops the threads.
     */
    void stop(Duration timeout) {
        for (ThreadPoolExecutor thread : new ThreadPoolExecutor[] {applyThread, readThread}) {
            thread.getQueue().clear();
            thread.shutdown();
        }
        for (ThreadPoolExecutor thread : new ThreadPoolExecutor[] {applyThread, readThread}) {
            try {
                if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("[{}] a store task did not finish within {}", name, timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
