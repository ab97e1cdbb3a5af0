package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.PeerIdentity;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncMessage;
import io.corrosion.gossip.wire.SyncStart;
import io.corrosion.gossip.wire.WireCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Two nodes that share one certificate each keep their own inbound sync session: the bound per peer is by address. */
class SharedCertificateSessionsTest {

    private static final class FakeExchange implements Exchange {
        final PeerInfo peer;
        boolean aborted;

        FakeExchange(PeerInfo peer) {
            this.peer = peer;
        }

        @Override
        public PeerInfo peer() {
            return peer;
        }

        @Override
        public boolean initiatedLocally() {
            return false;
        }

        @Override
        public CompletionStage<Void> send(byte[] frame) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> finish() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void abort(String reason) {
            aborted = true;
        }

        @Override
        public void pauseReading() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public boolean isOpen() {
            return !aborted;
        }
    }

    private final List<SyncMessage> delivered = new ArrayList<>();
    private final List<SessionKey> broken = new ArrayList<>();
    private final WireCodec codec = new WireCodec(1 << 20);

    private final SessionLinks.Host host = new SessionLinks.Host() {
        @Override
        public boolean submitInbound(int bytes, Runnable step) {
            step.run();
            return true;
        }

        @Override
        public void deliver(SyncMessage message) {
            delivered.add(message);
        }

        @Override
        public void broken(SessionKey session) {
            broken.add(session);
        }

        @Override
        public void onProtocolThread(String what, Runnable step) {
            step.run();
        }

        @Override
        public void sendFailed(String what, Throwable cause) {
        }
    };

    private final SessionLinks links = new SessionLinks("me", new SiteId(0, 1), null,
            new AddressBook(AddressBook::systemLookup, Runnable::run, Runnable::run,
                    new RateLimitedLog(LoggerFactory.getLogger(SharedCertificateSessionsTest.class), 5, 10_000)),
            new FrameDecoder("me", codec, new NodeCounters()), 1, host);

    private static PeerInfo peer(String name, int port) {
        return new PeerInfo(new InetSocketAddress("127.0.0.1", port),
                new PeerIdentity("CN=" + name, "fingerprint-of-" + name, true, null));
    }

    /** The peer opens a session naming {@code site}, as initiator, on a new exchange. */
    private FakeExchange open(PeerInfo peer, SiteId site, long id) {
        FakeExchange exchange = new FakeExchange(peer);
        ExchangeHandler handler = links.accept();
        Member initiator = new Member(site, new NodeAddress("10.0.0." + site.hashCode() % 200, 7400), 1);
        SessionKey key = new SessionKey(site, id);
        handler.onFrame(exchange, codec.encode(new SyncStart(key, initiator, SyncState.empty(site))));
        return exchange;
    }

    /**
     * Two different nodes (own site, own address) that present the same verified certificate — one node certificate
     * deployed to every node (a wildcard or a shared secret), which mutual TLS accepts — are one "peer" here: with the
     * default maxInboundSyncsPerPeer = 1, each one's session aborts the other's, so in a cluster all sharing a
     * certificate a node serves one inbound sync at a time and every new one kills the one in progress (a node
     * catching up loses its session whenever anyone else syncs with the same peer).
     */
    @Test
    void twoNodesSharingACertificateDoNotReplaceEachOthersSessions() {
        PeerInfo nodeB = new PeerInfo(new InetSocketAddress("10.0.0.2", 7400),
                new PeerIdentity("CN=corrosion-node", "fingerprint-of-the-shared-cert", true, null));
        PeerInfo nodeC = new PeerInfo(new InetSocketAddress("10.0.0.3", 7400),
                new PeerIdentity("CN=corrosion-node", "fingerprint-of-the-shared-cert", true, null));
        FakeExchange fromB = open(nodeB, new SiteId(2, 2), 1);
        FakeExchange fromC = open(nodeC, new SiteId(3, 3), 1);
        assertThat(fromC.aborted).isFalse();
        assertThat(fromB.aborted).as("B's sync session (B catching up) aborted because C, another node with its own"
                + " site and address, opened one with the same certificate").isFalse();
        assertThat(broken).as("sessions the core hears are broken").isEmpty();
    }
}
