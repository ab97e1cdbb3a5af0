package io.corrosion.jdbc.chaos;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.sim.NetworkConditions;
import io.corrosion.gossip.sim.SimNode;
import io.corrosion.gossip.sim.Simulation;
import io.corrosion.jdbc.replication.SimReplica;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The whole system in one thread: real SQLite files with the real CRR engine and the replication store and publisher
 * ({@link SimReplica}), gossip's real cores on the simulated network and clock ({@link Simulation}). One seed picks
 * the cluster size, the network (loss, duplication, reordering by latency), the workload and the faults: partitions,
 * crashes and restarts, a crash between a commit and its broadcast, a crash in the middle of an apply. Then the
 * faults stop, the cluster heals, and {@link HistoryChecker} judges every node. The same seed replays the same run.
 */
public final class ClusterSimulation {
    /** How long writes and faults go on (simulated). */
    static final long CHAOS_MILLIS = 8_000;
    /** How long the healed cluster may take to converge (simulated) before the run fails. */
    static final long CONVERGE_LIMIT_MILLIS = 120_000;

    /** What a run did and what the checker found. */
    public record Outcome(long seed, HistoryChecker.Result check, boolean converged, long convergeMillis,
            Map<String, Integer> faults, String network) {
        public boolean ok() {
            return converged && check.ok();
        }

        public String report() {
            return (converged ? "converged " + convergeMillis + " ms after heal" : "DID NOT CONVERGE within "
                    + CONVERGE_LIMIT_MILLIS + " ms after heal") + "; faults " + faults + "; network " + network + "\n"
                    + check.report() + "replay: mvn -pl driver -am test -Dtest=ClusterSimulationTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dchaos.sim.seed=" + seed;
        }
    }

    private final long seed;
    private final SplittableRandom random;
    private final Simulation sim;
    private final History history;
    private final List<SimReplica> replicas = new ArrayList<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final int[] lives;
    private final Map<String, Integer> faults = new TreeMap<>();
    private final String network;

