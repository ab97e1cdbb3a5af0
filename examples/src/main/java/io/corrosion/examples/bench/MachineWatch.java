package io.corrosion.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the machine did to a benchmark run, beside what the nodes measured: a thread of the (otherwise idle) harness
 * JVM that asks to wake every millisecond and notes how late it woke, and the CPU time the hypervisor took from this
 * machine ("steal", from {@code /proc/stat} where there is one). A late wake-up means the harness got no CPU for that
 * long: the machine was overloaded or paused (or, rarely, the harness JVM itself stopped); a node's latency spike
 * without one was the nodes' own.
 */
final class MachineWatch {
    /** A wake-up this much later than asked counts as a stall. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Path PROC_STAT = Path.of("/proc/stat");

    private final Thread thread;
    private final long[] cpuBefore;
    private final long startedAt = System.nanoTime();
    private volatile boolean stopping;
    private long stalls;
    private long stalledNanos;
    private long longestNanos;

    private MachineWatch() {
        cpuBefore = cpuTicks();
        thread = new Thread(this::watch, "machine-watch");
        thread.setDaemon(true);
        thread.start();
    }

    static MachineWatch start() {
        return new MachineWatch();
    }

    private void watch() {
        long last = System.nanoTime();
        while (!stopping) {
            LockSupport.parkNanos(TICK_NANOS);
            long now = System.nanoTime();
            long late = now - last - TICK_NANOS;
            if (late >= STALL_NANOS) {
                stalls++;
                stalledNanos += late;
                longestNanos = Math.max(longestNanos, late);
            }
            last = now;
        }
    }

    /** Stops watching; one line on what it saw. */
    String stop() throws InterruptedException {
        stopping = true;
        thread.join();
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        String line = String.format(Locale.ROOT, "machine during the run (%.0f s): %d times the harness got no CPU for"
                        + " >= %d ms (%.0f ms in all, longest %.0f ms)", seconds, stalls,
                TimeUnit.NANOSECONDS.toMillis(STALL_NANOS), stalledNanos / 1e6, longestNanos / 1e6);
        long[] cpuAfter = cpuTicks();
        if (cpuBefore != null && cpuAfter != null) {
            long total = cpuAfter[0] - cpuBefore[0];
            long steal = cpuAfter[1] - cpuBefore[1];
            if (total > 0) {
                line += String.format(Locale.ROOT, "; CPU time stolen by the host %.1f%%", 100.0 * steal / total);
            }
        }
        return line;
    }

    /** {total, steal} jiffies of all CPUs, or null where there is no readable {@code /proc/stat}. */
    private static long[] cpuTicks() {
        if (!Files.isReadable(PROC_STAT)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(PROC_STAT);
            String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, f.length > 8 ? Long.parseLong(f[8]) : 0};
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + PROC_STAT, e);
        }
    }
}
