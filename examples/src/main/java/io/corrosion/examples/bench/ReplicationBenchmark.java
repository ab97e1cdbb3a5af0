package io.corrosion.examples.bench;

import io.corrosion.examples.NodeProcess;
import io.corrosion.jdbc.CorrosionDriver;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replication on loopback, nodes in JVMs of their own ({@link BenchNode}):
 * <ol>
 *   <li>write overhead: the same paced write load on every node, without {@code bind} (local files) and as a
 *       cluster, in slices that take turns ({@code -Dbench.slices}, default 6; see {@link Fleet}); the commit times
 *       (mean, percentiles, the mean split into on- and off-CPU) side by side, as ratios.
 *       Also (unless {@code -Dbench.reference=false}) the same without {@code bind} while a second connection of each
 *       node writes, in small transactions, as many rows as the other nodes do ({@link BenchNode}'s second writer):
 *       what sharing the file with the rows the agent applies costs the application's commit without any agent, the
 *       floor of the cluster's figures;</li>
 *   <li>propagation: during the cluster run, commit-to-visible-on-all-nodes per row (the commit's end on the writer
 *       to the last node's change listener hearing of it): p50, p99, max;</li>
 *   <li>catch-up: an empty node joins a peer whose file holds {@code catchupChanges} column changes; the time from its
 *       start until it has them all.</li>
 * </ol>
 * Usage: {@code ReplicationBenchmark [writesPerSecond=1000] [seconds=60] [nodes=5] [catchupChanges=1000000]}.
 */
public final class ReplicationBenchmark {
    private ReplicationBenchmark() {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 1000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 60;
        int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long catchup = args.length > 3 ? Long.parseLong(args[3]) : 1_000_000;
        Path dir = Files.createTempDirectory("corrosion-replication-bench");
        System.out.printf(Locale.ROOT, "Replication benchmark: %d JVMs on loopback, %.0f writes/s spread over them for"
                + " %.0f s, catch-up of %,d column changes; files and logs in %s%n%n", nodes, rate, seconds, catchup, dir);

        if (seconds > 0) {
            overheadAndPropagation(dir, rate, seconds, nodes);
        }
        if (catchup > 0) {
            catchUp(dir.resolve("catchup"), catchup);
        }
    }

    private static void overheadAndPropagation(Path dir, double rate, double seconds, int nodes) throws Exception {
        // -Dbench.local=false: the cluster run only (no local run, and so no reference run either)
        boolean local = Boolean.parseBoolean(System.getProperty("bench.local", "true"));
        List<Fleet> fleets = new ArrayList<>();
        try {
            Fleet localFleet = null;
            Fleet referenceFleet = null;
            if (local) {
                localFleet = new Fleet(dir.resolve("local"), "local", nodes, false, 0);
                fleets.add(localFleet);
                if (Boolean.parseBoolean(System.getProperty("bench.reference", "true"))) {
                    referenceFleet = new Fleet(dir.resolve("reference"), "local + second writer", nodes, false,
                            rate * (nodes - 1) / nodes);
                    fleets.add(referenceFleet);
                }
            }
            Fleet cluster = new Fleet(dir.resolve("cluster"), "cluster", nodes, true, 0);
            fleets.add(cluster);
            for (Fleet f : fleets) {
                f.ready();
            }
            for (Fleet f : fleets) {
                f.warmUp(rate);
            }
            int slices = Math.max(1, Integer.getInteger("bench.slices", 6));
            double sliceSeconds = seconds / slices;
            System.out.printf(Locale.ROOT, "measuring: %s in turn, %d slices of %.0f s each (%.0f s in all each), every"
                            + " node %.0f writes/s ...%n", fleets.stream().map(f -> f.label).toList(), slices,
                    sliceSeconds, seconds, rate / nodes);
            MachineWatch machine = MachineWatch.start();
            try {
                for (int slice = 0; slice < slices; slice++) {
                    for (Fleet f : fleets) {
                        f.slice(rate, sliceSeconds, slice, slices);
                    }
                }
            } finally {
                System.out.println("  " + machine.stop());
            }
            for (Fleet f : fleets) {
                f.report(rate * seconds, fleets.size() > 1);
            }
            propagation(cluster.dir, cluster.nodes, cluster.rows);
            if (Boolean.getBoolean("bench.stats")) {
                for (NodeProcess n : cluster.nodes) {
                    System.out.println("  " + n.name() + " " + n.ask("STATS", "STATS"));
                }
            }
            if (localFleet == null) {
                return;
            }
            double[] localTimes = localFleet.times();
            double[] reference = referenceFleet == null ? null : referenceFleet.times();
            System.out.printf(Locale.ROOT, "%nWrite overhead (commit time of one INSERT transaction, us; mean over nodes; on-CPU: the"
                    + " committing thread ran, off-CPU: it waited for the write lock or a core):%n");
            System.out.printf(Locale.ROOT, "  %-36s %8s %8s %8s %8s %8s %8s %8s%n", "", "mean", "p50", "p90", "p99", "p99.9",
                    "on-CPU", "off-CPU");
            printTimes("local (no bind)", localTimes);
            if (reference != null) {
                printTimes("local + second writer (no bind)", reference);
            }
            printTimes("cluster (agent running)", cluster.times());
            printRatios("ratio cluster / local", cluster.times(), localTimes, "   (goal: <= 1.1x)");
            if (reference != null) {
                printRatios("ratio second writer / local", reference, localTimes, "");
                printRatios("ratio cluster / second writer", cluster.times(), reference, "");
            }
        } finally {
            for (Fleet f : fleets) {
                f.close();
            }
        }
    }

    /** The columns of the overhead table: a load's figures (mean, p50, p90, p99, p99.9, on-CPU), then off-CPU. */
    private static double[] columns(double[] t) {
        double[] c = Arrays.copyOf(t, t.length + 1);
        c[t.length] = t[0] - t[5];
        return c;
    }

    private static void printTimes(String label, double[] times) {
        printRow(label, columns(times), " %8.1f", "");
    }

    private static void printRatios(String label, double[] a, double[] b, String suffix) {
        double[] ca = columns(a);
        double[] cb = columns(b);
        double[] ratios = new double[ca.length];
        for (int i = 0; i < ca.length; i++) {
            ratios[i] = ca[i] / cb[i];
        }
        printRow(label, ratios, " %7.2fx", suffix);
    }

    private static void printRow(String label, double[] values, String cell, String suffix) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-36s", label));
        for (double v : values) {
            line.append(String.format(Locale.ROOT, cell, v));
        }
        System.out.println(line.append(suffix));
    }

    /**
     * One set of node JVMs under the same paced load: local files, local files with a second writer, or a cluster.
     * Every set's JVMs start before any is measured, and the measured load runs in slices, the sets taking turns (the
     * others idle meanwhile): a machine whose speed drifts over minutes (this one's did, by a third from one run to
     * the next) then slows every set alike, and the ratios compare the loads, not the minutes they ran in.
     */
    private static final class Fleet implements AutoCloseable {
        final Path dir;
        final String label;
        final boolean replicate;
        /** Rows per second each node's second writer adds (0: none). */
        final double secondWriterRate;
        final List<NodeProcess> nodes = new ArrayList<>();
        /** Rows written so far, warm-up included: where a cluster's propagation count must get to. */
        long rows;
        /** The nodes' CPU during the slices (a cluster's until every row was everywhere), milliseconds. */
        double cpuMillis;
        /** The nodes' CPU while idle between their slices, milliseconds, and how long that was. */
        private double idleCpuMillis;
        private long idleNanos;
        private final double[] cpuAtSliceEnd;
        private long sliceEnded;
        /** The nodes' last RAN answers (count, the figures, then what the write lock did). */
        private String[] ran;

        Fleet(Path dir, String label, int count, boolean replicate, double secondWriterRate) throws IOException {
            this.dir = Files.createDirectories(dir);
            this.label = label;
            this.replicate = replicate;
            this.secondWriterRate = secondWriterRate;
            this.cpuAtSliceEnd = new double[count];
            String seed = "";
            for (int i = 0; i < count; i++) {
                int port = replicate ? freePort() : 0;
                nodes.add(new NodeProcess("n" + i, BenchNode.class, List.of(dir.resolve("n" + i + ".db").toString(),
                        Integer.toString(port), seed), dir.resolve("n" + i + ".log"),
                        jvmOptions(dir.resolve("n" + i + ".jfr"), i == 1 && replicate)));
                seed = seed.isEmpty() && replicate ? "127.0.0.1:" + port : seed;
            }
        }

        /** Waits until every node is up and, in a cluster, knows every other. */
        void ready() throws Exception {
            for (NodeProcess n : nodes) {
                n.next("READY", Duration.ofSeconds(60));
            }
            if (replicate) {
                for (NodeProcess n : nodes) {
                    while (Integer.parseInt(n.ask("MEMBERS", "MEMBERS")) < nodes.size() - 1) {
                        Thread.sleep(100); // polling a child process
                    }
                }
            }
        }

        /**
         * The same load for {@code -Dbench.warmup} seconds (default 120 in the Maven profile) before the measured run,
         * until every row is on every node; then the nodes forget what they noted. Without it a run measures the JIT
         * compiler: five JVMs on two cores kept their C2 compilers busy for about two minutes (a quarter of the
         * machine's CPU after 10 s, ~1% after 130 s). The last {@value #SETTLE_SECONDS} s are a round of their own: the
         * first round's end (the row counts, FORGET) made the JIT compile again for ~15 s (C2 at a fifth of the
         * machine's CPU in the first 10 s of the measured run); after the second round's end it does not.
         */
        void warmUp(double rate) throws Exception {
            double seconds = Double.parseDouble(System.getProperty("bench.warmup", "120"));
            if (seconds <= 0) {
                return;
            }
            System.out.printf(Locale.ROOT, "%s: warming up, %.0f s ...%n", label, seconds);
            double settle = Math.min(SETTLE_SECONDS, seconds / 4);
            runAll(rate, seconds - settle, 5_000_000L);
            forget();
            runAll(rate, settle, 8_000_000L);
            forget();
        }

        /**
         * Slice {@code slice} of {@code slices} of the measured load, its keys after the slices before; a cluster's
         * slice ends when every row is everywhere, so that its tail does not run into the next set's slice.
         */
        void slice(double rate, double seconds, int slice, int slices) throws Exception {
            long perNode = Math.round(rate * seconds / nodes.size());
            if (2 * (perNode + 1) * slices >= 5_000_000L) {
                throw new IllegalArgumentException("too many rows per node for the key ranges: " + perNode * slices);
            }
            if (slice > 0) { // what it did while the other sets had their turns
                for (int i = 0; i < nodes.size(); i++) {
                    idleCpuMillis += Double.parseDouble(nodes.get(i).ask("CPU", "CPU")) - cpuAtSliceEnd[i];
                }
                idleNanos += System.nanoTime() - sliceEnded;
            }
            String[] ran = runAll(rate, seconds, 2 * (perNode + 1) * slice); // twice: a second writer's keys too
            for (int i = 0; i < nodes.size(); i++) {
                cpuAtSliceEnd[i] = Double.parseDouble(nodes.get(i).ask("CPU", "CPU"));
                cpuMillis += cpuAtSliceEnd[i];
            }
            sliceEnded = System.nanoTime();
            this.ran = ran;
        }

        /**
         * The mean over nodes of the figures of the last RAN answers, which cover every slice (commit microseconds:
         * mean, p50, p90, p99, p99.9; on-CPU).
         */
        double[] times() {
            double[] times = new double[6];
            for (String r : ran) {
                String[] w = r.split(" ", 8);
                for (int k = 0; k < times.length; k++) {
                    times[k] += Double.parseDouble(w[k + 1]) / nodes.size();
                }
            }
            return times;
        }

        /** Per node what the write lock and the scheduler did; CPU per row written, and while other loads ran. */
        void report(double rowsWritten, boolean othersRan) {
            System.out.printf(Locale.ROOT, "%s:%n", label);
            for (int i = 0; i < nodes.size(); i++) {
                String[] w = ran[i].split(" ", 8);
                if (w.length > 7) { // the write lock (the agent's or second writer's hold, the waits), the scheduler
                    System.out.println("  " + nodes.get(i).name() + ": " + w[7]);
                }
            }
            // the nodes' CPU from the start of each slice until every row was everywhere, per row written
            System.out.printf(Locale.ROOT, "  CPU of all node JVMs per row written: %.0f us (steadier than the times on"
                    + " a busy machine)%n", cpuMillis * 1000 / rowsWritten);
            if (othersRan && idleNanos > 0) {
                System.out.printf(Locale.ROOT, "  idle while the other sets ran: %.1f%% of a core in all%n",
                        idleCpuMillis / (idleNanos / 1e6) * 100);
            }
        }

        /**
         * Every node runs the load with keys from {@code keyOffset} on; in a cluster, until every row is everywhere.
         * Returns the nodes' RAN answers (each covering the runs since the last FORGET).
         */
        private String[] runAll(double rate, double seconds, long keyOffset) throws Exception {
            int count = nodes.size();
            for (int i = 0; i < count; i++) {
                nodes.get(i).tell(run(rate / count, seconds, (i + 1) * 10_000_000L + keyOffset, secondWriterRate,
                        count));
            }
            String[] ran = new String[count];
            for (int i = 0; i < count; i++) {
                ran[i] = nodes.get(i).next("RAN", Duration.ofSeconds((long) seconds * 3 + 60));
            }
            rows += Math.round(rate * seconds / count) * count;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            for (NodeProcess n : nodes) {
                while (replicate && Long.parseLong(n.ask("COUNT bench", "COUNT")) < rows && System.nanoTime() < deadline) {
                    Thread.sleep(20); // polling a child process
                }
            }
            return ran;
        }

        private void forget() throws Exception {
            for (NodeProcess n : nodes) {
                n.ask("FORGET", "FORGOT");
            }
        }

        @Override
        public void close() throws InterruptedException {
            for (NodeProcess n : nodes) {
                n.close();
            }
        }
    }

    /** A node's RUN command. */
    private static String run(double rate, double seconds, long baseId, double secondWriterRate, int nodes) {
        return "RUN " + rate + " " + seconds + " " + baseId
                + (secondWriterRate > 0 ? " " + secondWriterRate + " " + (nodes - 1) : "");
    }

    private static final int SETTLE_SECONDS = 20;

    private static void propagation(Path dir, List<NodeProcess> nodes, long total) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (NodeProcess n : nodes) {
            while (Long.parseLong(n.ask("COUNT bench", "COUNT")) < total && System.nanoTime() < deadline) {
                Thread.sleep(200); // polling a child process
            }
        }
        Map<Long, Long> committed = new HashMap<>();
        Map<Long, Long> lastArrival = new HashMap<>();
        Map<Long, Integer> arrivals = new HashMap<>();
        for (NodeProcess n : nodes) {
            Path file = dir.resolve(n.name() + ".times");
            n.ask("DUMP " + file, "DUMPED");
            for (String line : Files.readAllLines(file)) {
                String[] w = line.split(" ");
                long id = Long.parseLong(w[1]);
                long at = Long.parseLong(w[2]);
                if (w[0].equals("C")) {
                    committed.put(id, at);
                } else {
                    lastArrival.merge(id, at, Math::max);
                    arrivals.merge(id, 1, Integer::sum);
                }
            }
        }
        List<Long> latencies = new ArrayList<>();
        long incomplete = 0;
        for (Map.Entry<Long, Long> e : committed.entrySet()) {
            Long last = lastArrival.get(e.getKey());
            if (last == null || arrivals.get(e.getKey()) < nodes.size() - 1) {
                incomplete++;
            } else {
                latencies.add(last - e.getValue());
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "Propagation, commit -> visible on all %d nodes (%d rows; %d not heard of by every"
                        + " listener): p50 %.2f ms, p99 %.2f ms, max %.2f ms   (goal: p99 <= 20 ms)%n", nodes.size(),
                committed.size(), incomplete, pct(sorted, 0.5), pct(sorted, 0.99), pct(sorted, 1.0));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1000.0;
    }

    private static void catchUp(Path dir, long changes) throws Exception {
        Files.createDirectories(dir);
        long rows = changes / 4;
        Path peerFile = dir.resolve("peer.db");
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + peerFile)) {
            try (Statement s = c.createStatement()) {
                s.execute(BenchNode.BENCH_TABLE);
                s.execute(BenchNode.CATCHUP_TABLE);
            }
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO catchup (id, a, b, c, d) VALUES (?, ?, ?, ?, ?)")) {
                for (long id = 1; id <= rows; id++) {
                    p.setLong(1, id);
                    p.setLong(2, id * 7);
                    p.setString(3, "b" + id);
                    p.setDouble(4, id / 3.0);
                    p.setString(5, "row " + id);
                    p.addBatch();
                    if (id % 10_000 == 0 || id == rows) {
                        p.executeBatch();
                        c.commit();
                    }
                }
            }
        } finally {
            CorrosionDriver.shutdown(peerFile.toString());
        }
        System.out.printf(Locale.ROOT, "%nCatch-up: peer file with %,d rows x 4 columns written in %.1f s%n", rows,
                (System.nanoTime() - t0) / 1e9);
        int peerPort = freePort();
        try (NodeProcess peer = new NodeProcess("peer", BenchNode.class, List.of(peerFile.toString(),
                Integer.toString(peerPort), ""), dir.resolve("peer.log"), jvmOptions(dir.resolve("peer.jfr"), true))) {
            peer.next("READY", Duration.ofSeconds(60));
            String token = peer.ask("TOKEN", "TOKEN");
            long start = System.nanoTime();
            try (NodeProcess empty = new NodeProcess("empty", BenchNode.class, List.of(dir.resolve("empty.db").toString(),
                    Integer.toString(freePort()), "127.0.0.1:" + peerPort), dir.resolve("empty.log"),
                    jvmOptions(dir.resolve("empty.jfr"), true))) {
                empty.next("READY", Duration.ofSeconds(60));
                empty.tell("AWAIT " + token);
                String applied = empty.next("APPLIED", Duration.ofMinutes(5));
                double took = (System.nanoTime() - start) / 1e9;
                long have = Long.parseLong(empty.ask("COUNT catchup", "COUNT"));
                System.out.printf(Locale.ROOT, "  empty node caught up: %s, %,d of %,d rows, %.1f s from launching its JVM"
                        + " (%,.0f column changes/s)   (goal: <= 20 s)%n", applied, have, rows, took, changes / took);
            }
        }
    }

    /**
     * Node JVM options; {@code -Dbench.jfr=true} records the second cluster node with Flight Recorder,
     * {@code -Dbench.jvmArgs="..."} adds options (space-separated) to every node JVM. The nodes run ZGC unless those
     * options choose a collector: with the serial collector a node stopped for 20-90 ms every ~7.5 s (a young
     * collection of ~100 MB on a busy core), and those pauses were the p99 (24 ms against 15 ms with ZGC, same build).
     */
    private static String[] jvmOptions(Path jfr, boolean candidate) {
        List<String> options = new ArrayList<>(List.of("-Xmx1g"));
        List<String> extra = new ArrayList<>();
        for (String option : System.getProperty("bench.jvmArgs", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                extra.add(option);
            }
        }
        if (!NodeProcess.choosesCollector(extra)) {
            options.add("-XX:+UseZGC");
        }
        options.addAll(extra);
        if (!System.getProperty("bench.logback", "").isEmpty()) {
            options.add("-Dlogback.configurationFile=" + System.getProperty("bench.logback"));
        }
        if (candidate && Boolean.getBoolean("bench.jfr")) {
            options.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        return options.toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return socket.getLocalPort();
        }
    }
}
