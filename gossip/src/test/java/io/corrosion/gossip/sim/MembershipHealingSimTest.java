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

    /** Control: a partition shorter than the dead retention heals. */
    @Test
    void partitionShorterThanDeadRetentionHeals() {
        GossipConfig config = GossipConfig.defaults();
        Simulation sim = new Simulation(SimSeeds.seed(501), config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(6, 1);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        sim.partition(List.of(nodes.subList(0, 3), nodes.subList(3, 6)));
        sim.runFor(config.deadRetention().toMillis() - 120_000);
        sim.heal();
        assertThat(sim.runUntil(() -> everyoneSeesEveryoneAlive(sim), 300_000, 500)).as(views(sim)).isTrue();
    }

    /** A partition (e.g. between two racks) that lasts longer than the dead retention: heals through the seeds. */
    @Test
    void partitionLongerThanDeadRetentionHeals() {
        GossipConfig config = GossipConfig.defaults();
        Simulation sim = new Simulation(SimSeeds.seed(502), config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(6, 1);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        sim.partition(List.of(nodes.subList(0, 3), nodes.subList(3, 6)));
        sim.runFor(config.deadRetention().toMillis() + 120_000);
        sim.heal();
        boolean healed = sim.runUntil(() -> everyoneSeesEveryoneAlive(sim), 600_000, 500);
        assertThat(healed).as("10 min after the partition healed: %s", views(sim)).isTrue();
    }

    /** The only seed is down longer than the dead retention (maintenance), then restarts with the same site id. */
    @Test
    void soleSeedRestartedAfterDeadRetentionIsSeenAgain() {
        GossipConfig config = GossipConfig.defaults();
        Simulation sim = new Simulation(SimSeeds.seed(503), config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(4, 1);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        SimNode seed = nodes.get(0);
        sim.crash(seed);
        sim.runFor(config.deadRetention().toMillis() + 120_000);
        sim.start(seed);
        boolean back = sim.runUntil(() -> everyoneSeesEveryoneAlive(sim), 600_000, 500);
        assertThat(back).as("10 min after the seed restarted: %s", views(sim)).isTrue();
    }

    /** Rolling restart of the only seed: it says goodbye, and comes back 30 s later with the same site id. */
    @Test
    void soleSeedRestartedGracefullyIsSeenAgain() {
        GossipConfig config = GossipConfig.defaults();
        Simulation sim = new Simulation(SimSeeds.seed(504), config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(4, 1);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        SimNode seed = nodes.get(0);
        sim.leave(seed);
        sim.runFor(1_000);
        assertThat(nodes.subList(1, 4)).allSatisfy(o -> assertThat(o.statusOf(seed)).isEqualTo(MemberStatus.LEFT));
        sim.runFor(29_000);
        sim.start(seed);
        boolean back = sim.runUntil(() -> everyoneSeesEveryoneAlive(sim), 600_000, 500);
        assertThat(back).as("10 min after the seed restarted: %s", views(sim)).isTrue();
    }
}
