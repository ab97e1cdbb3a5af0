package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.MemberStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10 % loss on every channel, a partition that heals, 20 % of the nodes crashed and restarted (stores intact),
 * writes throughout, some versions superseded (served as empties) and some big enough to be chunked: in the end
 * every node has every version every node wrote.
 */
class ChaosConvergenceSimTest {

    static GossipConfig chaosConfig() {
        return GossipConfig.builder().syncSessionTimeout(Duration.ofSeconds(5)).build();
    }

    static java.util.stream.LongStream seeds() {
        return SimSeeds.seeds(7, 8, 9);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lossPartitionsAndRestartsEndWithEveryNodeHavingEveryChangeset(long seed) {
        Simulation sim = new Simulation(seed, chaosConfig(), NetworkConditions.lan().withLoss(0.10));
        int n = 100;
        List<SimNode> nodes = sim.addNodes(n, 3);
        sim.startAll(nodes, 2_000);
        sim.runFor(10_000);

        SplittableRandom random = new SplittableRandom(sim.seed());
        // Partition a third of the cluster away from 10 s to 30 s.
        List<SimNode> minority = new ArrayList<>(nodes.subList(0, n / 3));
        sim.schedule(sim.now() + 5_000, () -> sim.partition(List.of(minority)));
        sim.schedule(sim.now() + 25_000, sim::heal);
        // Crash 20 % (some of them seeds) at random moments, restart each 3-15 s later.
        List<SimNode> victims = new ArrayList<>(nodes.subList(n / 3 - 4, n / 3 - 4 + n / 5));
        for (SimNode victim : victims) {
            long crashAt = sim.now() + 2_000 + random.nextLong(30_000);
            sim.schedule(crashAt, () -> sim.crash(victim));
            sim.schedule(crashAt + 3_000 + random.nextLong(12_000), () -> sim.start(victim));
        }
        // Writes for 40 s from whichever nodes are up, some chunked, some later superseded.
        for (int i = 0; i < 400; i++) {
            sim.runFor(100);
            List<SimNode> up = sim.upNodes();
            SimNode writer = up.get(random.nextInt(up.size()));
            sim.write(writer, random.nextInt(10) == 0 ? 20_000 : 300, 8_192);
            if (random.nextInt(8) == 0) {
                long head = writer.store().head(writer.siteId());
                writer.store().supersede(writer.siteId(), 1 + random.nextLong(head));
            }
        }
        assertThat(sim.converged()).as("not yet: the test must exercise catching up").isFalse();

        boolean converged = sim.runUntil(sim::converged, 120_000, 500);
        assertThat(converged).as("%s; lagging %s; %s", SimSeeds.replay(sim), sim.lagging(), sim.stats()).isTrue();
        assertThat(sim.upNodes()).hasSize(n);
        assertThat(sim.stats().decodeFailures()).isZero();
        assertThat(sim.stats().oversizeDatagrams()).isZero();
        // Membership healed too: the partition's two sides and the restarted nodes see each other again.
        boolean healed = sim.runUntil(() -> sim.upNodes().stream().allMatch(o -> sim.upNodes().stream()
                .allMatch(x -> x == o || o.statusOf(x) == MemberStatus.ALIVE || o.statusOf(x) == MemberStatus.SUSPECT)),
                60_000, 500);
        assertThat(healed).as(SimSeeds.replay(sim)).isTrue();
        long syncApplied = sim.upNodes().stream().mapToLong(node -> node.core().stats().apply().newFromSync()).sum();
        assertThat(syncApplied).as("sync closed gaps").isPositive();
    }
}
