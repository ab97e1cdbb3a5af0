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

/** Sync sessions peers open to us, on fake exchanges; every step runs at once, as if on the protocol thread. */
class SessionLinksTest {

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
                    new RateLimitedLog(LoggerFactory.getLogger(SessionLinksTest.class), 5, 10_000)),
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
}
