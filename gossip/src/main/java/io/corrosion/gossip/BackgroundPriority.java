package io.corrosion.gossip;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs replication's background threads below the application's in the operating system's scheduler: on Linux each
 * lowers its own nice value to {@value #DEFAULT_NICE} (system property {@value #PROPERTY}, 0 to 19; 0 leaves the
 * threads alone) before its first task, through {@code setpriority(2)}, which on Linux applies to one thread. When
 * the cores are busy, an application thread that wakes up to commit then takes a core ahead of them rather than
 * queueing behind the network, protocol and bookkeeping work of the cluster. In the replication benchmark (5 JVMs
 * on two cores, one machine, one afternoon) the application's mean commit on a node of the cluster took 164 us at nice
 * 5 and 147-178 us at nice 10 (3 runs) against 169-202 us at 0 (2 runs), its time off the CPU 45 and 30-45 us against
 * 57-78 us; the p99 of commit-to-visible was 12.5 ms at 5, 13.5-19.1 ms at 10 and 11.5-14.0 ms at 0. Nice 5 keeps
 * part of the gain (one run) and the propagation its margin. The threads still get their share (nice 5 weighs a third
 * of nice 0), so replication lags under a load that saturates the machine but keeps going.
 *
 * <p>Not lowered: the thread that applies remote changesets, because it holds the file's write lock while it works
 * and an application writer would wait for it longer (measured: the lock waits doubled), and the threads that run
 * the application's own change listeners. Elsewhere than on Linux, or without JNA's native library, nothing
 * changes (logged once).
 *
 * <p>Not {@code SCHED_IDLE}, though it serves the application better while the cores have room: the replication
 * benchmark's commit overhead fell from 1.47x to 1.26x (same machine, same day), because the apply thread then held the
 * write lock on a core 90% of the time instead of 65%. But a thread at {@code SCHED_IDLE} gets almost nothing while
 * the application keeps the cores busy, and it cannot raise itself back without privileges: with two busy-looping
 * processes on the two cores, replication stalled (commit-to-visible p50 12 s, against 32 ms at nice 5) and the
 * application's writing thread was blocked on monitors it shares with those threads for 2.3 s in 40 s (0.3 s at nice 5).
 */
public final class BackgroundPriority {

    /** The system property that sets the nice value of background threads. */
    public static final String PROPERTY = "corrosion.backgroundNice";
    /** The nice value of background threads unless {@value #PROPERTY} says otherwise. */
    public static final int DEFAULT_NICE = 5;
    private static final int MAX_NICE = 19;
    private static final int PRIO_PROCESS = 0;

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);
    /** The first thread's outcome (lowered or not, and why) is logged, once. */
    private static final AtomicBoolean OUTCOME_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean BAD_PROPERTY_LOGGED = new AtomicBoolean();

    private BackgroundPriority() {
    }

    /** The nice value background threads take: {@value #PROPERTY} if it is a whole number from 0 to 19. */
    public static int nice() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_NICE;
        }
        try {
            int nice = Integer.parseInt(value.trim());
            if (nice >= 0 && nice <= MAX_NICE) {
                return nice;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        if (BAD_PROPERTY_LOGGED.compareAndSet(false, true)) {
            LOG.warn("-D{}={} is not a nice value from 0 to {}; background threads use {}", PROPERTY, value,
                    MAX_NICE, DEFAULT_NICE);
        }
        return DEFAULT_NICE;
    }

    /** Threads of {@code factory} that lower themselves to {@link #nice()} before running their task. */
    public static ThreadFactory loweredThreads(ThreadFactory factory) {
        return task -> factory.newThread(lowered(task));
    }

    /** {@code task}, run by a thread that first lowers itself to {@link #nice()}. */
    public static Runnable lowered(Runnable task) {
        return () -> {
            lowerCurrentThread();
            task.run();
        };
    }

    /**
     * Lowers the calling thread to {@link #nice()}; false if it could not (not Linux, no native access) or was told
     * not to (0). Never throws: a thread that keeps its priority still works.
     */
    public static boolean lowerCurrentThread() {
        int nice = nice();
        if (nice == 0) {
            return false;
        }
        try {
            if (!Platform.isLinux()) {
                return unchanged("only Linux sets the priority of one thread");
            }
            int tid = currentTid();
            if (LibC.INSTANCE.setpriority(PRIO_PROCESS, tid, nice) != 0) {
                return unchanged("setpriority failed with errno " + Native.getLastError());
            }
            if (OUTCOME_LOGGED.compareAndSet(false, true)) {
                LOG.debug("replication's background threads run at nice {} (-D{})", nice, PROPERTY);
            }
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            return unchanged(e.toString());
        }
    }

    /** The kernel's id of the calling thread, from {@code /proc/thread-self} ({@code <pid>/task/<tid>}). */
    private static int currentTid() throws IOException {
        Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(self.getFileName().toString());
    }

    private static boolean unchanged(String why) {
        if (OUTCOME_LOGGED.compareAndSet(false, true)) {
            LOG.info("replication's background threads keep the application's priority: {}", why);
        }
        return false;
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int setpriority(int which, int who, int prio);
    }
}