    private ClusterSimulation(long seed, Path dir) throws SQLException {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.history = new History(seed);
        int n = 3 + random.nextInt(3);
        double loss = random.nextDouble() * 0.15;
        NetworkConditions conditions = new NetworkConditions(1, 1 + random.nextInt(10), loss, loss / 2,
                random.nextDouble() * 0.1);
        this.network = String.format("loss %.3f, stream loss %.3f, duplication %.3f, latency 1 ms + %.0f ms mean",
                conditions.datagramLoss(), conditions.streamLoss(), conditions.duplication(),
                conditions.meanExtraLatencyMillis());
        GossipConfig config = GossipConfig.builder().syncInterval(Duration.ofSeconds(1))
                .syncSessionTimeout(Duration.ofSeconds(5)).build();
        this.sim = new Simulation(seed, config, conditions);
        this.lives = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] site = new byte[16];
            random.nextBytes(site);
            SimReplica replica = new SimReplica(dir.resolve("n" + i + ".db"), site, Workload.CREATE_TABLES,
                    Workload.tableNames());
            replicas.add(replica);
            nodes.add(sim.addNode(SiteId.of(site), replica.store(), i < 2));
        }
    }

    /** Runs one seed with its files in {@code dir}. */
    public static Outcome run(long seed, Path dir) throws SQLException {
        ClusterSimulation run = new ClusterSimulation(seed, dir);
        try {
            return run.run();
        } finally {
            run.replicas.forEach(SimReplica::close);
        }
    }

    private Outcome run() throws SQLException {
        sim.startAll(nodes, 500);
        sim.runFor(1_500);
        long start = sim.now();
        history.event(start, "cluster of " + nodes.size() + " up; network " + network);
        scheduleFaults(start);
        Workload workload = new Workload(random.split(), 4 + random.nextInt(5));
        int writes = 30 + random.nextInt(40);
        long[] at = random.longs(writes, start, start + CHAOS_MILLIS).sorted().toArray();
        for (long t : at) {
            sim.schedule(t, () -> write(workload));
        }
        sim.runFor(CHAOS_MILLIS);

        sim.heal();
        sim.setConditions(NetworkConditions.lan());
        for (int i = 0; i < nodes.size(); i++) {
            // An armed crash that no apply has set off yet would fire while the cluster converges, after the faults
            // stopped, and the convergence check needs every node open
            replicas.get(i).crashDuringNextApply(null);
            if (!replicas.get(i).isOpen()) {
                restart(i);
            }
        }
        long healed = sim.now();
        history.event(healed, "faults stop: partitions healed, every node up, network lossless");
        boolean converged = sim.runUntil(() -> Replicas.converged(replicas), CONVERGE_LIMIT_MILLIS, 50);
        long convergeMillis = sim.now() - healed;
        history.event(sim.now(), converged ? "converged" : "gave up waiting for convergence");
        faults.merge("lost", (int) sim.stats().lost(), Integer::sum);
        faults.merge("partitioned msgs", (int) sim.stats().partitioned(), Integer::sum);
        return new Outcome(seed, HistoryChecker.check(history, Replicas.states(replicas, "n")), converged, convergeMillis, faults, network);
    }

    // ---- faults ---------------------------------------------------------------------------------------------

    private void scheduleFaults(long start) {
        int partitions = 1 + random.nextInt(2);
        for (int p = 0; p < partitions; p++) {
            long from = start + random.nextLong(CHAOS_MILLIS - 1_000);
            long until = Math.min(start + CHAOS_MILLIS, from + 500 + random.nextLong(3_000));
            List<SimNode> side = new ArrayList<>();
            for (SimNode node : nodes) {
                if (random.nextBoolean()) {
                    side.add(node);
                }
            }
            sim.schedule(from, () -> {
                sim.partition(List.of(side));
                count("partition");
                history.event(sim.now(), "partition: " + side + " | the rest");
            });
            sim.schedule(until, () -> {
                sim.heal();
                history.event(sim.now(), "partition healed");
            });
        }
        int crashes = random.nextInt(3);
        for (int c = 0; c < crashes; c++) {
            int i = random.nextInt(nodes.size());
            long when = start + random.nextLong(CHAOS_MILLIS);
            long down = 300 + random.nextLong(3_000);
            sim.schedule(when, () -> {
                if (replicas.get(i).isOpen()) {
                    crash(i, "crash");
                    sim.schedule(sim.now() + down, () -> restart(i));
                }
            });
        }
        if (random.nextBoolean()) {
            int i = random.nextInt(nodes.size());
            long when = start + random.nextLong(CHAOS_MILLIS / 2);
            sim.schedule(when, () -> {
                if (replicas.get(i).isOpen()) {
                    history.event(sim.now(), name(i) + " armed to crash during its next apply");
                    int life = lives[i];
                    replicas.get(i).crashDuringNextApply(() -> {
                        sim.crash(nodes.get(i));
                        lives[i]++;
                        count("crash during apply");
                        history.event(sim.now(), name(i) + " crashed in the middle of an apply");
                        sim.schedule(sim.now() + 200 + random.nextLong(2_000), () -> restartIf(i, life + 1));
                    });
                }
            });
        }
    }

    private void crash(int i, String kind) {
        replicas.get(i).crash();
        sim.crash(nodes.get(i));
        lives[i]++;
        count(kind);
        history.event(sim.now(), name(i) + ": " + kind);
    }

    private void restartIf(int i, int life) {
        if (lives[i] == life && !replicas.get(i).isOpen()) {
            restart(i);
        }
    }

    private void restart(int i) {
        if (replicas.get(i).isOpen()) {
            return;
        }
        try {
            replicas.get(i).reopen();
        } catch (SQLException e) {
            throw new IllegalStateException("seed " + seed + ": " + name(i) + " cannot reopen its file", e);
        }
        sim.start(nodes.get(i));
        count("restart");
        history.event(sim.now(), name(i) + " restarted");
    }

    private void count(String fault) {
        faults.merge(fault, 1, Integer::sum);
    }

    // ---- the application --------------------------------------------------------------------------------------

    private void write(Workload workload) {
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).isOpen()) {
                up.add(i);
            }
        }
        if (up.isEmpty()) {
            return;
        }
        int i = up.get(random.nextInt(up.size()));
        SimReplica replica = replicas.get(i);
        List<String> tx = workload.nextTransaction(name(i));
        try {
            Replicas.commit(replica, name(i), tx, history);
        } catch (SQLException e) {
            throw new IllegalStateException("seed " + seed + ": " + name(i) + " refused " + tx, e);
        }
        if (random.nextInt(40) == 0) {
            crash(i, "crash between commit and broadcast");
            int life = lives[i];
            sim.schedule(sim.now() + 200 + random.nextLong(2_000), () -> restartIf(i, life));
            return;
        }
        int life = lives[i];
        sim.schedule(sim.now() + 5, () -> publish(i, life));
    }

    /** The agent's publisher runs a few ms after the commit, if the node lives on. */
    private void publish(int i, int life) {
        if (lives[i] != life || !replicas.get(i).isOpen()) {
            return;
        }
        try {
            for (Changeset cs : replicas.get(i).publish()) {
                sim.broadcast(nodes.get(i), cs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("seed " + seed + ": " + name(i) + " cannot publish", e);
        }
    }

    private static String name(int i) {
        return "n" + i;
    }
}
