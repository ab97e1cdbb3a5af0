package io.corrosion.jdbc.chaos;

import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.testing.ChildJvm;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.replication.ChangesPayload;
import io.corrosion.jdbc.replication.PayloadException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real-process chaos: {@code --nodes} JVMs ({@link ChaosNodeMain}) on loopback under a conflicting write load, killed
 * with SIGKILL and restarted, paused with SIGSTOP/SIGCONT, at random for {@code --seconds}; then the faults stop, the
 * cluster converges, and {@link HistoryChecker} judges every file against every write any node acknowledged. Exits 1
 * if it finds a violation. Run: {@code mvn -B -pl driver -am -Pchaos-processes verify -DskipTests}
 * ({@code -Dchaos.args="--nodes 5 --seconds 60 --seed 1"}).
 */
public final class ProcessChaos {
    private final int count;
    private final long seconds;
    private final SplittableRandom random;
    private final History history;
    private final Path dir;
    private final int[] ports;
    private final ChildJvm[] jvms;
    private final byte[][] sites;
    private final int[] linesRead;
    private final long[] lastAcked;
    private int launches;

    private ProcessChaos(int count, long seconds, long seed) throws IOException {
        this.count = count;
        this.seconds = seconds;
        this.random = new SplittableRandom(seed);
        this.history = new History(seed);
        this.dir = Files.createTempDirectory("chaos-processes-");
        this.ports = new int[count];
        this.jvms = new ChildJvm[count];
        this.sites = new byte[count][];
        this.linesRead = new int[count];
        this.lastAcked = new long[count];
        for (int i = 0; i < count; i++) {
            ports[i] = freePort();
        }
    }

    public static void main(String[] args) throws Exception {
        int nodes = 5;
        long seconds = 60;
        long seed = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        boolean ok = new ProcessChaos(nodes, seconds, seed).run();
        System.exit(ok ? 0 : 1);
    }

