package io.corrosion.gossip.runtime;

import static io.corrosion.gossip.runtime.TestNodes.converged;
import static io.corrosion.gossip.runtime.TestNodes.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.ChangesetSource;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Five gossip nodes in one JVM over real QUIC on loopback, mutual TLS from a dev CA in a temp directory. */
class GossipClusterTest {

    @RegisterExtension
    final TestNodes cluster = new TestNodes();

    @TempDir
    Path certificates;

    private Pki pki;
    private final List<GossipNode> nodes = new ArrayList<>();
    private final List<InMemoryChangesetStore> stores = new ArrayList<>();
    private final List<EventLog> logs = new ArrayList<>();

    @BeforeEach
    void createCa() {
        pki = new Pki(certificates, "cluster-ca");
    }

    /** Starts a node with a new store. */
    private GossipNode startNode(GossipNodeConfig.Builder builder) {
        GossipNodeConfig config = builder.build();
        InMemoryChangesetStore store = new InMemoryChangesetStore(config.siteId());
        EventLog log = new EventLog();
        GossipNode node = cluster.start(config, store, log);
        nodes.add(node);
        stores.add(store);
        logs.add(log);
        return node;
    }

    /** Node {@code i}; every node but the first joins through the first. */
    private GossipNodeConfig.Builder config(int i) {
        List<NodeAddress> seeds = nodes.isEmpty() ? List.of() : List.of(nodes.get(0).address());
        return cluster.config(pki, "node-" + i, cluster.newSite(), 0, seeds);
    }

    private void startCluster(int n, java.util.function.UnaryOperator<GossipNodeConfig.Builder> tweak) {
        for (int i = 0; i < n; i++) {
            startNode(tweak.apply(config(i)));
        }
        TestNodes.awaitFullMesh(nodes, Duration.ofSeconds(20));
    }

    @Test
    void fiveNodesConvergeOnBroadcastAlone() {
        // Sync once an hour (after the first session each node opens when it first sees a peer): whatever arrives,
        // broadcast brought.
        startCluster(5, b -> b.gossip(TestNodes.FAST.toBuilder().syncInterval(Duration.ofHours(1)).build()));
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n ->
                n.stats().core().sync().started() >= 1 && n.stats().core().sync().open() == 0));

        for (int i = 0; i < nodes.size(); i++) {
            TestNodes.write(nodes.get(i), stores.get(i), 20, 200);
        }

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> converged(stores));
        for (int i = 0; i < nodes.size(); i++) {
            GossipNodeStats stats = nodes.get(i).stats();
            assertThat(stats.changesetsBroadcast()).isEqualTo(20);
            assertThat(stats.decodeRejects()).isZero();
            assertThat(stats.core().apply().newFromSync()).isZero();
            int node = i;
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(nodes.get(node).stats().changesetsApplied()).isEqualTo(80);
                assertThat(logs.get(node).of(GossipEvent.ChangesetApplied.class)).hasSize(80)
                        .allSatisfy(e -> assertThat(e.source()).isEqualTo(ChangesetSource.BROADCAST));
            });
            assertThat(logs.get(i).threads).allSatisfy(thread -> assertThat(thread).endsWith("-events"));
        }
    }

    @Test
    void aNodeStartedLateCatchesUpBySync() {
        startCluster(4, b -> b);
        for (int i = 0; i < nodes.size(); i++) {
            TestNodes.write(nodes.get(i), stores.get(i), 50, 300);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> converged(stores));

        GossipNode late = startNode(config(4));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> converged(stores));
        // Counters are republished within ~50 ms of the store's answer.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(late.stats().core().apply().newFromSync()).isEqualTo(200);
            assertThat(late.stats().syncRounds()).isPositive();
        });
        TestNodes.awaitFullMesh(nodes, Duration.ofSeconds(10));
    }

    @Test
    void aNodeClosedAndRestartedWithItsStoreRejoinsAndCatchesUp() {
        startCluster(5, b -> b);
        for (int i = 0; i < nodes.size(); i++) {
            TestNodes.write(nodes.get(i), stores.get(i), 10, 100);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> converged(stores));

        GossipNode leaving = nodes.get(3);
        long firstIncarnation = leaving.self().incarnation();
        NodeAddress address = leaving.address();
        leaving.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().filter(n -> n != leaving)
                .allMatch(n -> statusOf(n, leaving.siteId()) == MemberStatus.LEFT));

        // The others go on writing while it is away.
        for (int i : new int[] {0, 1, 2, 4}) {
            TestNodes.write(nodes.get(i), stores.get(i), 10, 100);
        }
        GossipNode back = cluster.start(cluster.config(pki, "node-3", leaving.siteId(), address.port(),
                List.of(nodes.get(0).address())).build(), stores.get(3), logs.get(3));
        nodes.set(3, back);

        assertThat(back.self().incarnation()).isGreaterThan(firstIncarnation);
        TestNodes.awaitFullMesh(nodes, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> converged(stores));
        // What the others wrote while it was away reached it as new: by sync, or (when a write's second broadcast
        // round, 100 ms after the first, came after the restart) by broadcast.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var applied = back.stats().core().apply();
            assertThat(applied.newFromSync() + applied.newFromBroadcast()).isEqualTo(40);
        });
        // And it takes part again: what it writes now reaches everyone.
        TestNodes.write(back, stores.get(3), 5, 100);
        await().atMost(Duration.ofSeconds(20)).until(() -> converged(stores));
    }

    @Test
    void aKilledNodeIsDeclaredDeadByEveryOther() {
        startCluster(5, b -> b);
        GossipNode victim = nodes.get(2);
        long started = System.nanoTime();

        victim.kill();

        long bound = TestNodes.FAST.detectionBoundMillis(5);
        List<GossipNode> survivors = nodes.stream().filter(n -> n != victim).toList();
        await().atMost(Duration.ofMillis(bound)).pollInterval(Duration.ofMillis(50)).until(() -> survivors.stream()
                .allMatch(n -> statusOf(n, victim.siteId()) == MemberStatus.DEAD));
        long detectedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(detectedMillis).isLessThan(bound);
        for (GossipNode survivor : survivors) {
            EventLog log = logs.get(nodes.indexOf(survivor));
            // the status changes on the protocol thread; the listener hears of it a moment later, on its own thread
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(log.of(GossipEvent.MemberDown.class)).anySatisfy(down -> {
                        assertThat(down.member().siteId()).isEqualTo(victim.siteId());
                        assertThat(down.left()).isFalse();
                    }));
            // No live node was buried along the way.
            assertThat(survivors).allSatisfy(other -> assertThat(other == survivor
                    || statusOf(survivor, other.siteId()) != MemberStatus.DEAD).isTrue());
        }
    }
}
