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
import io.corrosion.gossip.wire.SyncChangesets;
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

/**
 * Sync sessions on fake exchanges; every step runs at once, as if on the protocol thread, except host-name lookups,
 * which wait in {@code lookups} until the test answers them.
 */
class SessionLinksTest {

    private static final class FakeExchange implements Exchange {
        final PeerInfo peer;
        boolean aborted;
        /** Whether sends wait in {@code held} until the test lets the peer take them. */
        boolean hold;
        final List<CompletableFuture<Void>> held = new ArrayList<>();

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
            if (!hold) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> taken = new CompletableFuture<>();
            held.add(taken);
            return taken;
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

    private final java.util.ArrayDeque<Runnable> lookups = new java.util.ArrayDeque<>();
    private final List<InetSocketAddress> opened = new ArrayList<>();

    /** Records openExchange; nothing else is used. */
    private final io.corrosion.gossip.transport.Transport transport = new io.corrosion.gossip.transport.Transport() {
        @Override public void start(io.corrosion.gossip.transport.InboundHandler handler) { }
        @Override public InetSocketAddress localAddress() { return null; }
        @Override public int maxDatagramSize() { return 1200; }
        @Override public int maxFrameSize() { return 1 << 20; }
        @Override public CompletionStage<Void> sendDatagram(InetSocketAddress to, byte[] d) { return null; }
        @Override public CompletionStage<Void> sendMessage(InetSocketAddress to, byte[] m) { return null; }
        @Override public CompletionStage<Exchange> openExchange(InetSocketAddress to, ExchangeHandler handler) {
            opened.add(to);
            return CompletableFuture.completedFuture(new FakeExchange(peer("them", to.getPort())));
        }
        @Override public void disconnect(InetSocketAddress peer) { }
        @Override public io.corrosion.gossip.transport.TransportMetrics metrics() { return null; }
        @Override public void close() { }
    };

    private final SessionLinks links = new SessionLinks("me", new SiteId(0, 1), transport,
            new AddressBook(a -> new InetSocketAddress("127.0.0.1", a.port()), lookups::add, Runnable::run,
                    new RateLimitedLog(LoggerFactory.getLogger(SessionLinksTest.class), 5,
                            10_000)),
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
     * Our sync session to a peer named by host name waits for the lookup; the core gives up on it meanwhile (session
     * timeout, node leaving: abortAll). When the lookup answers, the link still opens an exchange and sends the
     * stale SyncStart: the peer starts serving a session nobody wants, and (maxInboundSyncsPerPeer = 1) it replaces
     * our newer session there if it arrives after it.
     */
    @Test
    void aSessionClosedWhileItsPeerIsLookedUpOpensNoExchange() {
        SiteId me = new SiteId(0, 1);
        SessionKey key = new SessionKey(me, 42);
        Member self = new Member(me, new NodeAddress("10.0.0.1", 7400), 1);
        SyncStart start = new SyncStart(key, self, SyncState.empty(me));
        links.send(new NodeAddress("peer.example", 7400), start, codec.encode(start));
        links.closed(key, false); // the core timed the session out (or the node left)
        while (!lookups.isEmpty()) {
            lookups.poll().run(); // DNS answers
        }
        assertThat(opened).as("exchanges opened for a session the core already closed").isEmpty();
    }

    @Test
    void onePeerHoldsOneInboundSessionWhateverSitesItsSessionsName() {
        PeerInfo hog = peer("hog", 40_001);
        FakeExchange first = open(hog, new SiteId(7, 1), 1);
        FakeExchange second = open(hog, new SiteId(7, 2), 2);
        FakeExchange third = open(hog, new SiteId(7, 3), 3);
        assertThat(delivered).hasSize(3);
        assertThat(first.aborted).as("replaced by the peer's newer session").isTrue();
        assertThat(second.aborted).isTrue();
        assertThat(third.aborted).isFalse();
        assertThat(broken).containsExactly(new SessionKey(new SiteId(7, 1), 1), new SessionKey(new SiteId(7, 2), 2));
        assertThat(links.open()).isEqualTo(1);

        FakeExchange other = open(peer("other", 40_002), new SiteId(8, 1), 1);
        assertThat(other.aborted).isFalse();
        assertThat(third.aborted).as("another peer's session takes nothing from it").isFalse();
        assertThat(links.open()).isEqualTo(2);
    }

    @Test
    void aPeerWithoutAVerifiedCertificateIsKnownByItsConnectionsAddress() {
        PeerInfo a = new PeerInfo(new InetSocketAddress("127.0.0.1", 40_003),
                new PeerIdentity("CN=insecure", "same", false, null));
        PeerInfo b = new PeerInfo(new InetSocketAddress("127.0.0.1", 40_004),
                new PeerIdentity("CN=insecure", "same", false, null));
        FakeExchange fromA = open(a, new SiteId(9, 1), 1);
        FakeExchange fromB = open(b, new SiteId(9, 2), 1);
        assertThat(fromA.aborted).isFalse();
        assertThat(fromB.aborted).isFalse();
        FakeExchange againA = open(a, new SiteId(9, 3), 1);
        assertThat(fromA.aborted).isTrue();
        assertThat(againA.aborted).isFalse();
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

    /**
     * A session's next store read goes on while the batch before it is on its way, so its transfer is no pause
     * between two reads of a catch-up; it waits for the peer to take the batch before that, so a peer that takes
     * nothing holds two of the session's batches at most.
     */
    @Test
    void aReadOverlapsThePreviousBatchsTransferAndWaitsForTheOneBefore() {
        SessionKey key = new SessionKey(new SiteId(5, 1), 1);
        FakeExchange exchange = open(peer("catching-up", 40_005), key.initiator(), key.id());
        exchange.hold = true;
        NodeAddress to = new NodeAddress("10.0.0.5", 7400);
        SyncChangesets batch = new SyncChangesets(key, List.of());
        List<String> reads = new ArrayList<>();

        links.afterSent(key, () -> reads.add("first"));
        links.send(to, batch, codec.encode(batch));
        links.afterSent(key, () -> reads.add("second"));
        assertThat(reads).as("the second read goes on while the first batch is on its way")
                .containsExactly("first", "second");

        links.send(to, batch, codec.encode(batch));
        links.afterSent(key, () -> reads.add("third"));
        assertThat(reads).as("the third read waits for the peer to take the first batch")
                .containsExactly("first", "second");
        exchange.held.get(0).complete(null);
        assertThat(reads).containsExactly("first", "second", "third");
    }
}
