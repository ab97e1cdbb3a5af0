package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.quic.QuicTransport;
import io.corrosion.gossip.transport.quic.QuicTransportConfig;
import io.corrosion.gossip.wire.Ping;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncStart;
import io.corrosion.gossip.wire.SyncStateReply;
import io.corrosion.gossip.wire.WireCodec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Peers that must not get in, and frames that must not get through; the node carries on either way. */
class GossipHostilePeerTest {

    @RegisterExtension
    final TestNodes cluster = new TestNodes();

    @TempDir
    Path certificates;

    private Pki pki;
    private final List<QuicTransport> rawPeers = new ArrayList<>();

    @BeforeEach
    void createCa() {
        pki = new Pki(certificates, "cluster-ca");
    }

    @AfterEach
    void closeRawPeers() {
        rawPeers.forEach(QuicTransport::close);
    }

    private record Started(GossipNode node, InMemoryChangesetStore store) {
    }

    private Started start(Pki authority, String name, List<NodeAddress> seeds) {
        SiteId site = cluster.newSite();
        InMemoryChangesetStore store = new InMemoryChangesetStore(site);
        return new Started(cluster.start(cluster.config(authority, name, site, 0, seeds).build(), store,
                GossipListener.NONE), store);
    }

    /** A bare transport with a certificate of our CA: it passes TLS and then sends whatever the test wants. */
    private QuicTransport rawPeer(String name) {
        QuicTransport raw = new QuicTransport(QuicTransportConfig.builder(new InetSocketAddress(Pki.LOOPBACK, 0))
                .nodeName(name).tls(pki.tls(name)).ioThreads(1).build());
        rawPeers.add(raw);
        raw.start(new InboundHandler() {
            @Override
            public void onDatagram(PeerInfo from, byte[] datagram) {
            }

            @Override
            public void onMessage(PeerInfo from, byte[] message) {
            }

            @Override
            public ExchangeHandler onExchange(Exchange exchange) {
                return null;
            }
        });
        return raw;
    }

    private static InetSocketAddress socket(GossipNode node) {
        return new InetSocketAddress(Pki.LOOPBACK, node.address().port());
    }

    @Test
    void aNodeWithACertificateFromAnotherCaIsRefusedAndNeverBecomesAMember() {
        Started a = start(pki, "a", List.of());
        Started b = start(pki, "b", List.of(a.node().address()));
        TestNodes.awaitFullMesh(List.of(a.node(), b.node()), Duration.ofSeconds(10));
        Pki otherCa = new Pki(certificates, "other-ca");

        Started mallory = start(otherCa, "mallory", List.of(a.node().address(), b.node().address()));
        TestNodes.write(mallory.node(), mallory.store(), 3, 50);

        // Several join attempts of mallory's were refused on both sides of the handshake.
        await().atMost(Duration.ofSeconds(15)).until(() -> mallory.node().stats().transport().connectFailures() >= 4
                && a.node().stats().transport().handshakesRefused() >= 2
                && b.node().stats().transport().handshakesRefused() >= 2);
        for (Started good : List.of(a, b)) {
            assertThat(good.node().members()).extracting(MemberInfo::siteId)
                    .doesNotContain(mallory.node().siteId());
            assertThat(good.store().head(mallory.node().siteId())).isZero();
        }
        assertThat(mallory.node().members()).isEmpty();
    }

    @Test
    void malformedAndMisplacedFramesAreCountedAndChangeNothing() throws Exception {
        Started a = start(pki, "a", List.of());
        Started b = start(pki, "b", List.of(a.node().address()));
        TestNodes.awaitFullMesh(List.of(a.node(), b.node()), Duration.ofSeconds(10));
        QuicTransport raw = rawPeer("raw");
        InetSocketAddress target = socket(a.node());
        WireCodec codec = new WireCodec(1 << 20);
        Member pretender = new Member(new SiteId(7, 7), new NodeAddress("127.0.0.1", 9), 1);

        // Garbage as a datagram and as a message; an unknown wire version; a probe sent as a reliable message.
        raw.sendDatagram(target, new byte[] {1, 99, 4, 2}).toCompletableFuture().get(5, TimeUnit.SECONDS);
        raw.sendMessage(target, new byte[] {9, 1, 2, 3}).toCompletableFuture().get(5, TimeUnit.SECONDS);
        raw.sendMessage(target, codec.encode(new Ping(pretender, 1, a.node().siteId(), List.of())))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.node().stats().decodeRejects() >= 2
                && a.node().stats().runtime().protocolViolations() >= 1);

        // A sync stream that does not open with SyncStart, and one that names our own site as its initiator.
        SessionKey stranger = new SessionKey(new SiteId(7, 7), 1);
        assertThat(exchangeAborted(raw, target, codec.encode(new SyncStateReply(stranger,
                SyncState.empty(new SiteId(7, 7)))))).isTrue();
        SessionKey forged = new SessionKey(a.node().siteId(), 2);
        assertThat(exchangeAborted(raw, target, codec.encode(new SyncStart(forged, pretender,
                SyncState.empty(new SiteId(7, 7)))))).isTrue();
        assertThat(exchangeAborted(raw, target, new byte[] {1, 32, 0})).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.node().stats().runtime().protocolViolations() >= 3);

        // None of it made the pretender a member, and the node still works.
        assertThat(a.node().members()).extracting(MemberInfo::siteId).containsExactly(b.node().siteId());
        TestNodes.write(b.node(), b.store(), 5, 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.store().hasAllUpTo(b.node().siteId(), 5));
        assertThat(a.node().stats().runtime().protocolErrors()).isZero();
    }

    /** Opens an exchange, sends one frame, and reports whether the node aborted it. */
    private static boolean exchangeAborted(QuicTransport raw, InetSocketAddress target, byte[] frame)
            throws Exception {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        Exchange exchange = raw.openExchange(target, new ExchangeHandler() {
            @Override
            public void onFrame(Exchange e, byte[] received) {
                outcome.complete(false);
            }

            @Override
            public void onFinished(Exchange e) {
                outcome.complete(false);
            }

            @Override
            public void onAborted(Exchange e, TransportException cause) {
                outcome.complete(true);
            }
        }).toCompletableFuture().get(5, TimeUnit.SECONDS);
        exchange.send(frame);
        return outcome.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFullHandOffRefusesBroadcastsWithoutBlockingAndSyncDeliversThemAnyway() throws Exception {
        SiteId site = cluster.newSite();
        InMemoryChangesetStore store = new InMemoryChangesetStore(site);
        GossipNode a = cluster.start(cluster.config(pki, "a", site, 0, List.of()).broadcastHandoffCapacity(3)
                .build(), store, GossipListener.NONE);
        Started b = start(pki, "b", List.of(a.address()));
        TestNodes.awaitFullMesh(List.of(a, b.node()), Duration.ofSeconds(10));

        // The protocol thread is held up: the hand-off fills, and broadcast still returns at once.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        a.onProtocolThread(() -> {
            held.countDown();
            awaitUninterruptibly(release);
        });
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        List<Boolean> taken = new ArrayList<>();
        for (int v = 0; v < 10; v++) {
            store.commitLocal(new byte[20], 100, 0).forEach(chunk -> taken.add(a.broadcast(chunk)));
        }
        release.countDown();

        assertThat(taken).containsExactly(true, true, true, false, false, false, false, false, false, false);
        assertThat(a.stats().changesetsBroadcast()).isEqualTo(3);
        assertThat(a.stats().broadcastsDropped()).isEqualTo(7);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.store().hasAllUpTo(site, 10));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(b.node().stats().core().apply().newFromSync()).isGreaterThanOrEqualTo(7));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
