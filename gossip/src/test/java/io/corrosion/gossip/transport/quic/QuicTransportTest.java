package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.PeerIdentity;
import io.corrosion.gossip.transport.TransportMetrics;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(NettyLeakRecorder.class)
class QuicTransportTest {

    @RegisterExtension
    final TestTransports transports = new TestTransports();

    private QuicTransport start(String name, Recorder recorder) {
        return transports.start(name, recorder);
    }

    /** The reply address travels in the payload, as the gossip protocols will carry the sender's identity. */
    private static byte[] withReplyPort(QuicTransport from, String text) {
        byte[] body = text.getBytes(UTF_8);
        return ByteBuffer.allocate(4 + body.length).putInt(from.localAddress().getPort()).put(body).array();
    }

    private static InetSocketAddress replyAddress(byte[] payload) {
        return new InetSocketAddress(TestPki.LOOPBACK, ByteBuffer.wrap(payload).getInt());
    }

    @Test
    void datagramRoundTripCarriesTheVerifiedPeerCertificate() throws Exception {
        Recorder aliceInbox = new Recorder();
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start("alice", aliceInbox);
        QuicTransport bob = start("bob", bobInbox);
        bobInbox.onDatagram = (from, datagram) -> bob.sendDatagram(replyAddress(datagram), "pong".getBytes(UTF_8));

        alice.sendDatagram(bob.localAddress(), withReplyPort(alice, "ping")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> aliceInbox.datagrams.size() == 1);
        assertThat(aliceInbox.datagrams.get(0).text()).isEqualTo("pong");
        PeerIdentity bobAsSeenByAlice = aliceInbox.datagrams.get(0).from().identity();
        assertThat(bobAsSeenByAlice.subject()).isEqualTo("CN=bob,O=corrosion");
        assertThat(bobAsSeenByAlice.verified()).isTrue();
        assertThat(bobAsSeenByAlice.fingerprint()).hasSize(64);
        PeerIdentity aliceAsSeenByBob = bobInbox.datagrams.get(0).from().identity();
        assertThat(aliceAsSeenByBob.subject()).isEqualTo("CN=alice,O=corrosion");
        // Bob saw Alice's dialling port, not her listen port: identity must travel in the payload.
        assertThat(bobInbox.datagrams.get(0).from().address().getPort()).isNotEqualTo(alice.localAddress().getPort());

        TransportMetrics aliceMetrics = alice.metrics();
        assertThat(aliceMetrics.datagramsSent()).isEqualTo(1);
        assertThat(aliceMetrics.datagramsReceived()).isEqualTo(1);
        assertThat(aliceMetrics.connectionsOpened()).isEqualTo(1);
        assertThat(aliceMetrics.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void messageRoundTripReusesOneConnectionPerPeer() throws Exception {
        Recorder aliceInbox = new Recorder();
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start("alice", aliceInbox);
        QuicTransport bob = start("bob", bobInbox);
        bobInbox.onMessage = (from, message) -> bob.sendMessage(replyAddress(message), message);

        for (int i = 0; i < 50; i++) {
            alice.sendMessage(bob.localAddress(), withReplyPort(alice, "changeset " + i));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> aliceInbox.messages.size() == 50);
        assertThat(aliceInbox.messages).extracting(r -> new String(r.payload(), 4, r.payload().length - 4, UTF_8))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 50)
                        .mapToObj(i -> "changeset " + i).toList());
        assertThat(alice.metrics().connectionsOpened()).isEqualTo(1);
        assertThat(bob.metrics().connectionsOpened()).isEqualTo(1);
        assertThat(bob.metrics().messagesReceived()).isEqualTo(50);
        assertThat(alice.metrics().messagesSent()).isEqualTo(50);
    }

    @Test
    void messagesShareAStreamThatEndsByItselfAndTheNextMessageOpensANewOne() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start("alice", new Recorder());
        QuicTransport bob = start("bob", bobInbox);

        for (int i = 0; i < 20; i++) {
            alice.sendMessage(bob.localAddress(), ("first " + i).getBytes(UTF_8)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 20);
        // The message stream is finished after its lifetime (0.5 s at most), cleanly: neither side holds a stream.
        await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().streamsActive() == 0
                && alice.metrics().streamsActive() == 0);

