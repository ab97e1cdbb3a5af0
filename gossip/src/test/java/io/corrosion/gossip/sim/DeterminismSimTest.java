package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.membership.MemberView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A seed replays a run exactly: that is what makes a failing seed a bug report. */
class DeterminismSimTest {

    private List<Object> fingerprint(long seed) {
        Simulation sim = new Simulation(seed, GossipConfig.defaults(), NetworkConditions.lan().withLoss(0.05));
        List<SimNode> nodes = sim.addNodes(30, 2);
        sim.startAll(nodes, 1_000);
        sim.runFor(5_000);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 30; i++) {
            sim.write(nodes.get(random.nextInt(nodes.size())), 500, 8_192);
            sim.runFor(200);
        }
        sim.crash(nodes.get(3));
        sim.runFor(20_000);
        List<Object> print = new ArrayList<>();
        print.add(sim.stats().toString());
        for (SimNode node : sim.upNodes()) {
            List<MemberView> members = node.core().membership().members();
            print.add(members);
            print.add(node.store().syncState());
            print.add(node.core().self());
        }
        return print;
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        assertThat(fingerprint(99)).isEqualTo(fingerprint(99));
    }

    @Test
    void anotherSeedMakesAnotherRun() {
        assertThat(fingerprint(99).get(0)).isNotEqualTo(fingerprint(100).get(0));
    }
}
