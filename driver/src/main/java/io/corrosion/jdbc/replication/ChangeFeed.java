package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.InternalTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link ChangeEvent}s to a file's {@link ChangeListener}s on one thread of its own, through a bounded
 * queue: whoever publishes (the agent's threads, the commit hand-off) never waits for a listener. The thread runs
 * only while listeners are registered.
 */
final class ChangeFeed implements AutoCloseable {
    /** Events waiting for the listeners; beyond it new ones are dropped and counted. */
    static final int CAPACITY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final String name;
    private final AgentCounters counters;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<ChangeEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private Thread thread;
    private volatile boolean closed;

    ChangeFeed(String name, AgentCounters counters) {
        this.name = name;
        this.counters = counters;
    }

    /** Registers a listener; closing the handle removes it. */
    synchronized AutoCloseable add(ChangeListener listener) {
        if (closed) {
            throw new IllegalStateException("the database is shut down");
        }
        listeners.add(listener);
        if (thread == null) {
            thread = new Thread(this::deliver, "corrosion-changes-" + name);
            thread.setDaemon(true);
            thread.start();
        }
        return () -> listeners.remove(listener);
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Queues an event for the listeners, without the driver's own tables (none left: no event); never blocks. */
    void publish(ChangeEvent event) {
        if (listeners.isEmpty() || closed) {
            return;
        }
        event = applicationRows(event);
        if (event == null) {
            return;
        }
        if (!queue.offer(event)) {
            counters.listenerEventsDropped.increment();
            long dropped = counters.listenerEventsDropped.sum();
            if (Long.bitCount(dropped) == 1) {
                LOG.warn("[{}] change listeners fall behind: {} events dropped so far", name, dropped);
            }
        }
    }

    /**
     * The event with the rows of the application's tables only (not the slot claims, ...); null if none is left, or if
     * there were none (a transaction whose writes a failed statement or a ROLLBACK TO all undid).
     */
    private static ChangeEvent applicationRows(ChangeEvent event) {
        if (event.rows().isEmpty()) {
            return null;
        }
        if (event.tables().stream().noneMatch(InternalTables::isInternal)) {
            return event;
        }
        Map<String, List<byte[]>> rows = new LinkedHashMap<>(event.rows());
        rows.keySet().removeIf(InternalTables::isInternal);
        return rows.isEmpty() ? null
                : new ChangeEvent(event.siteId(), event.dbVersion(), event.local(), rows, event.rowsImpacted());
    }

    int queued() {
        return queue.size();
    }

    private void deliver() {
        while (!closed) {
            ChangeEvent event;
            try {
                event = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            for (ChangeListener listener : listeners) {
                try {
                    listener.onChange(event);
                } catch (Throwable e) { // an Error too (an AssertionError, a StackOverflowError): the others go on
                    counters.listenerErrors.increment();
                    LOG.warn("[{}] change listener {} failed on {} v{}", name, listener, event.siteId(),
                            event.dbVersion(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        listeners.clear();
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
