package io.corrosion.examples.bench;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of {@link ReplicationBenchmark}, in its own JVM: writes rows at a steady rate and notes when each row of
 * the others arrived (a change listener), on stdin's command.
 *
 * <pre>
 * args: file port(0 = no bind: a local node) seeds
 * stdin: RUN rate seconds baseId [secondWriterRate secondWriterRanges] | CPU | FORGET | COUNT table | TOKEN | AWAIT token | MEMBERS | DUMP file | EXIT
 * </pre>
 */
public final class BenchNode {
    /** The committing thread's CPU time, read around each commit: how much of the commit time it ran. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final String BENCH_TABLE = "CREATE TABLE IF NOT EXISTS bench (id INTEGER PRIMARY KEY, origin INTEGER NOT NULL,"
            + " payload TEXT)";
    static final String CATCHUP_TABLE = "CREATE TABLE IF NOT EXISTS catchup (id INTEGER PRIMARY KEY, a INTEGER, b TEXT,"
            + " c REAL, d TEXT)";

    /**
     * How often the second writer commits what is due: the agent's apply linger, as the agent reads it (its default
     * 5 ms, or {@code -Dcorrosion.applyLingerMs}), so that it commits as often as applies come under steady load.
     */
    private static final long SECOND_WRITER_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(1, Long.getLong("corrosion.applyLingerMs", 5)));

    private final String url;
    private final Connection conn;
    private final CorrosionConnection node;
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<Long, Long> commits = new ConcurrentHashMap<>();
    private long cpuAtRun;
    /** The RUNs since the last FORGET: the harness runs a measured load in slices, between other JVMs' slices. */
    private Tally tally = new Tally();

    private BenchNode(String url) throws SQLException {
        this.url = url;
        conn = DriverManager.getConnection(url);
        node = conn.unwrap(CorrosionConnection.class);
        try (Statement s = conn.createStatement()) {
            s.execute(BENCH_TABLE);
            s.execute(CATCHUP_TABLE);
        }
        node.addChangeListener(event -> {
            if (!event.local()) {
                long now = micros();
                for (byte[] pk : event.rows().getOrDefault("bench", java.util.List.of())) {
                    arrivals.putIfAbsent((Long) PackedColumns.unpack(pk).get(0), now);
                }
            }
        });
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:corrosion:" + args[0] + (args[1].equals("0") ? "" : "?bind=127.0.0.1:" + args[1]
                + "&seeds=" + (args.length > 2 ? args[2] : "") + "&tls.insecure=true");
        if (THREADS.isThreadContentionMonitoringSupported()) {
            THREADS.setThreadContentionMonitoringEnabled(true);
        }
        BenchNode bench = new BenchNode(url);
        say("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
            String[] w = line.split(" ");
            switch (w[0]) {
                case "RUN" -> bench.run(Double.parseDouble(w[1]), Double.parseDouble(w[2]), Long.parseLong(w[3]),
                        w.length > 5 ? Double.parseDouble(w[4]) : 0, w.length > 5 ? Integer.parseInt(w[5]) : 0);
                case "CPU" -> say(String.format(Locale.ROOT, "CPU %.1f", (processCpuNanos() - bench.cpuAtRun) / 1e6));
                case "FORGET" -> {
                    bench.commits.clear();
                    bench.arrivals.clear();
                    bench.tally = new Tally();
                    say("FORGOT");
                }
                case "COUNT" -> say("COUNT " + bench.count(w[1]));
                case "TOKEN" -> say("TOKEN " + bench.node.lastCommitToken());
                case "AWAIT" -> say("APPLIED " + bench.node.awaitVersion(w[1], Duration.ofMinutes(5)));
                case "MEMBERS" -> say("MEMBERS " + bench.node.members().stream()
                        .filter(m -> m.state().name().equals("ALIVE")).count());
                case "DUMP" -> bench.dump(Path.of(w[1]));
                case "STATS" -> say("STATS " + bench.node.replicationStats().map(Object::toString).orElse("-"));
                default -> say("FAILED unknown command " + line);
            }
        }
        bench.conn.close();
        CorrosionDriver.shutdownAll();
        say("BYE");
    }

    /**
     * Inserts rows at {@code rate} per second for {@code seconds}, one transaction each; reports commit times. With
     * {@code secondWriterRate > 0} a second connection of this JVM writes that many rows per second meanwhile, the
     * rows due every apply linger in one transaction, spread over {@code ranges} key ranges (as many as there are other
     * nodes): the write load the agent's applies put on a node's file, without the agent. The RAN answer covers every
     * RUN since the last FORGET.
     */
    private void run(double rate, double seconds, long base, double secondWriterRate, int ranges) throws SQLException {
        SecondWriter second = secondWriterRate > 0 ? new SecondWriter(secondWriterRate, Math.max(1, ranges), base) : null;
        try {
            run(rate, seconds, base);
        } catch (SQLException | RuntimeException e) {
            if (second != null) {
                second.stop().ifPresent(e::addSuppressed);
            }
            throw e;
        }
        if (second != null) {
            Optional<Throwable> failure = second.stop();
            if (failure.isPresent()) {
                say("FAILED second writer: " + failure.get());
                return;
            }
            tally.secondHoldingNanos += second.holdingNanos;
            tally.secondHoldingCpuNanos += second.holdingCpuNanos;
            tally.secondRanNanos += second.ranNanos;
        }
        say(tally.ran());
    }

    /** The second writer of {@link #run(double, double, long, double, int)}, on a thread and connection of its own. */
    private final class SecondWriter {
        private final Thread thread;
        private final long started = System.nanoTime();
        private volatile boolean stopping;
        private volatile Throwable failure;
        private volatile long holdingNanos;
        private volatile long holdingCpuNanos;
        private volatile long ranNanos;

        SecondWriter(double rate, int ranges, long base) {
            thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url);
                        PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO bench (id, origin, payload) VALUES (?, ?, ?)")) {
                    c.setAutoCommit(false);
                    long written = 0;
                    while (!stopping) {
                        LockSupport.parkNanos(SECOND_WRITER_PERIOD_NANOS); // the load's pace
                        long due = (long) ((System.nanoTime() - started) / 1e9 * rate);
                        long t0 = System.nanoTime();
                        long cpu0 = THREADS.getCurrentThreadCpuTime();
                        for (; written < due; written++) {
                            long range = written % ranges + 1;
                            long id = -(range * 1_000_000_000L + base + written / ranges);
                            insert.setLong(1, id);
                            insert.setLong(2, -range);
                            insert.setString(3, "payload of row " + id + " with a few more bytes of text");
                            insert.executeUpdate();
                        }
                        c.commit();
                        holdingNanos += System.nanoTime() - t0; // from its first write to its commit: the lock held
                        holdingCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
                    }
                } catch (Throwable e) {
                    failure = e;
                }
            }, "second-writer");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops the writer; what made it fail, if it did. */
        Optional<Throwable> stop() {
            stopping = true;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(e);
            }
            ranNanos = System.nanoTime() - started;
            return Optional.ofNullable(failure);
        }
    }

    /** Runs the paced inserts, adding their commit times, CPU and lock figures to the tally. */
    private void run(double rate, double seconds, long base) throws SQLException {
        int n = (int) Math.round(rate * seconds);
        cpuAtRun = processCpuNanos();
        Optional<ReplicationStats> statsBefore = node.replicationStats();
        ThreadInfo infoBefore = THREADS.getThreadInfo(Thread.currentThread().getId());
        long switchesBefore = involuntarySwitches();
        long started = System.nanoTime();
        long interval = (long) (1e9 / rate);
        long next = System.nanoTime();
        try (PreparedStatement insert = conn.prepareStatement("INSERT INTO bench (id, origin, payload) VALUES (?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // the load's pace
                }
                next += interval;
                long id = base + i;
                insert.setLong(1, id);
                insert.setLong(2, base);
                insert.setString(3, "payload of row " + id + " with a few more bytes of text");
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                insert.executeUpdate();
                long took = System.nanoTime() - t0;
                tally.commit(took, THREADS.getCurrentThreadCpuTime() - cpu0);
                commits.put(id, micros());
            }
        }
        tally.ranNanos += System.nanoTime() - started;
        ThreadInfo infoAfter = THREADS.getThreadInfo(Thread.currentThread().getId());
        long switchesAfter = involuntarySwitches();
        tally.blocked += infoAfter.getBlockedCount() - infoBefore.getBlockedCount();
        tally.blockedMillis += infoAfter.getBlockedTime() - infoBefore.getBlockedTime();
        tally.involuntary += switchesAfter - switchesBefore;
        Optional<ReplicationStats> statsAfter = node.replicationStats();
        if (statsBefore.isPresent() && statsAfter.isPresent()) {
            ReplicationStats b = statsBefore.get();
            ReplicationStats a = statsAfter.get();
            tally.replicated = true;
            tally.lockMillis += a.applyLockMillis() - b.applyLockMillis();
            tally.lockCpuMillis += a.applyLockCpuMillis() - b.applyLockCpuMillis();
            tally.waits += a.writerLockWaits() - b.writerLockWaits();
            tally.waitedMillis += a.writerLockWaitMillis() - b.writerLockWaitMillis();
            tally.flushes += a.walFlushes() - b.walFlushes();
            tally.flushMillis += a.walFlushMillis() - b.walFlushMillis();
            tally.checkpoints += a.checkpoints() - b.checkpoints();
            tally.checkpointMillis += a.checkpointMillis() - b.checkpointMillis();
            tally.flushMaxMillis = a.walFlushMaxMillis();
            tally.checkpointMaxMillis = a.checkpointMaxMillis();
        }
    }

    /** What the RUNs since the last FORGET measured. */
    private static final class Tally {
        private long[] commitNanos = new long[4096];
        private int commits;
        private long cpuNanos;
        long ranNanos;
        boolean replicated;
        long lockMillis;
        long lockCpuMillis;
        long waits;
        long waitedMillis;
        /** The disk: WAL flushes before sending and checkpoints in the runs, and the longest of each since start. */
        long flushes;
        long flushMillis;
        long flushMaxMillis;
        long checkpoints;
        long checkpointMillis;
        long checkpointMaxMillis;
        long secondHoldingNanos;
        long secondHoldingCpuNanos;
        long secondRanNanos;
        long blocked;
        long blockedMillis;
        /** Context switches of the writing thread it did not ask for: another thread took its core. */
        long involuntary;

        void commit(long nanos, long cpu) {
            if (commits == commitNanos.length) {
                commitNanos = Arrays.copyOf(commitNanos, commits * 2);
            }
            commitNanos[commits++] = nanos;
            cpuNanos += cpu;
        }

        /**
         * The RAN answer: count; mean, p50, p90, p99 and p99.9 commit microseconds; the committing thread's mean CPU
         * time per commit in microseconds; then in words what the write lock and the scheduler did: with replication
         * the share of the runs' time the agent's transactions held the write lock and the application statements (all
         * of this JVM's) that waited for it, and the disk's flushes and checkpoints (their time; the longest since the
         * node started, warm-up included), with a second writer the share its transactions held it (each with the share
         * of that time the holding thread ran on a core: the rest it was waiting for one), and how often the
         * writing thread lost its core while it ran and waited to enter a Java monitor.
         */
        String ran() {
            long[] sorted = Arrays.copyOf(commitNanos, commits);
            Arrays.sort(sorted);
            double mean = Arrays.stream(sorted).average().orElse(0) / 1000;
            String ran = String.format(Locale.ROOT, "RAN %d %.1f %.1f %.1f %.1f %.1f %.1f", commits, mean,
                    percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99),
                    percentile(sorted, 0.999), cpuNanos / 1000.0 / Math.max(1, commits));
            if (replicated) {
                ran += held("the agent", TimeUnit.MILLISECONDS.toNanos(lockMillis), ranNanos, lockCpuMillis, lockMillis)
                        + String.format(Locale.ROOT, ", application statements waited for it %d times (%d ms); the disk:"
                        + " %d WAL flushes before sending took %d ms, %d checkpoints %d ms (longest since start %d and"
                        + " %d ms);", waits, waitedMillis, flushes, flushMillis, checkpoints, checkpointMillis,
                        flushMaxMillis, checkpointMaxMillis);
            }
            if (secondRanNanos > 0) {
                ran += held("the second writer", secondHoldingNanos, secondRanNanos, secondHoldingCpuNanos,
                        secondHoldingNanos) + ";";
            }
            ran += String.format(Locale.ROOT, " the writing thread was preempted %d times, blocked on a monitor %d times"
                    + " (%d ms)", involuntary, blocked, blockedMillis);
            return ran;
        }
    }

    /** " WHO held the write lock S% of the time (on a core C% of that)": held / ran, and on a core / held. */
    private static String held(String who, long heldNanos, long ranNanos, long onCore, long held) {
        return String.format(Locale.ROOT, " %s held the write lock %.1f%% of the time (on a core %.0f%% of that)", who,
                100.0 * heldNanos / ranNanos, 100.0 * onCore / Math.max(1, held));
    }

    /** In microseconds, of sorted nanoseconds. */
    private static double percentile(long[] sortedNanos, double p) {
        return sortedNanos[(int) (sortedNanos.length * p)] / 1000.0;
    }

    /** The calling thread's involuntary context switches so far (0 where there is no {@code /proc}). */
    private static long involuntarySwitches() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** CPU time of this JVM, all threads: what a run cost, whatever else the machine was doing. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private long count(String table) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void dump(Path file) throws Exception {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            commits.forEach((id, at) -> out.println("C " + id + " " + at));
            arrivals.forEach((id, at) -> out.println("A " + id + " " + at));
        }
        say("DUMPED");
    }

    static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static synchronized void say(String line) {
        System.out.println("@@ " + line);
        System.out.flush();
    }
}
