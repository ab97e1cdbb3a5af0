package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.transport.TransportException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GossipNodeLifecycleTest {

    @RegisterExtension
    final TestNodes cluster = new TestNodes();

    @TempDir
    Path certificates;

    private Pki pki;

    @BeforeEach
    void createCa() {
        pki = new Pki(certificates, "cluster-ca");
    }

    private GossipNode start(String name, int port, List<NodeAddress> seeds, GossipListener listener) {
        SiteId site = cluster.newSite();
        return cluster.start(cluster.config(pki, name, site, port, seeds).build(), new InMemoryChangesetStore(site),
                listener);
    }

    private static void awaitNoNodeThreads() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(TestNodes.nodeThreads()).isEmpty());
    }

    /** An operator's review: a seed with nobody listening was silent, and the node never replicated. */
    @Test
    void aNodeWhoseSeedsNeverAnswerSaysSoAtWarn() throws Exception {
        Warnings logged = new Warnings(JoinWatch.class);
        List<String> warnings = logged.lines;
        JoinWatch.periodMillis = 200;
        try (DatagramSocket nobody = new DatagramSocket(0, Pki.LOOPBACK)) { // holds the port: nobody answers there
            NodeAddress silent = new NodeAddress(Pki.LOOPBACK.getHostAddress(), nobody.getLocalPort());
            GossipNode a = start("lonely", 0, List.of(silent), GossipListener.NONE);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(warnings)
                    .anySatisfy(w -> assertThat(w).contains("[lonely] not joined yet", silent.toString())));
            a.close();
        } finally {
            JoinWatch.periodMillis = JoinWatch.PERIOD_MILLIS;
            logged.close();
        }
    }

    @Test
    void closeLeavesNoThreadBehind() {
        awaitNoNodeThreads();
        SiteId siteA = cluster.newSite();
        InMemoryChangesetStore storeA = new InMemoryChangesetStore(siteA);
        GossipNode a = cluster.start(cluster.config(pki, "a", siteA, 0, List.of()).build(), storeA,
                GossipListener.NONE);
        GossipNode b = start("b", 0, List.of(a.address()), new EventLog());
        TestNodes.awaitFullMesh(List.of(a, b), Duration.ofSeconds(10));
        TestNodes.write(a, storeA, 1, 10);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestNodes.nodeThreads())
                .contains("corrosion-gossip-b-protocol", "corrosion-gossip-b-events", "corrosion-gossip-b-store-apply"));

        b.close();
        a.close();

        // Our own threads end inside close(); netty's global helper thread stops by itself a second later.
        assertThat(TestNodes.nodeThreads()).noneMatch(t -> t.startsWith(GossipNode.THREAD_NAME_PREFIX)
                || t.startsWith("corrosion-quic"));
        awaitNoNodeThreads();
        assertThat(a.stats().transport().connectionsActive()).isZero();
        assertThat(b.stats().transport().connectionsActive()).isZero();
    }

    @Test
    void aClosedNodeRefusesWorkAndCannotRestart() {
        GossipNode a = start("a", 0, List.of(), GossipListener.NONE);
        a.close();
        a.close(); // idempotent

        assertThat(a.state()).isEqualTo(GossipNode.State.CLOSED);
        Changeset changeset = Changeset.Full.complete(a.siteId(), 1, 0, 0, new byte[10]);
        assertThat(a.broadcast(changeset)).isFalse();
        assertThat(a.stats().broadcastsDropped()).isEqualTo(1);
        assertThatThrownBy(a::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("starts once");

        GossipNode neverStarted = new GossipNode(cluster.config(pki, "idle", cluster.newSite(), 0, List.of()).build(),
                new InMemoryChangesetStore(new SiteId(0, 1)), GossipListener.NONE);
        assertThat(neverStarted.broadcast(Changeset.Full.complete(neverStarted.siteId(), 1, 0, 0, new byte[1])))
                .isFalse();
        assertThatThrownBy(neverStarted::members).isInstanceOf(IllegalStateException.class);
        neverStarted.close();
    }

    @Test
    void closeRefusesToRunOnTheNodesOwnThreads() throws Exception {
        CompletableFuture<Throwable> fromListener = new CompletableFuture<>();
        GossipNode[] self = new GossipNode[1];
        GossipListener closer = event -> {
            if (event instanceof GossipEvent.MemberUp) {
                try {
                    self[0].close();
                    fromListener.complete(null);
                } catch (RuntimeException e) {
                    fromListener.complete(e);
                }
            }
        };
        GossipNode a = start("a", 0, List.of(), GossipListener.NONE);
        self[0] = start("b", 0, List.of(a.address()), closer);

        assertThat(fromListener.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("listener");
        assertThat(self[0].state()).isEqualTo(GossipNode.State.RUNNING);
    }

    @Test
    void aFailingListenerIsCountedAndTheNodeCarriesOn() {
        GossipNode a = start("a", 0, List.of(), event -> {
            throw new IllegalStateException("listener bug");
        });
        GossipNode b = start("b", 0, List.of(a.address()), GossipListener.NONE);

        TestNodes.awaitFullMesh(List.of(a, b), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.stats().runtime().listenerErrors() >= 1);
        assertThat(a.state()).isEqualTo(GossipNode.State.RUNNING);
    }

    @Test
    void broadcastRefusesChangesetsItMustNotSend() {
        GossipNode a = start("a", 0, List.of(), GossipListener.NONE);

        Changeset foreign = Changeset.Full.complete(new SiteId(1, 2), 1, 0, 0, new byte[1]);
        assertThatThrownBy(() -> a.broadcast(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("own changesets");
        Changeset huge = Changeset.Full.complete(a.siteId(), 1, 0, 0, new byte[a.maxChangesetBytes()]);
        assertThatThrownBy(() -> a.broadcast(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk");
        assertThat(a.stats().changesetsBroadcast()).isZero();
    }

    @Test
    void seedsThatAreDownAtStartAreRetriedUntilTheyAnswer() throws Exception {
        int seedPort;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(Pki.LOOPBACK, 0))) {
            seedPort = probe.getLocalPort();
        }
        NodeAddress seedAddress = new NodeAddress("127.0.0.1", seedPort);
        SiteId site = cluster.newSite();
        GossipNode early = cluster.start(cluster.config(pki, "early", site, 0, List.of(seedAddress))
                .transportTuning(t -> t.ioThreads(1).connectTimeout(Duration.ofMillis(500))
                        .reconnectBackoff(Duration.ofMillis(100))).build(),
                new InMemoryChangesetStore(site), GossipListener.NONE);
        // Not one, but several join attempts fail while the seed is down.
        await().atMost(Duration.ofSeconds(10)).until(() -> early.stats().transport().connectFailures() >= 2);
        assertThat(early.members()).isEmpty();

        GossipNode seed = start("seed", seedPort, List.of(), GossipListener.NONE);

        TestNodes.awaitFullMesh(List.of(early, seed), Duration.ofSeconds(15));
    }

    @Test
    void aSeedGivenByHostNameIsLookedUpOffTheProtocolThreadAndJoined() {
        GossipNode seed = start("seed", 0, List.of(), GossipListener.NONE);
        NodeAddress byName = new NodeAddress("localhost", seed.address().port());
        GossipNode joiner = start("joiner", 0, List.of(byName), GossipListener.NONE);
        TestNodes.awaitFullMesh(List.of(seed, joiner), Duration.ofSeconds(15));
    }

    @Test
    void theInsecureModeWorksOnLoopbackOnly() {
        GossipNodeConfig.Builder insecure = GossipNodeConfig.builder(cluster.newSite(),
                        new InetSocketAddress(Pki.LOOPBACK, 0)).insecureLoopback(true).gossip(TestNodes.FAST);
        GossipNode a = cluster.start(insecure.nodeName("a").build(), new InMemoryChangesetStore(new SiteId(0, 1)),
                GossipListener.NONE);
        GossipNode b = cluster.start(GossipNodeConfig.builder(cluster.newSite(), new InetSocketAddress(Pki.LOOPBACK, 0))
                        .insecureLoopback(true).gossip(TestNodes.FAST).nodeName("b").seeds(List.of(a.address())).build(),
                new InMemoryChangesetStore(new SiteId(0, 2)), GossipListener.NONE);
        TestNodes.awaitFullMesh(List.of(a, b), Duration.ofSeconds(10));
        assertThat(a.members()).singleElement().satisfies(m -> assertThat(m.status()).isEqualTo(MemberStatus.ALIVE));
    }

    @Test
    void aConfigurationThatCannotWorkIsRefusedUpFront() throws Exception {
        InetSocketAddress wildcard = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 7400);
        InetSocketAddress lan = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 7400);
        InetSocketAddress loopback = new InetSocketAddress(Pki.LOOPBACK, 0);
        SiteId site = new SiteId(0, 1);

        assertThatThrownBy(() -> GossipNodeConfig.builder(site, lan).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs TLS material");
        assertThatThrownBy(() -> GossipNodeConfig.builder(site, lan).insecureLoopback(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback only");
        assertThatThrownBy(() -> GossipNodeConfig.builder(site, loopback).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls.insecure=true");
        assertThatThrownBy(() -> GossipNodeConfig.builder(site, wildcard).tls(pki.tls("w")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advertise address");
        assertThatThrownBy(() -> GossipNodeConfig.builder(site, loopback).insecureLoopback(true)
                .broadcastHandoffCapacity(0).build()).hasMessageContaining("broadcastHandoffCapacity");
        assertThatThrownBy(() -> GossipNodeConfig.builder(site, loopback).insecureLoopback(true)
                .transportTuning(t -> t.ioThreads(0)).build()).hasMessageContaining("ioThreads");
        // Wildcard with an advertise address is fine.
        assertThat(GossipNodeConfig.builder(site, wildcard).tls(pki.tls("w"))
                .advertiseAddress(new NodeAddress("10.1.2.3", 7400)).build().advertiseAddress().port()).isEqualTo(7400);
    }

    @Test
    void aPortInUseFailsTheStartClearly() {
        GossipNode a = start("a", 0, List.of(), GossipListener.NONE);
        GossipNode squatter = new GossipNode(cluster.config(pki, "squatter", cluster.newSite(), a.address().port(),
                List.of()).build(), new InMemoryChangesetStore(new SiteId(0, 1)), GossipListener.NONE);

        assertThatThrownBy(squatter::start).isInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e).reason())
                        .isEqualTo(TransportException.Reason.BIND_FAILED));
        assertThat(squatter.state()).isEqualTo(GossipNode.State.CLOSED);
        assertThat(TestNodes.nodeThreads()).noneMatch(t -> t.contains("squatter"));
    }
}
