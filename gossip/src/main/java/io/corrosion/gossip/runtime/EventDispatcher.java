package io.corrosion.gossip.runtime;

import io.corrosion.gossip.GossipEvent;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the listener on the node's event thread, in order, through a bounded queue: the protocol
 * thread hands an event over and never waits for the listener. A full queue drops the new event (counted).
 */
final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final GossipListener listener;
    private final NodeCounters counters;
    private final ThreadPoolExecutor executor;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 3, 10_000);
    private final String nodeName;

    EventDispatcher(String nodeName, GossipListener listener, int capacity, NodeThreads threads,
            NodeCounters counters) {
        this.nodeName = nodeName;
        this.listener = listener;
        this.counters = counters;
        this.executor = threads.bounded("events", capacity, (task, pool) -> {
            counters.eventsDropped.increment();
            warnings.warn("[" + nodeName + "] the gossip listener is " + capacity
                    + " events behind: dropping events");
        });
    }

    /** Queues an event for the listener; never blocks. */
    void publish(GossipEvent event) {
        if (listener == GossipListener.NONE) {
            return;
        }
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException closed) {
            counters.eventsDropped.increment();
        }
    }

    private void deliver(GossipEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            counters.listenerErrors.increment();
            LOG.warn("[{}] the gossip listener failed on {}", nodeName, event.getClass().getSimpleName(), e);
        }
    }

    int queued() {
        return executor.getQueue().size();
    }

    /** Delivers what is queued (waiting up to {@code timeout} for the listener), then stops the thread. */
    void close(Duration timeout) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("[{}] the gossip listener did not finish within {}; {} events not delivered", nodeName,
                        timeout, executor.getQueue().size());
                executor.shutdownNow();
                executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
