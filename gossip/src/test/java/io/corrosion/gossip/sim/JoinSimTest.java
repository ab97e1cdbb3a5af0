package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.MemberStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinSimTest {

    @Test
    void nodesStartedBeforeTheirSeedsJoinOnceASeedComesUp() {
        Simulation sim = new Simulation(SimSeeds.seed(11), GossipConfig.defaults(), NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(30, 3);
        List<SimNode> seeds = nodes.subList(0, 3);
        List<SimNode> others = nodes.subList(3, nodes.size());
        sim.startAll(others, 1_000);
        sim.runFor(20_000);
        assertThat(others).allSatisfy(n -> assertThat(n.core().membership().livePeers()).isEmpty());
        // One seed comes up late; the others stay down.
        sim.start(seeds.get(2));
        boolean formed = sim.runUntil(() -> others.stream().allMatch(n -> n.core().membership().livePeers().size()
                == others.size()), 60_000, 250);
        assertThat(formed).as(SimSeeds.replay(sim)).isTrue();
        // Their retries backed off: far fewer join attempts than one per second each.
        assertThat(sim.stats().sent("PushPull")).isLessThan(others.size() * 3L * 10);
    }

    @Test
    void aRestartedNodeIsBackEverywhereWithItsNewIncarnation() {
        Simulation sim = new Simulation(SimSeeds.seed(12), GossipConfig.defaults(), NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(30, 2);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        SimNode node = nodes.get(17);
        long before = node.self().incarnation();
        sim.crash(node);
        assertThat(sim.runUntil(() -> sim.upNodes().stream().allMatch(o -> o.statusOf(node) == MemberStatus.DEAD),
                sim.config().detectionBoundMillis(30), 100)).as(SimSeeds.replay(sim)).isTrue();
        sim.start(node);
        boolean back = sim.runUntil(() -> sim.upNodes().stream().allMatch(o -> o == node
                || o.statusOf(node) == MemberStatus.ALIVE), 30_000, 100);
        assertThat(back).as(SimSeeds.replay(sim)).isTrue();
        assertThat(node.self().incarnation()).isGreaterThan(before);
        assertThat(node.core().membership().livePeers()).hasSize(29);
    }
}
