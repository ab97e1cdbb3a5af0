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

/** A session the core closed while its peer's host name was being looked up opens nothing when the lookup answers. */
class ClosedSessionAfterLookupTest {

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
                    new RateLimitedLog(LoggerFactory.getLogger(ClosedSessionAfterLookupTest.class), 5,
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
}
