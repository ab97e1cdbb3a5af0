package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-system deterministic simulation, many seeds: real SQLite files, the real CRR engine and replication store,
 * gossip's cores on the simulated network, faults, then {@link HistoryChecker}. Seeds {@code chaos.sim.first} ..
 * {@code + chaos.sim.seeds - 1} (default 1..200; {@code -Pchaos-sim} runs 1,000); {@code -Dchaos.sim.seed=N} replays
 * one.
 */
class ClusterSimulationTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSimulationTest.class);

    static List<Long> seeds() {
        Long one = Long.getLong("chaos.sim.seed");
        if (one != null) {
            return List.of(one);
        }
        long first = Long.getLong("chaos.sim.first", 1);
        long count = Long.getLong("chaos.sim.seeds", 200);
        List<Long> seeds = new ArrayList<>();
        for (long s = first; s < first + count; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    /** Files on tmpfs when there is one: the simulation is about logic, not the disk. */
    static Path scratch(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix)
                : Files.createTempDirectory(prefix);
    }

    static ClusterSimulation.Outcome runSeed(long seed) throws IOException, SQLException {
        Path dir = scratch("chaos-sim-" + seed + "-");
        ClusterSimulation.Outcome outcome = ClusterSimulation.run(seed, dir);
        if (outcome.ok()) {
            TestFiles.deleteTree(dir);
        } else {
            LOG.error("seed {} failed; files kept in {}\n{}", seed, dir, outcome.report());
        }
        return outcome;
    }

    @Test
    void everySeedConvergesWithNoAcknowledgedWriteLostAndNoPhantom() throws Exception {
        List<Long> seeds = seeds();
        List<ClusterSimulation.Outcome> failed = new ArrayList<>();
        List<Long> convergence = new ArrayList<>();
        Map<String, Integer> faults = new TreeMap<>();
        long acknowledged = 0;
        long started = System.nanoTime();
        for (long seed : seeds) {
            ClusterSimulation.Outcome outcome = runSeed(seed);
            if (!outcome.ok()) {
                failed.add(outcome);
            }
            convergence.add(outcome.convergeMillis());
            outcome.faults().forEach((k, v) -> faults.merge(k, v, Integer::sum));
            acknowledged += outcome.check().history().acknowledgedCount();
        }
        convergence.sort(null);
        LOG.info("whole-system simulation: {} seeds ({}..{}), {} passed, {} acknowledged writes checked; faults {}; "
                        + "convergence after heal p50 {} ms, p99 {} ms, max {} ms (simulated); {} s wall",
                seeds.size(), seeds.get(0), seeds.get(seeds.size() - 1), seeds.size() - failed.size(), acknowledged,
                faults, percentile(convergence, 50), percentile(convergence, 99),
                convergence.get(convergence.size() - 1), (System.nanoTime() - started) / 1_000_000_000);
        assertThat(failed).as(() -> failed.size() + " seeds failed: " + failed.stream()
                .map(ClusterSimulation.Outcome::seed).toList() + "\nfirst:\n" + failed.get(0).report()).isEmpty();
        if (seeds.size() >= 50) {
            // The run must have exercised what it claims to (else it passes by doing nothing).
            assertThat(faults).containsKeys("partition", "crash", "crash between commit and broadcast",
                    "crash during apply", "restart");
            assertThat(faults.get("lost")).isPositive();
        }
    }

    @Test
    void aSeedReplaysExactly() throws Exception {
        long seed = Long.getLong("chaos.sim.seed", 17);
        ClusterSimulation.Outcome first = runSeed(seed);
        ClusterSimulation.Outcome second = runSeed(seed);
        assertThat(second.convergeMillis()).isEqualTo(first.convergeMillis());
        assertThat(second.faults()).isEqualTo(first.faults());
        assertThat(second.check().history().events()).isEqualTo(first.check().history().events());
        assertThat(second.check().summary()).isEqualTo(first.check().summary());
    }

    static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
