package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.quic.QuicTransport;
import io.corrosion.gossip.transport.quic.QuicTransportConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Over real QUIC on loopback: a peer with a valid certificate that keeps sending garbage is shut out. */
class GossipGarbagePeerTest {

    @RegisterExtension
    final TestNodes cluster = new TestNodes();

    @TempDir
    Path certificates;

    @Test
    void aPeerThatKeepsSendingGarbageIsQuarantinedWhileTheClusterCarriesOn() throws Exception {
        Pki pki = new Pki(certificates, "cluster-ca");
        SiteId siteA = cluster.newSite();
        SiteId siteB = cluster.newSite();
        InMemoryChangesetStore storeA = new InMemoryChangesetStore(siteA);
        InMemoryChangesetStore storeB = new InMemoryChangesetStore(siteB);
        GossipNode a = cluster.start(cluster.config(pki, "a", siteA, 0, List.of()).build(), storeA,
                GossipListener.NONE);
        GossipNode b = cluster.start(cluster.config(pki, "b", siteB, 0, List.of(a.address())).build(), storeB,
                GossipListener.NONE);
        TestNodes.awaitFullMesh(List.of(a, b), Duration.ofSeconds(10));

        QuicTransport garbage = new QuicTransport(QuicTransportConfig.builder(new InetSocketAddress(Pki.LOOPBACK, 0))
                .nodeName("garbage").tls(pki.tls("garbage")).ioThreads(1).build());
        try {
            garbage.start(new InboundHandler() {
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
            InetSocketAddress target = new InetSocketAddress(Pki.LOOPBACK, a.address().port());
            long rejectsBefore = a.stats().decodeRejects();
            for (int i = 0; i < PeerQuarantine.STRIKES + 30; i++) {
                garbage.sendMessage(target, new byte[] {1, (byte) (100 + i % 50), 4, 2, (byte) i})
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            // The first STRIKES frames were decoded and refused; the rest were dropped unread.
            await().atMost(Duration.ofSeconds(10)).until(() -> a.stats().runtime().quarantinedFrames() >= 1
                    && a.stats().decodeRejects() - rejectsBefore + a.stats().runtime().quarantinedFrames()
                    >= PeerQuarantine.STRIKES + 30);
            assertThat(a.stats().decodeRejects() - rejectsBefore).isEqualTo(PeerQuarantine.STRIKES);

            // The honest peer is unaffected: its changesets still arrive.
            TestNodes.write(b, storeB, 5, 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> storeA.hasAllUpTo(siteB, 5));
            assertThat(a.members()).extracting(MemberInfo::siteId).containsExactly(siteB);
        } finally {
            garbage.close();
        }
    }
}
