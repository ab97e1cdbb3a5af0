package io.corrosion.jdbc.chaos;

import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.testing.ChildJvm;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestFiles;
import io.corrosion.jdbc.replication.ChangesPayload;
import io.corrosion.jdbc.replication.PayloadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Real-process chaos: {@code --nodes} JVMs ({@link ChaosNodeMain}) under a conflicting write load, killed with SIGKILL
 * and restarted, paused with SIGSTOP/SIGCONT, and cut into two sides of a network partition, at random for
 * {@code --seconds}; after each fault it measures how long until every node has every write acknowledged before the
 * fault ended; then the faults stop, the cluster converges, and {@link HistoryChecker} judges every file against every
 * write any node acknowledged. Exits 1 if it finds a violation or the cluster does not converge.
 *
 * <p>Partitions need network namespaces ({@link NetnsNetwork}: root and {@code ip}); there each node runs in its own
 * namespace at {@code 10.77.0.<i+1>} with certificates of a throwaway cluster CA. Elsewhere, or with
 * {@code --no-netns}, the nodes run on loopback and the partitions are skipped, saying so.
 * Run: {@code mvn -B -pl driver -am -Pchaos-processes verify -DskipTests}
 * ({@code -Dchaos.args="--nodes 5 --seconds 60 --seed 1 [--no-netns]"}).
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
    private final ConvergeTimes converge = new ConvergeTimes();
    private final boolean netnsWanted;
    private NetnsNetwork network;
    private int launches;
    private int awaits;
    private int cutsVerified;
    private int cutsLeaked;
    private int failures;
    private int stalls;
    private int retried;

    private ProcessChaos(int count, long seconds, long seed, boolean netnsWanted) throws IOException {
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
        this.netnsWanted = netnsWanted;
        for (int i = 0; i < count; i++) {
            ports[i] = NodeProcesses.freePort();
        }
    }

    public static void main(String[] args) throws Exception {
        int nodes = 5;
        long seconds = 60;
        long seed = 1;
        boolean netns = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--no-netns" -> netns = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--nodes n, --seconds s, --seed n, --no-netns)");
            }
        }
        boolean ok = new ProcessChaos(nodes, seconds, seed, netns).run();
        System.exit(ok ? 0 : 1);
    }

    private long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private boolean run() throws Exception {
        long started = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "chaos-clean-up"));
        say("files in " + dir + "; netns partitions: " + startNetwork());
        for (int i = 0; i < count; i++) {
            launch(i);
        }
        awaitAll(60, () -> allAlive(count - 1), "every node sees every other");
        for (int i = 0; i < count; i++) {
            jvms[i].tell("LOAD " + random.nextLong() + " 20");
        }
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            long[] ackedBefore = lastAcked.clone();
            Thread.sleep(1_000 + random.nextLong(2_000)); // the pace of faults, not synchronisation
            collect();
            reportStalls(ackedBefore, started);
            int k = random.nextInt(count);
            long down = 500 + random.nextLong(2_500);
            int kind = network == null ? random.nextInt(2) : random.nextInt(3);
            String fault = switch (kind) {
                case 0 -> kill(k, down, started);
                case 1 -> pause(k, down, started);
                default -> partition(started);
            };
            awaitConvergence(fault, started);
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
        cleanUp();
        List<ReplicaState> states = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve("n" + i + ".db");
            // with its slot: opened without it, a node would write its claim again (as no longer configured)
            try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + file + "?node-slot=" + slot(i))) {
                states.add(ReplicaState.read("n" + i, c, Workload.TABLES));
            } finally {
                CorrosionDriver.shutdown(file.toString());
            }
        }
        HistoryChecker.Result result = HistoryChecker.check(history, states);
        say((converged ? "converged " + convergeMillis + " ms after the faults stopped" : "DID NOT CONVERGE") + "; "
                + converge.count("kill") + " kills, " + converge.count("pause") + " pauses, "
                + (network == null ? "no partitions" : converge.count("partition") + " partitions ("
                        + cutsVerified + " verified cut, " + cutsLeaked + " leaked)")
                + ", " + launches + " launches\nafter each fault, until every node had every write acknowledged "
                + "before it ended:\n" + converge.report() + "\n" + result.report());
        boolean ok = converged && result.ok() && converge.timeouts() == 0 && cutsLeaked == 0 && failures == 0;
        if (retried > 0) {
            say(retried + " transactions failed with 40001 (retryable) and were run again");
        }
        if (stalls > 0) {
            say(stalls + " times a node acknowledged no write between two faults (see STALLED above)");
        }
        if (failures > 0) {
            say(failures + " failures reported by the nodes (see above)");
        }
        if (ok) {
            TestFiles.deleteTree(dir);
        } else {
            say("files and node logs kept in " + dir);
        }
        return ok;
    }

    private String kill(int k, long down, long started) throws Exception {
        jvms[k].process().destroyForcibly();
        jvms[k].process().waitFor(10, TimeUnit.SECONDS);
        collect();
        say(elapsed(started), "n" + k + " killed (SIGKILL) for " + down + " ms");
        Thread.sleep(down); // the outage, not synchronisation
        launch(k);
        jvms[k].tell("LOAD " + random.nextLong() + " 20");
        return "kill";
    }

    private String pause(int k, long down, long started) throws IOException, InterruptedException {
        NodeProcesses.signal(jvms[k].process(), "STOP");
        say(elapsed(started), "n" + k + " paused (SIGSTOP) for " + down + " ms");
        Thread.sleep(down); // the pause, not synchronisation
        NodeProcesses.signal(jvms[k].process(), "CONT");
        return "pause";
    }

    /** Cuts 1 to half of the nodes off the others for 2-8 s, shows the cut holds, heals. */
    private String partition(long started) throws IOException, InterruptedException, PayloadException {
        Set<Integer> side = side();
        long cut = 2_000 + random.nextLong(6_000);
        collect();
        long[] ackedAtCut = lastAcked.clone();
        network.partition(side);
        long cutAt = System.nanoTime();
        say(elapsed(started), "partition " + names(side) + " | " + names(complement(side)) + " for " + cut + " ms");
        Thread.sleep(1_000); // the partition's first writes, not synchronisation
        verifyCut(side, ackedAtCut, started);
        Thread.sleep(Math.max(0, cut - (System.nanoTime() - cutAt) / 1_000_000)); // the rest of it
        say(elapsed(started), "  healing; members alive as each node sees them: " + IntStream.range(0, count)
                .mapToObj(i -> "n" + i + ":" + NodeProcesses.status(jvms[i], "alive")).collect(Collectors.joining(" ")));
        network.heal();
        return "partition";
    }

    /**
     * Between faults every node should keep acknowledging writes (one every 20 ms or so); one that acknowledged none
     * for a whole gap of 1-3 s is reported, with a thread dump of it in the run's directory.
     */
    private void reportStalls(long[] ackedBefore, long started) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            if (lastAcked[i] != ackedBefore[i]) {
                continue;
            }
            stalls++;
            Path dump = dir.resolve("n" + i + "-stall-" + elapsed(started) + ".txt");
            try {
                NodeProcesses.threadDump(jvms[i].process(), dump);
            } catch (IOException e) {
                say("no thread dump of n" + i + ": " + e.getMessage());
            }
            say(elapsed(started), "n" + i + " STALLED: acknowledged no write since the last fault (version "
                    + lastAcked[i] + "); thread dump in " + dump);
        }
    }

    /** Builds the namespaces and the nodes' certificates if it can; says what the run does about partitions. */
    private String startNetwork() throws IOException, InterruptedException {
        if (!netnsWanted) {
            return "off (--no-netns); nodes on loopback, pauses and kills only";
        }
        try {
            network = NetnsNetwork.open(count);
        } catch (IOException e) {
            return "skipped (" + e.getMessage() + "); nodes on loopback, pauses and kills only";
        }
        network.writeCredentials(dir.resolve("tls"));
        NetnsPlan plan = network.plan();
        return "on; each node in its own namespace (" + plan.nodeNamespace(0) + ", ...) at " + plan.address(0) + " to "
                + plan.address(count - 1) + ", linked by veth pairs to a bridge in " + plan.switchNamespace()
                + "; TLS with a throwaway cluster CA";
    }

    /** Kills the nodes still running and deletes the namespaces (at the end, and on any exit). */
    private void cleanUp() {
        for (ChildJvm jvm : jvms) {
            if (jvm != null && jvm.process().isAlive()) {
                jvm.process().destroyForcibly();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    /** One side of a partition: 1 to half of the nodes, at random. */
    private Set<Integer> side() {
        List<Integer> all = new ArrayList<>(IntStream.range(0, count).boxed().toList());
        for (int i = all.size() - 1; i > 0; i--) {
            Collections.swap(all, i, random.nextInt(i + 1));
        }
        return new TreeSet<>(all.subList(0, 1 + random.nextInt(Math.max(1, count / 2))));
    }

    private Set<Integer> complement(Set<Integer> side) {
        return IntStream.range(0, count).filter(i -> !side.contains(i)).boxed().collect(Collectors.toCollection(
                TreeSet::new));
    }

    private static String names(Set<Integer> nodes) {
        return nodes.stream().map(i -> "n" + i).collect(Collectors.joining(",", "{", "}"));
    }

    /**
     * Shows that the partition cuts: each node waits 1 s for the writes the other side acknowledged since the cut
     * (under load). Without a partition they take some milliseconds; through one they must not arrive.
     */
    private void verifyCut(Set<Integer> side, long[] ackedAtCut, long started)
            throws PayloadException, InterruptedException {
        collect();
        String during = IntStream.range(0, count).mapToObj(i -> "n" + i + ":+" + (lastAcked[i] - ackedAtCut[i]))
                .collect(Collectors.joining(" "));
        String id = "c" + ++awaits;
        Set<Integer> asked = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            boolean mine = side.contains(i);
            String others = IntStream.range(0, count)
                    .filter(j -> side.contains(j) != mine && lastAcked[j] > ackedAtCut[j])
                    .mapToObj(this::token)
                    .collect(Collectors.joining(","));
            if (!others.isEmpty()) {
                jvms[i].tell("AWAIT " + id + " " + others + " 1");
                asked.add(i);
            }
        }
        awaitAll(15, () -> asked.stream().allMatch(i -> jvms[i].said("AWAITED " + id + " ")),
                "every node's answer to " + id);
        List<String> leaked = asked.stream().filter(i -> jvms[i].lines().stream()
                .anyMatch(l -> l.startsWith("AWAITED " + id + " ") && l.endsWith(" true"))).map(i -> "n" + i)
                .toList();
        if (asked.isEmpty()) {
            say(elapsed(started), "  cut not verified: no node acknowledged a write since the cut");
        } else if (leaked.isEmpty()) {
            cutsVerified++;
            say(elapsed(started), "  cut verified: no node got the other side's latest writes within 1 s (versions"
                    + " acknowledged since the cut " + during + ")");
        } else {
            cutsLeaked++;
            say(elapsed(started), "  CUT LEAKED: " + leaked + " got the other side's latest writes (versions"
                    + " acknowledged since the cut " + during + ")");
        }
    }

    /**
     * After a fault ended: how long until every node has every version every node acknowledged (or, for a restarted
     * node, committed) so far. Each node measures its own wait from the moment it gets the tokens; the slowest counts.
     */
    private void awaitConvergence(String fault, long started) throws PayloadException, InterruptedException {
        collect();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (lastAcked[i] > 0) {
                tokens.add(token(i));
            }
        }
        String id = "a" + ++awaits;
        for (ChildJvm jvm : jvms) {
            jvm.tell("AWAIT " + id + " " + (tokens.isEmpty() ? "-" : String.join(",", tokens)) + " 60");
        }
        awaitAll(75, () -> java.util.Arrays.stream(jvms).allMatch(j -> j.said("AWAITED " + id + " ")),
                "every node's answer to " + id);
        long slowest = 0;
        boolean all = true;
        for (ChildJvm jvm : jvms) {
            String[] w = jvm.lines().stream().filter(l -> l.startsWith("AWAITED " + id + " ")).findFirst()
                    .orElse("AWAITED " + id + " 0 false").split(" ");
            slowest = Math.max(slowest, Long.parseLong(w[2]));
            all &= Boolean.parseBoolean(w[3]);
        }
        if (all) {
            converge.converged(fault, slowest);
            say(elapsed(started), "  converged " + slowest + " ms after the " + fault + " ended");
        } else {
            converge.timedOut(fault);
            say(elapsed(started), "  NOT CONVERGED within 60 s after the " + fault + " ended");
        }
    }

    private void say(long atMillis, String what) {
        history.event(atMillis, what);
        say(String.format("%8d ms  %s", atMillis, what));
    }

    private void launch(int i) throws IOException, InterruptedException, PayloadException {
        List<String> seeds = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            if (j != i) {
                seeds.add(host(j) + ":" + ports[j]);
            }
        }
        ChildJvm jvm = ChildJvm.launch("n" + i, network == null ? List.of() : network.plan().exec(i),
                ChaosNodeMain.class, List.of(dir.resolve("n" + i + ".db").toString(), host(i) + ":" + ports[i],
                        String.join(",", seeds), "n" + i, network == null ? "insecure" : dir.resolve("tls").toString(),
                        Integer.toString(slot(i))),
                dir.resolve("n" + i + "-" + launches + ".log"), Set.of("STATUS"));
        launches++;
        jvms[i] = jvm;
        linesRead[i] = 0;
        if (!awaitAll(60, () -> jvm.said("READY") || !jvm.process().isAlive(), "n" + i + " ready")
                || !jvm.said("READY")) {
            throw new IllegalStateException("n" + i + " did not start; see " + dir);
        }
        String[] ready = jvm.lines().stream().filter(l -> l.startsWith("READY ")).findFirst().orElseThrow().split(" ");
        sites[i] = HexFormat.of().parseHex(ready[1]);
        if (Long.parseLong(ready[3]) != jvm.process().pid()) {
            // SIGSTOP and SIGKILL must reach the JVM itself, not a wrapper around it.
            throw new IllegalStateException("n" + i + " runs as pid " + ready[3] + ", not " + jvm.process().pid());
        }
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
                if (w[0].equals("RETRIED")) {
                    retried++;
                }
                if (w[0].endsWith("-FAILED")) {
                    failures++;
                    say("n" + i + " reports " + lines.get(linesRead[i]));
                    history.event(-1, "n" + i + " reports " + lines.get(linesRead[i]));
                }
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

    /** A version token covering every version node {@code i} acknowledged so far. */
    private String token(int i) {
        return HexFormat.of().formatHex(sites[i]) + ":" + lastAcked[i];
    }

    /**
     * Node {@code i}'s key slot ({@code node-slot}). Nodes that start at the same time and claim theirs by a hash of
     * their site ids pick one slot 1 run in 1024 per pair; settling that commits claims again inside merges, and such
     * a commit right after a load transaction's would be acknowledged in its place.
     */
    private static int slot(int i) {
        return i + 1;
    }

    private String host(int i) {
        return network == null ? "127.0.0.1" : network.plan().address(i);
    }

    private boolean allAlive(int expected) {
        return java.util.Arrays.stream(jvms).allMatch(j -> NodeProcesses.status(j, "alive").equals(Integer.toString(expected)));
    }

    private boolean sameDigest() {
        String first = NodeProcesses.status(jvms[0], "digest");
        return !first.isEmpty() && java.util.Arrays.stream(jvms).allMatch(j -> NodeProcesses.status(j, "digest").equals(first));
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

    private static void say(String line) {
        System.out.println(line);
    }
}
