package io.corrosion.gossip.runtime;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one node, named {@code corrosion-gossip-<node>-<role>}, daemon (an application that forgets
 * {@code close()} still exits), and remembered, so {@code close()} can refuse to run on one of them.
 */
final class NodeThreads {

    private final String prefix;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    NodeThreads(String nodeName) {
        this.prefix = GossipNode.THREAD_NAME_PREFIX + "-" + nodeName + "-";
    }

    ThreadFactory named(String role) {
        return task -> {
            Thread thread = new Thread(task, prefix + role);
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
    }

    /** One thread with timers: the protocol thread. Cancelled timers leave the queue at once. */
    ScheduledThreadPoolExecutor scheduler(String role) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, named(role));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** One thread working through an unbounded queue in order. */
    ThreadPoolExecutor single(String role) {
        return single(role, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** One thread working through at most {@code capacity} waiting tasks; {@code overflow} gets the rest. */
    ThreadPoolExecutor bounded(String role, int capacity, RejectedExecutionHandler overflow) {
        return single(role, new ArrayBlockingQueue<>(capacity), overflow);
    }

    private ThreadPoolExecutor single(String role, BlockingQueue<Runnable> queue, RejectedExecutionHandler handler) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, named(role), handler);
    }

    boolean isCurrentThreadOurs() {
        return threads.contains(Thread.currentThread());
    }
}
