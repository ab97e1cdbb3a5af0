package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.MemberStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node whose every message takes 600 ms more (an overloaded process) should not accuse healthy members. */
class LifeguardSimTest {

    private record Run(long accusationsBySlowNode, int slowNodeAwareness, long healthyDead) {
    }

    private Run run(int awarenessMax) {
        GossipConfig config = GossipConfig.builder().awarenessMax(awarenessMax).build();
        Simulation sim = new Simulation(SimSeeds.seed(5), config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(20, 2);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).as(SimSeeds.replay(sim)).isTrue();
        SimNode slow = nodes.get(7);
        long before = slow.core().membership().stats().suspicionsRaised();
        sim.setExtraLatency(slow, 600);
        sim.runFor(120_000);
        long healthyDead = 0;
        for (SimNode observer : nodes) {
            for (SimNode subject : nodes) {
                if (observer != subject && subject != slow && observer.statusOf(subject) == MemberStatus.DEAD) {
                    healthyDead++;
                }
            }
        }
        return new Run(slow.core().membership().stats().suspicionsRaised() - before,
                slow.core().membership().awarenessScore(), healthyDead);
    }

    @Test
    void localHealthAwarenessKeepsASlowNodeFromAccusingHealthyOnes() {
        Run without = run(1);
        Run with = run(8);
        assertThat(without.accusationsBySlowNode()).as("without Lifeguard").isGreaterThan(50);
        assertThat(with.accusationsBySlowNode()).as("with Lifeguard, vs %d without", without.accusationsBySlowNode())
                .isLessThan(without.accusationsBySlowNode() / 5);
        assertThat(with.slowNodeAwareness()).isPositive();
        assertThat(with.healthyDead()).isZero();
        assertThat(without.healthyDead()).isZero();
    }
}
