package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.MemberStatus;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Membership heals after the dead are forgotten (dead retention, 5 min by default): a long partition, and the only
 * seed coming back after a long outage or a goodbye, with the same site id.
 */
class MembershipHealingSimTest {

    private static String views(Simulation sim) {
        return sim.upNodes().stream().map(o -> o + "=" + sim.upNodes().stream().filter(x -> x != o)
                .map(x -> x + ":" + o.statusOf(x)).collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(" "));
    }

    private static boolean everyoneSeesEveryoneAlive(Simulation sim) {
        return sim.upNodes().stream().allMatch(o -> sim.upNodes().stream()
                .allMatch(x -> x == o || o.statusOf(x) == MemberStatus.ALIVE));
    }

    private static final GossipConfig CONFIG = GossipConfig.defaults();

    /** 6 nodes with one seed, split 3/3 for {@code millis}, then healed: within 10 min everyone sees everyone. */
    private static void assertHealsAfterAPartitionOf(long seed, long millis) {
        Simulation sim = new Simulation(SimSeeds.seed(seed), CONFIG, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(6, 1);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        sim.partition(List.of(nodes.subList(0, 3), nodes.subList(3, 6)));
        sim.runFor(millis);
        sim.heal();
        boolean healed = sim.runUntil(() -> everyoneSeesEveryoneAlive(sim), 600_000, 500);
        assertThat(healed).as("10 min after the partition healed: %s", views(sim)).isTrue();
    }

    /**
     * 4 nodes whose only seed stops (with a goodbye, or as a crash) for {@code downMillis} and restarts with the same
     * site id: within 10 min everyone sees everyone.
     */
    private static void assertTheSeedIsSeenAgain(long seed, boolean goodbye, long downMillis) {
        Simulation sim = new Simulation(SimSeeds.seed(seed), CONFIG, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(4, 1);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        SimNode theSeed = nodes.get(0);
        if (goodbye) {
            sim.leave(theSeed);
            sim.runFor(1_000);
            assertThat(nodes.subList(1, 4)).allSatisfy(o -> assertThat(o.statusOf(theSeed))
                    .isEqualTo(MemberStatus.LEFT));
            sim.runFor(downMillis - 1_000);
        } else {
            sim.crash(theSeed);
            sim.runFor(downMillis);
        }
        sim.start(theSeed);
        boolean back = sim.runUntil(() -> everyoneSeesEveryoneAlive(sim), 600_000, 500);
        assertThat(back).as("10 min after the seed restarted: %s", views(sim)).isTrue();
    }

    /** Control: a partition shorter than the dead retention heals. */
    @Test
    void partitionShorterThanDeadRetentionHeals() {
        assertHealsAfterAPartitionOf(501, CONFIG.deadRetention().toMillis() - 120_000);
    }

    /** A partition (e.g. between two racks) that lasts longer than the dead retention: heals through the seeds. */
    @Test
    void partitionLongerThanDeadRetentionHeals() {
        assertHealsAfterAPartitionOf(502, CONFIG.deadRetention().toMillis() + 120_000);
    }

    /** The only seed is down longer than the dead retention (maintenance), then restarts with the same site id. */
    @Test
    void soleSeedRestartedAfterDeadRetentionIsSeenAgain() {
        assertTheSeedIsSeenAgain(503, false, CONFIG.deadRetention().toMillis() + 120_000);
    }

    /** Rolling restart of the only seed: it says goodbye, and comes back 30 s later with the same site id. */
    @Test
    void soleSeedRestartedGracefullyIsSeenAgain() {
        assertTheSeedIsSeenAgain(504, true, 30_000);
    }
}
