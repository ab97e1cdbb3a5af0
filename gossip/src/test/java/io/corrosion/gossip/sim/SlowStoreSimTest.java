package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Store work runs beside the protocol: a store slower than the probe timeout accuses nobody. */
class SlowStoreSimTest {

    @Test
    void aStoreSlowerThanTheProbeTimeoutDelaysNoAckAndBatchesApplies() {
        Simulation sim = new Simulation(SimSeeds.seed(21), GossipConfig.defaults(), NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(20, 2);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).isTrue();
        sim.setStoreLatencyMillis(800);
        AtomicLong suspicions = new AtomicLong();
        sim.addObserver((node, event, now) -> {
            if (event instanceof GossipEvent.MemberSuspected) {
                suspicions.incrementAndGet();
            }
        });
        SplittableRandom random = new SplittableRandom(sim.seed());
        for (int i = 0; i < 200; i++) {
            sim.write(nodes.get(random.nextInt(nodes.size())), 300, 8_192);
            sim.runFor(50);
        }
        // One apply at a time would need 200 x 0.8 s = 160 s per node: converging within 60 s means batches.
        assertThat(sim.runUntil(sim::converged, 60_000, 500)).as(SimSeeds.replay(sim)).isTrue();
        assertThat(suspicions.get()).isZero();
        long applied = nodes.stream().mapToLong(n -> n.core().stats().apply().newFromBroadcast()
                + n.core().stats().apply().newFromSync()).sum();
        assertThat(applied).isEqualTo(19L * 200);
    }
}
