package io.corrosion.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.SiteId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FailureDetectionSimTest {

    /** Records how long live nodes spent dead in others' eyes. */
    static final class FalseDeaths implements SimObserver {
        final Map<String, Long> since = new HashMap<>();
        final Map<SiteId, SimNode> bySite = new HashMap<>();
        long count;
        long longestMillis;

        FalseDeaths(List<SimNode> nodes) {
            nodes.forEach(n -> bySite.put(n.siteId(), n));
        }

        @Override
        public void onEvent(SimNode node, GossipEvent event, long now) {
            if (event instanceof GossipEvent.MemberDown down) {
                SimNode subject = bySite.get(down.member().siteId());
                if (subject.isUp() && subject.self().incarnation() <= down.member().incarnation()) {
                    count++;
                    since.put(node.index() + "->" + subject.index(), now);
                }
            } else if (event instanceof GossipEvent.MemberUp up) {
                Long start = since.remove(node.index() + "->" + bySite.get(up.member().siteId()).index());
                if (start != null) {
                    longestMillis = Math.max(longestMillis, now - start);
                }
            }
        }
    }

    static java.util.stream.LongStream seeds() {
        return SimSeeds.seeds(42, 43, 44);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void killedNodesAreDeclaredDeadEverywhereWithinTheBoundAndLiveOnesNeverStayDeadAtTenPercentLoss(long seed) {
        GossipConfig config = GossipConfig.defaults();
        Simulation sim = new Simulation(seed, config, NetworkConditions.lan());
        int n = 100;
        List<SimNode> nodes = sim.addNodes(n, 3);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 120_000)).as(SimSeeds.replay(sim)).isTrue();
        sim.setConditions(NetworkConditions.lan().withLoss(0.10));
        FalseDeaths falseDeaths = new FalseDeaths(nodes);
        sim.addObserver(falseDeaths);
        sim.runFor(30_000);

        long bound = config.detectionBoundMillis(n);
        SplittableRandom random = new SplittableRandom(sim.seed());
        for (int kill = 0; kill < 3; kill++) {
            List<SimNode> up = sim.upNodes();
            SimNode victim = up.get(random.nextInt(up.size()));
            sim.crash(victim);
            long killedAt = sim.now();
            boolean detected = sim.runUntil(() -> sim.upNodes().stream()
                    .allMatch(o -> o.statusOf(victim) == MemberStatus.DEAD), bound, 100);
            assertThat(detected).as("%s: node %d not dead everywhere within %d ms", SimSeeds.replay(sim),
                    victim.index(), bound).isTrue();
            assertThat(sim.now() - killedAt).isLessThanOrEqualTo(bound);
            sim.runFor(5_000);
        }
        sim.runFor(60_000);

        // Live nodes may be suspected (and refute) and even briefly declared dead, but none stays dead.
        for (SimNode observer : sim.upNodes()) {
            for (SimNode subject : sim.upNodes()) {
                if (observer != subject) {
                    assertThat(observer.statusOf(subject)).as("%s: %s sees %s", SimSeeds.replay(sim), observer,
                            subject).isIn(MemberStatus.ALIVE, MemberStatus.SUSPECT);
                }
            }
        }
        assertThat(falseDeaths.longestMillis).as("longest false death").isLessThan(10_000);
        assertThat(falseDeaths.since).as("false deaths still open").isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aCrashedNodeInAThreeNodeClusterIsDeadEverywhereWithinTheMinimumSuspicionTimeout(long seed) {
        GossipConfig config = GossipConfig.defaults();
        Simulation sim = new Simulation(seed, config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(3, 1);
        assertThat(BroadcastSimTest.formCluster(sim, nodes, 60_000)).as(SimSeeds.replay(sim)).isTrue();
        sim.runFor(10_000);
        SimNode victim = nodes.get(1 + new SplittableRandom(sim.seed()).nextInt(2));
        sim.crash(victim);
        long killedAt = sim.now();
        // Probe rounds to notice, the minimum suspicion timeout (nobody can give the confirmations a bigger
        // cluster waits for), gossip rounds to spread the death.
        long bound = 4 * config.probeInterval().toMillis() + config.suspicionMinMillis(3)
                + 10 * config.gossipInterval().toMillis();
        boolean detected = sim.runUntil(() -> sim.upNodes().stream()
                .allMatch(o -> o.statusOf(victim) == MemberStatus.DEAD), bound, 100);
        assertThat(detected).as("%s: not dead everywhere within %d ms", SimSeeds.replay(sim), bound).isTrue();
        assertThat(sim.now() - killedAt).isLessThanOrEqualTo(bound);
        sim.runFor(60_000);
        List<SimNode> up = sim.upNodes();
        assertThat(up.get(0).statusOf(up.get(1))).as(SimSeeds.replay(sim)).isEqualTo(MemberStatus.ALIVE);
        assertThat(up.get(1).statusOf(up.get(0))).as(SimSeeds.replay(sim)).isEqualTo(MemberStatus.ALIVE);
    }
}