        alice.sendMessage(bob.localAddress(), "second".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 21);
        assertThat(new String(bobInbox.messages.get(20).payload(), UTF_8)).isEqualTo("second");
        assertThat(bob.metrics().streamsTruncated()).isZero();
        assertThat(bob.metrics().streamsIdleClosed()).isZero();
        assertThat(alice.metrics().connectionsOpened()).isEqualTo(1);
        assertThat(alice.metrics().messagesSent()).isEqualTo(21);
    }

    @Test
    void messagesThatQueueWhileTheEventLoopIsBusyLeaveInOnePacket() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start("alice", new Recorder());
        QuicTransport bob = start("bob", bobInbox);
        QuicChannel toBob = openMessageStream(alice, bob, bobInbox);
        long packetsBefore = toBob.collectStats().get(5, TimeUnit.SECONDS).sent();

        List<String> queued = IntStream.range(0, 20).mapToObj(i -> "queued " + i).toList();
        sendWhileTheEventLoopIsBusy(alice, bob, toBob, queued);

        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 21);
        assertThat(bobInbox.messages.subList(1, 21)).extracting(r -> new String(r.payload(), UTF_8))
                .containsExactlyElementsOf(queued);
        // One packet carries them (~250 bytes); a few more at most for acknowledgements and flow-control updates.
        // Written one by one they took twenty.
        long packets = toBob.collectStats().get(5, TimeUnit.SECONDS).sent() - packetsBefore;
        assertThat(packets).isBetween(1L, 4L);
    }

    @Test
    void aQueueLargerThanOneWriteArrivesWholeAndInOrder() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start("alice", new Recorder());
        QuicTransport bob = start("bob", bobInbox);
        QuicChannel toBob = openMessageStream(alice, bob, bobInbox);

        // 150 messages of 2 KiB: several writes of up to 64 KiB each.
        List<String> queued = IntStream.range(0, 150).mapToObj(i -> i + " " + "x".repeat(2048)).toList();
        sendWhileTheEventLoopIsBusy(alice, bob, toBob, queued);

        await().atMost(Duration.ofSeconds(10)).until(() -> bobInbox.messages.size() == 151);
        assertThat(bobInbox.messages.subList(1, 151)).extracting(r -> new String(r.payload(), UTF_8))
                .containsExactlyElementsOf(queued);
        assertThat(bob.metrics().streamsTruncated()).isZero();
    }

    /** Sends a first message from alice to bob and waits for it: the connection and its message stream are open. */
    private static QuicChannel openMessageStream(QuicTransport alice, QuicTransport bob, Recorder bobInbox)
            throws Exception {
        alice.sendMessage(bob.localAddress(), "open".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 1);
        return alice.connectionTo(bob.localAddress()).get(5, TimeUnit.SECONDS);
    }

    /** Sends {@code messages} from this thread while the connection's event loop is held busy, then lets it go. */
    private static void sendWhileTheEventLoopIsBusy(QuicTransport alice, QuicTransport bob, QuicChannel toBob,
            List<String> messages) throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        toBob.eventLoop().execute(() -> {
            try {
                busy.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (String message : messages) {
            sent.add(alice.sendMessage(bob.localAddress(), message.getBytes(UTF_8)).toCompletableFuture());
        }
        busy.countDown();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void exchangeCarriesOrderedFramesBothWaysAndEndsWithBothFinishes() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start("alice", new Recorder());
        QuicTransport bob = start("bob", bobInbox);
        Recorder.Collector collector = new Recorder.Collector();

        Exchange exchange = alice.openExchange(bob.localAddress(), collector).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            exchange.send(("frame " + i).getBytes(UTF_8));
        }
        java.util.concurrent.CompletionStage<Void> finish = exchange.finish();
        finish.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(exchange.finish()).as("finish is idempotent").isSameAs(finish);
        Throwable late = org.assertj.core.api.Assertions.catchThrowable(
                () -> exchange.send("too late".getBytes(UTF_8)).toCompletableFuture().join());
        assertThat(((io.corrosion.gossip.transport.TransportException) late.getCause()).reason())
                .isEqualTo(io.corrosion.gossip.transport.TransportException.Reason.FINISHED);

        collector.finished.get(5, TimeUnit.SECONDS);
        assertThat(collector.texts()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> "frame " + i).toList());
        assertThat(collector.aborted).isNotDone();
        assertThat(exchange.initiatedLocally()).isTrue();
        assertThat(exchange.peer().identity().subject()).isEqualTo("CN=bob,O=corrosion");
        await().atMost(Duration.ofSeconds(5)).until(() -> !exchange.isOpen());
        assertThat(bobInbox.exchanges).hasSize(1);
        assertThat(bobInbox.exchanges.get(0).initiatedLocally()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().streamsActive() == 0
                && alice.metrics().streamsActive() == 0);
        assertThat(bob.metrics().exchangesAccepted()).isEqualTo(1);
        assertThat(alice.metrics().exchangesOpened()).isEqualTo(1);
        assertThat(alice.metrics().exchangesAborted()).isZero();
    }

    @Test
    void finishRightAfterALargeSendStillDeliversTheWholeFrame() throws Exception {
        Recorder bobInbox = new Recorder();
        java.util.List<byte[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        bobInbox.onExchange = exchange -> new Recorder.Echo() {
            @Override
            public void onFrame(Exchange e, byte[] frame) {
                received.add(frame);
            }
        };
        QuicTransport alice = start("alice", new Recorder());
        QuicTransport bob = start("bob", bobInbox);
        Recorder.Collector collector = new Recorder.Collector();
        byte[] large = new byte[3 << 20];
        new java.util.Random(1).nextBytes(large);

        Exchange exchange = alice.openExchange(bob.localAddress(), collector).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        java.util.concurrent.CompletableFuture<Void> sent = exchange.send(large).toCompletableFuture();
        java.util.concurrent.CompletableFuture<Void> finished = exchange.finish().toCompletableFuture();
        // The frame is far larger than the stream window: the finish must queue behind it, not overtake it.
        sent.get(10, TimeUnit.SECONDS);
        finished.get(10, TimeUnit.SECONDS);

        collector.finished.get(10, TimeUnit.SECONDS);
        assertThat(received).singleElement().satisfies(frame -> assertThat(frame).isEqualTo(large));
        assertThat(collector.aborted).isNotDone();
    }

    @Test
    void refusedExchangeFailsOnTheInitiatorsSide() throws Exception {
        Recorder bobInbox = new Recorder();
        bobInbox.onExchange = exchange -> null;
        QuicTransport alice = start("alice", new Recorder());
        QuicTransport bob = start("bob", bobInbox);
        Recorder.Collector collector = new Recorder.Collector();

        Exchange exchange = alice.openExchange(bob.localAddress(), collector).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        exchange.send("sync please".getBytes(UTF_8));

        assertThat(collector.aborted.get(5, TimeUnit.SECONDS).reason())
                .isEqualTo(io.corrosion.gossip.transport.TransportException.Reason.REFUSED);
        await().atMost(Duration.ofSeconds(5)).until(() -> !exchange.isOpen());
        assertThat(bob.metrics().exchangesAccepted()).isZero();
    }

    @Test
    void anAbortReachesTheOtherSideAndFailsLaterSends() throws Exception {
        Recorder bobInbox = new Recorder();
        Recorder.Echo bobsHandler = new Recorder.Echo();
        bobInbox.onExchange = exchange -> bobsHandler;
        QuicTransport alice = start("alice", new Recorder());
        QuicTransport bob = start("bob", bobInbox);
        Recorder.Collector collector = new Recorder.Collector();
        Exchange exchange = alice.openExchange(bob.localAddress(), collector).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        exchange.send("first".getBytes(UTF_8));
        await().atMost(Duration.ofSeconds(5)).until(() -> collector.frames.size() == 1);

        exchange.abort("changed my mind");

        assertThat(bobsHandler.aborted.get(5, TimeUnit.SECONDS).reason())
                .isEqualTo(io.corrosion.gossip.transport.TransportException.Reason.ABORTED_BY_PEER);
        assertThat(collector.aborted.get(5, TimeUnit.SECONDS).reason())
                .isEqualTo(io.corrosion.gossip.transport.TransportException.Reason.ABORTED_LOCALLY);
        Throwable late = org.assertj.core.api.Assertions.catchThrowable(
                () -> exchange.send("late".getBytes(UTF_8)).toCompletableFuture().join());
        assertThat(late.getCause()).isInstanceOf(io.corrosion.gossip.transport.TransportException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().streamsActive() == 0
                && alice.metrics().streamsActive() == 0);
        assertThat(collector.finished).isNotDone();
    }
}
