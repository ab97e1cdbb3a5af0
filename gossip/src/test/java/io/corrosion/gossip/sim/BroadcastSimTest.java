package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BroadcastSimTest {

    /** Waits until every node sees all others alive. */
    static boolean formCluster(Simulation sim, List<SimNode> nodes, long maxMillis) {
        sim.startAll(nodes, 2_000);
        int n = nodes.size();
        return sim.runUntil(() -> nodes.stream().allMatch(node -> node.isUp()
                && node.core().membership().livePeers().size() == n - 1), maxMillis, 250);
    }

    @Test
    void hundredNodesEveryBroadcastReachesEveryNodeByBroadcastAlone() {
        // Sync off: whatever arrives, arrives by broadcast.
        GossipConfig config = GossipConfig.builder().syncInterval(Duration.ofHours(1)).build();
        Simulation sim = new Simulation(SimSeeds.seed(100), config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(100, 3);
        assertThat(formCluster(sim, nodes, 120_000)).as(SimSeeds.replay(sim)).isTrue();

        Coverage coverage = new Coverage();
        sim.addObserver(coverage);
        SplittableRandom random = new SplittableRandom(sim.seed());
        for (int i = 0; i < 50; i++) {
            SimNode writer = nodes.get(random.nextInt(nodes.size()));
            coverage.written(writer, sim.write(writer, 200 + random.nextInt(4_000), 8_192), sim.now());
            sim.runFor(100);
        }
        sim.runFor(2_000);

        assertThat(sim.converged()).as(SimSeeds.replay(sim)).isTrue();
        assertThat(coverage.spreads()).hasSize(50).allSatisfy(spread -> {
            assertThat(spread.byBroadcast()).as(SimSeeds.replay(sim)).isEqualTo(99);
            assertThat(spread.fullCoverageMillis(100)).isBetween(0L, 1_000L);
        });
        assertThat(sim.stats().oversizeDatagrams()).isZero();
        assertThat(sim.stats().oversizeFrames()).isZero();
        assertThat(sim.stats().decodeFailures()).isZero();
    }
}
