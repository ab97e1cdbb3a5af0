package io.corrosion.jdbc.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.quic.QuicTransport;
import io.corrosion.gossip.transport.quic.QuicTransportConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test partition itself: what crosses a cut, over real QUIC on loopback. */
class PartitionTest {
    private final Partition partition = new Partition();
    private final List<Transport> started = new ArrayList<>();

    /** One end of an exchange: the frames it was given, and whether it was aborted. */
    static final class End implements ExchangeHandler {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final CompletableFuture<TransportException> aborted = new CompletableFuture<>();

        @Override
        public void onFrame(Exchange exchange, byte[] frame) {
            frames.add(new String(frame, UTF_8));
        }

        @Override
        public void onFinished(Exchange exchange) {
        }

        @Override
        public void onAborted(Exchange exchange, TransportException cause) {
            aborted.complete(cause);
        }
    }

    /** Accepts the exchanges peers open, with one {@link End}. */
    static final class Accepting implements InboundHandler {
        final CompletableFuture<Exchange> exchange = new CompletableFuture<>();
        final End end = new End();

        @Override
        public void onDatagram(PeerInfo from, byte[] datagram) {
        }

        @Override
        public void onMessage(PeerInfo from, byte[] message) {
        }

        @Override
        public ExchangeHandler onExchange(Exchange opened) {
            exchange.complete(opened);
            return end;
        }
    }

    @AfterEach
    void close() {
        started.forEach(Transport::close);
    }

    private Transport start(String name, InboundHandler handler) {
        Transport t = partition.decorator().apply(new QuicTransport(QuicTransportConfig.builder(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).insecure(true).nodeName(name).ioThreads(1)
                .build()));
        t.start(handler);
        started.add(t);
        return t;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    /**
     * A sync session open when the partition came carried, in aPartitionHeals, the island's writes made after the
     * cut to the mainland (1 run in about 25): no frame may cross a cut, whenever its exchange opened.
     */
    @Test
    void anExchangeOpenAcrossTheCutCarriesNothingAfterItAndEndsOnBothSides() throws Exception {
        Accepting bob = new Accepting();
        Transport aliceTransport = start("alice", new Accepting());
        Transport bobTransport = start("bob", bob);
        End alice = new End();
        Exchange fromAlice = aliceTransport.openExchange(bobTransport.localAddress(), alice).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        fromAlice.send(bytes("before, from alice")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Exchange fromBob = bob.exchange.get(10, TimeUnit.SECONDS);
        fromBob.send(bytes("before, from bob")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> bob.end.frames.size() == 1 && alice.frames.size() == 1);

        partition.cut(Set.of(aliceTransport.localAddress().getPort()), Set.of(bobTransport.localAddress().getPort()));
        fromBob.send(bytes("after, from bob")); // may leave before the abort reaches bob: it must not arrive
        assertThat(fromAlice.send(bytes("after, from alice")).toCompletableFuture()).isCompletedExceptionally();

        assertThat(alice.aborted.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(bob.end.aborted.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(alice.frames).containsExactly("before, from bob");
        assertThat(bob.end.frames).containsExactly("before, from alice");
        assertThat(aliceTransport.openExchange(bobTransport.localAddress(), new End()).toCompletableFuture())
                .isCompletedExceptionally();
    }
}
