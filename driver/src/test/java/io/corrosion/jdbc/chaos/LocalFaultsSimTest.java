package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.sim.NetworkConditions;
import io.corrosion.gossip.sim.SimNode;
import io.corrosion.gossip.sim.Simulation;
import io.corrosion.jdbc.replication.SimReplica;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose file refuses writes for a while (read-only, or a full disk) while changes arrive: it keeps serving
 * reads and taking local writes on its other connections, its applies fail and are retried (by later copies and
 * sync), and once the file takes writes again nothing acknowledged anywhere is missing.
 */
class LocalFaultsSimTest {
    @TempDir
    Path dir;

    /** A fault on the victim's agent writer, switched on and off. */
    @FunctionalInterface
    private interface WriterFault {
        void set(SimReplica victim, boolean on) throws SQLException;
    }

    @Test
    void aNodeWhoseFileTurnsReadOnlyServesReadsRetriesAndLosesNothing() throws Exception {
        faultThenHeal(SimReplica::writerReadOnly, "n1's file refuses the agent's writes", false);
    }

    @Test
    void aNodeWhoseDiskFillsUpServesReadsRetriesAndLosesNothing() throws Exception {
        // The file must grow for a full disk to bite: rows with 8 KB values beside the workload's small updates.
        faultThenHeal(SimReplica::writerDiskFull, "n1's disk is full for the agent", true);
    }

    private void faultThenHeal(WriterFault fault, String faultEvent, boolean bigRows) throws Exception {
        GossipConfig config = GossipConfig.builder().syncInterval(Duration.ofSeconds(1)).build();
        Simulation sim = new Simulation(11, config, NetworkConditions.lan());
        History history = new History(11);
        List<SimReplica> replicas = new ArrayList<>();
        List<SimNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                byte[] site = new byte[16];
                site[0] = (byte) (i + 1);
                SimReplica r = new SimReplica(dir.resolve("n" + i + ".db"), site, Workload.CREATE_TABLES,
                        Workload.tableNames());
                replicas.add(r);
                nodes.add(sim.addNode(r.siteId(), r.store(), i == 0));
            }
            sim.startAll(nodes, 0);
            sim.runFor(2_000);
            Workload workload = new Workload(new SplittableRandom(11), 6);
            SimReplica victim = replicas.get(1);
            for (int i = 0; i < 10; i++) {
                write(sim, history, replicas, nodes, 0, workload);
                sim.runFor(50);
            }
            fault.set(victim, true);
            history.event(sim.now(), faultEvent);
            long failedBefore = nodes.get(1).core().stats().apply().failedBatches();
            for (int i = 0; i < 60; i++) {
                write(sim, history, replicas, nodes, i % 3, workload);
                if (bigRows && i % 3 != 1) {
                    commit(sim, history, replicas, nodes, i % 3, List.of("INSERT INTO kv (k, a, b) VALUES ("
                            + (1_000 + i) + ", 'n" + (i % 3) + "-big-' || hex(zeroblob(4000)), " + i + ")"));
                }
                sim.runFor(50);
                try (Statement s = victim.app().createStatement(); var rs = s.executeQuery("SELECT count(*) FROM kv")) {
                    assertThat(rs.next()).as("the node keeps serving reads").isTrue();
                }
            }
            assertThat(nodes.get(1).core().stats().apply().failedBatches()).as("applies failed and will be retried")
                    .isGreaterThan(failedBefore);
            fault.set(victim, false);
            history.event(sim.now(), "n1's file takes writes again");
            assertThat(sim.runUntil(() -> Replicas.converged(replicas), 60_000, 50)).isTrue();
            HistoryChecker.Result result = HistoryChecker.check(history, Replicas.states(replicas, "n"));
            assertThat(result.violations()).as(result.report()).isEmpty();
            assertThat(history.acknowledgedCount()).isGreaterThan(50);
        } finally {
            replicas.forEach(SimReplica::close);
        }
    }

    private static void write(Simulation sim, History history, List<SimReplica> replicas, List<SimNode> nodes, int i,
            Workload workload) throws SQLException {
        commit(sim, history, replicas, nodes, i, workload.nextTransaction("n" + i));
    }

    private static void commit(Simulation sim, History history, List<SimReplica> replicas, List<SimNode> nodes, int i,
            List<String> statements) throws SQLException {
        SimReplica r = replicas.get(i);
        Replicas.commit(r, "n" + i, statements, history);
        for (Changeset cs : r.publish()) {
            sim.broadcast(nodes.get(i), cs);
        }
    }
}