    private long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private boolean run() throws Exception {
        long started = System.nanoTime();
        say("files in " + dir + "; netns partitions: skipped (this command pauses and kills processes only)");
        for (int i = 0; i < count; i++) {
            launch(i);
        }
        awaitAll(60, () -> allAlive(count - 1), "every node sees every other");
        for (int i = 0; i < count; i++) {
            jvms[i].tell("LOAD " + random.nextLong() + " 20");
        }
        int kills = 0;
        int pauses = 0;
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            Thread.sleep(1_000 + random.nextLong(2_000)); // the pace of faults, not synchronisation
            collect();
            int k = random.nextInt(count);
            long down = 500 + random.nextLong(2_500);
            if (random.nextBoolean()) {
                jvms[k].process().destroyForcibly();
                jvms[k].process().waitFor(10, TimeUnit.SECONDS);
                collect();
                history.event(elapsed(started), "n" + k + " killed (SIGKILL) for " + down + " ms");
                kills++;
                Thread.sleep(down); // the outage, not synchronisation
                launch(k);
                jvms[k].tell("LOAD " + random.nextLong() + " 20");
            } else {
                signal(k, "STOP");
                history.event(elapsed(started), "n" + k + " paused (SIGSTOP) for " + down + " ms");
                pauses++;
                Thread.sleep(down); // the pause, not synchronisation
                signal(k, "CONT");
            }
        }
        for (ChildJvm jvm : jvms) {
            jvm.tell("STOP");
        }
        awaitAll(30, () -> java.util.Arrays.stream(jvms).allMatch(j -> j.said("STOPPED")), "loads stopped");
        collect();
        long healed = System.nanoTime();
        history.event(elapsed(started), "faults and writes stop");
        boolean converged = awaitAll(180, this::sameDigest, "every node has the same crsql_changes outcome");
        long convergeMillis = (System.nanoTime() - healed) / 1_000_000;
        for (ChildJvm jvm : jvms) {
            jvm.tell("EXIT");
        }
        for (ChildJvm jvm : jvms) {
            jvm.process().waitFor(30, TimeUnit.SECONDS);
        }
        List<ReplicaState> states = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve("n" + i + ".db");
            try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + file)) {
                states.add(ReplicaState.read("n" + i, c, Workload.TABLES));
            } finally {
                CorrosionDriver.shutdown(file.toString());
            }
        }
        HistoryChecker.Result result = HistoryChecker.check(history, states);
        say((converged ? "converged " + convergeMillis + " ms after the faults stopped" : "DID NOT CONVERGE") + "; "
                + kills + " kills, " + pauses + " pauses, " + launches + " launches\n" + result.report());
        boolean ok = converged && result.ok();
        if (ok) {
            ClusterSimulationTest.delete(dir);
        } else {
            say("files and node logs kept in " + dir);
        }
        return ok;
    }

    private void launch(int i) throws IOException, InterruptedException, PayloadException {
        List<String> seeds = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            if (j != i) {
                seeds.add("127.0.0.1:" + ports[j]);
            }
        }
        ChildJvm jvm = ChildJvm.launch("n" + i, ChaosNodeMain.class, List.of(dir.resolve("n" + i + ".db").toString(),
                Integer.toString(ports[i]), String.join(",", seeds), "n" + i), dir.resolve("n" + i + "-" + launches
                + ".log"), Set.of("STATUS"));
        launches++;
        jvms[i] = jvm;
        linesRead[i] = 0;
        if (!awaitAll(60, () -> jvm.said("READY") || !jvm.process().isAlive(), "n" + i + " ready")
                || !jvm.said("READY")) {
            throw new IllegalStateException("n" + i + " did not start; see " + dir);
        }
        String[] ready = jvm.lines().stream().filter(l -> l.startsWith("READY ")).findFirst().orElseThrow().split(" ");
        sites[i] = HexFormat.of().parseHex(ready[1]);
        long version = Long.parseLong(ready[2]);
        if (version > lastAcked[i]) {
            // Commits the killed process made but never acknowledged: they may or may not be anywhere.
            jvm.tell("INFLIGHT " + (lastAcked[i] + 1) + " " + version);
            long expected = version - lastAcked[i];
            awaitAll(30, () -> jvm.lines().stream().filter(l -> l.startsWith("INFLIGHT ")).count() >= expected,
                    "n" + i + " in-flight versions");
            lastAcked[i] = version;
        }
        collect();
    }

    /** Reads new ACK / INFLIGHT lines of every node into the history. */
    private void collect() throws PayloadException {
        for (int i = 0; i < count; i++) {
            if (jvms[i] == null) {
                continue; // not launched yet
            }
            List<String> lines = jvms[i].lines();
            for (; linesRead[i] < lines.size(); linesRead[i]++) {
                String[] w = lines.get(linesRead[i]).split(" ");
                if (w[0].equals("ACK") || w[0].equals("INFLIGHT")) {
                    long version = Long.parseLong(w[1]);
                    List<Change> changes = ChangesPayload.decode(HexFormat.of().parseHex(w.length > 2 ? w[2] : ""),
                            sites[i], version, new LongRange(0, 1L << 40));
                    if (w[0].equals("ACK")) {
                        history.acknowledged("n" + i, changes);
                        lastAcked[i] = Math.max(lastAcked[i], version);
                    } else {
                        history.inFlight("n" + i, changes);
                    }
                }
            }
        }
    }

    private boolean allAlive(int expected) {
        return java.util.Arrays.stream(jvms).allMatch(j -> status(j, "alive").equals(Integer.toString(expected)));
    }

    private boolean sameDigest() {
        String first = status(jvms[0], "digest");
        return !first.isEmpty() && java.util.Arrays.stream(jvms).allMatch(j -> status(j, "digest").equals(first));
    }

    private static String status(ChildJvm jvm, String key) {
        String latest = jvm.latest("STATUS");
        if (latest == null) {
            return "";
        }
        for (String part : latest.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return "";
    }

    /** SIGSTOP / SIGCONT: ProcessHandle cannot pause a process, kill(1) can. */
    private void signal(int k, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(jvms[k].process().pid())).inheritIO()
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed for n" + k);
        }
    }

    private boolean awaitAll(long seconds, java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100); // polling a condition with a deadline
        }
        say("gave up waiting: " + what);
        return false;
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return socket.getLocalPort();
        }
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
