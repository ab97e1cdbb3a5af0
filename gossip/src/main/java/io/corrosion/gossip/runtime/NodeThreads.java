package io.corrosion.gossip.runtime;

import io.corrosion.gossip.BackgroundPriority;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one node, named {@code corrosion-gossip-<node>-<role>}, daemon (an application that forgets
 * {@code close()} still exits), and remembered, so {@code close()} can refuse to run on one of them. They run below
 * the application's threads ({@link BackgroundPriority}), except the one that applies changesets
 * ({@link #foreground}): it holds the file's write lock while it works.
 */
final class NodeThreads {

    private final String prefix;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    NodeThreads(String nodeName) {
        this.prefix = GossipNode.THREAD_NAME_PREFIX + "-" + nodeName + "-";
    }

    /** Where the thread of {@code role} of the node named so is, one line per frame, for a log line. */
    static String stackOf(String nodeName, String role) {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().equals(GossipNode.THREAD_NAME_PREFIX + "-" + nodeName + "-" + role)) {
                for (StackTraceElement frame : stack) {
                    out.append(System.lineSeparator()).append("    at ").append(frame);
                }
            }
        });
        return out.toString();
    }

    ThreadFactory named(String role) {
        return BackgroundPriority.loweredThreads(foreground(role));
    }

    /** Threads at the application's priority. */
    ThreadFactory foreground(String role) {
        return task -> {
            Thread thread = new Thread(() -> {
                try {
                    task.run();
                } finally {
                    threads.remove(Thread.currentThread()); // a pool's idle thread ends: not ours any more
                }
            }, prefix + role);
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
        return single(named(role), new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** One thread at the application's priority working through an unbounded queue in order. */
    ThreadPoolExecutor singleForeground(String role) {
        return single(foreground(role), new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** One thread working through at most {@code capacity} waiting tasks; {@code overflow} gets the rest. */
    ThreadPoolExecutor bounded(String role, int capacity, RejectedExecutionHandler overflow) {
        return single(named(role), new ArrayBlockingQueue<>(capacity), overflow);
    }

    /**
     * Up to {@code maxThreads} threads, one per task, none kept idle for long: a task that blocks (a DNS lookup that
     * never answers) holds up no other. Tasks beyond that are refused.
     */
    ThreadPoolExecutor pool(String role, int maxThreads) {
        return new ThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), named(role),
                new ThreadPoolExecutor.AbortPolicy());
    }

    private static ThreadPoolExecutor single(ThreadFactory factory, BlockingQueue<Runnable> queue,
            RejectedExecutionHandler handler) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, factory, handler);
    }

    boolean isCurrentThreadOurs() {
        return threads.contains(Thread.currentThread());
    }
}
