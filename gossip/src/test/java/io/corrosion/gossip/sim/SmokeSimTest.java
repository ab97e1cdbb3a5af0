package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.MemberStatus;
import org.junit.jupiter.api.Test;

class SmokeSimTest {

    @Test
    void smallClusterFormsAndConverges() {
        Simulation sim = new Simulation(1, GossipConfig.defaults(), NetworkConditions.lan());
        var nodes = sim.addNodes(10, 2);
        sim.startAll(nodes, 1000);
        boolean formed = sim.runUntil(() -> sim.upNodes().size() == 10 && sim.upNodes().stream()
                .allMatch(n -> n.core().membership().livePeers().size() == 9), 60_000, 100);
        System.out.println("formed=" + formed + " at " + sim.now() + " " + sim.stats());
        assertThat(formed).isTrue();
        for (int i = 0; i < 5; i++) {
            sim.write(nodes.get(i), 100, 8192);
        }
        boolean conv = sim.runUntil(sim::converged, 30_000, 10);
        System.out.println("converged=" + conv + " at " + sim.now() + " " + sim.stats());
        assertThat(conv).isTrue();
        sim.crash(nodes.get(9));
        boolean dead = sim.runUntil(() -> sim.upNodes().stream()
                .allMatch(n -> n.statusOf(nodes.get(9)) == MemberStatus.DEAD), 120_000, 100);
        System.out.println("dead=" + dead + " at " + sim.now() + " " + sim.stats());
        assertThat(dead).isTrue();
    }
}
