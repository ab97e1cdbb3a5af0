package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.quic.Frames.ResetCode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A peer with a valid certificate that sends garbage: the transport cuts it off and stays up. */
@ExtendWith(NettyLeakRecorder.class)
class HostileInputTest {

    @RegisterExtension
    final TestTransports resources = new TestTransports();
    private final Recorder inbox = new Recorder();

    private QuicTransport server(QuicTransportConfig.Builder config) {
        return resources.start(config.build(), inbox);
    }

    private RawPeer rawPeerOf(QuicTransport server) throws Exception {
        return resources.closeAfterwards(new RawPeer("raw", server.localAddress()));
    }

    /** A proper message (one frame, then FIN) still gets through after the garbage. */
    private void assertStillServes(RawPeer peer) throws Exception {
        int before = inbox.messages.size();
        QuicStreamChannel stream = peer.stream(QuicStreamType.UNIDIRECTIONAL, new RawPeer.StreamProbe());
        byte[] body = "still here".getBytes(UTF_8);
        stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(RawPeer.prefix(body.length), body),
                true)).sync();
        await().atMost(Duration.ofSeconds(5)).until(() -> inbox.messages.size() == before + 1);
        assertThat(inbox.messages.get(before).text()).isEqualTo("still here");
    }

    private static long allocatedByTransportThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(QuicTransport.THREAD_NAME_PREFIX))
                .mapToLong(t -> threads.getThreadAllocatedBytes(t.getId())).sum();
    }

    @Test
    void oversizeLengthPrefixCutsTheStreamBeforeBufferingAnything() throws Exception {
        QuicTransport server = server(TestPki.config("server").maxFrameSize(64 * 1024));
        RawPeer peer = rawPeerOf(server);
        RawPeer.StreamProbe probe = new RawPeer.StreamProbe();
        QuicStreamChannel stream = peer.stream(QuicStreamType.BIDIRECTIONAL, probe);

        RawPeer.write(stream, RawPeer.prefix(0xFFFF_FFF0L)).sync();
        RawPeer.write(stream, new byte[1000]);

        assertThat(probe.resetCode.get(5, TimeUnit.SECONDS)).isEqualTo(ResetCode.TOO_LARGE.code);
        assertThat(server.metrics().framesOversize()).isEqualTo(1);
        assertThat(inbox.exchanges).hasSize(1);
        assertStillServes(peer);
    }

    @Test
    void announcedLengthIsNeverAllocatedUpFront() throws Exception {
        // 400 MiB announced and allowed, 10 bytes sent: a reader that trusted the prefix would allocate 400 MiB.
        QuicTransport server = server(TestPki.config("server").maxFrameSize(512 << 20)
                .frameTimeout(Duration.ofSeconds(30)));
        RawPeer peer = rawPeerOf(server);
        assertStillServes(peer); // warm up the transport's threads
        long before = allocatedByTransportThreads();

        QuicStreamChannel stream = peer.stream(QuicStreamType.UNIDIRECTIONAL, new RawPeer.StreamProbe());
        RawPeer.write(stream, RawPeer.prefix(400L << 20)).sync();
        RawPeer.write(stream, new byte[10]).sync();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().streamsActive() >= 1);

        assertThat(allocatedByTransportThreads() - before).isLessThan(16L << 20);
        assertThat(inbox.messages).hasSize(1);
    }

    @Test
    void slowLorisFrameIsCutAtTheFrameTimeoutEvenWhileBytesTrickle() throws Exception {
        QuicTransport server = server(TestPki.config("server").frameTimeout(Duration.ofMillis(600))
                .streamIdleTimeout(Duration.ofSeconds(5)));
        RawPeer peer = rawPeerOf(server);
        RawPeer.StreamProbe probe = new RawPeer.StreamProbe();
        QuicStreamChannel stream = peer.stream(QuicStreamType.BIDIRECTIONAL, probe);
        RawPeer.write(stream, RawPeer.prefix(1000)).sync();
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        resources.closeAfterwards(trickler::shutdownNow);
        AtomicInteger trickled = new AtomicInteger();
        trickler.scheduleAtFixedRate(() -> {
            if (stream.isActive()) {
                trickled.incrementAndGet();
                RawPeer.write(stream, new byte[] {1});
            }
        }, 0, 50, TimeUnit.MILLISECONDS);

        assertThat(probe.resetCode.get(5, TimeUnit.SECONDS)).isEqualTo(ResetCode.FRAME_TIMEOUT.code);
        assertThat(trickled.get()).isGreaterThan(5);
        assertThat(server.metrics().framesTimedOut()).isEqualTo(1);
        assertThat(server.metrics().streamsIdleClosed()).isZero();
        assertStillServes(peer);
    }

    @Test
    void streamThatIdlesIsCutAndTheExchangeHandlerHearsWhy() throws Exception {
        CompletableFuture<TransportException> aborted = new CompletableFuture<>();
        inbox.onExchange = exchange -> new ExchangeHandler() {
            @Override
            public void onFrame(io.corrosion.gossip.transport.Exchange e, byte[] frame) {
            }

            @Override
            public void onFinished(io.corrosion.gossip.transport.Exchange e) {
            }

            @Override
            public void onAborted(io.corrosion.gossip.transport.Exchange e, TransportException cause) {
                aborted.complete(cause);
            }
        };
        QuicTransport server = server(TestPki.config("server").streamIdleTimeout(Duration.ofMillis(500)));
        RawPeer peer = rawPeerOf(server);
        RawPeer.StreamProbe probe = new RawPeer.StreamProbe();
        QuicStreamChannel stream = peer.stream(QuicStreamType.BIDIRECTIONAL, probe);
        RawPeer.write(stream, new byte[] {0, 0, 0, 2, 7, 7}).sync(); // one whole frame, then silence, no FIN

        assertThat(probe.resetCode.get(5, TimeUnit.SECONDS)).isEqualTo(ResetCode.IDLE_TIMEOUT.code);
        assertThat(aborted.get(5, TimeUnit.SECONDS).reason()).isEqualTo(Reason.IDLE_TIMEOUT);
        assertThat(server.metrics().streamsIdleClosed()).isEqualTo(1);
        assertThat(server.metrics().exchangesAborted()).isEqualTo(1);
    }

    @Test
    void truncatedFrameIsCountedAndNothingIsDelivered() throws Exception {
        QuicTransport server = server(TestPki.config("server"));
        RawPeer peer = rawPeerOf(server);
        QuicStreamChannel stream = peer.stream(QuicStreamType.UNIDIRECTIONAL, new RawPeer.StreamProbe());
        stream.writeAndFlush(new DefaultQuicStreamFrame(
                Unpooled.wrappedBuffer(RawPeer.prefix(100), new byte[10]), true)).sync();

        await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().streamsTruncated() == 1);
        assertThat(inbox.messages).isEmpty();
        assertStillServes(peer);
    }

    @Test
    void concurrentStreamsPerConnectionAreBoundedByQuicStreamCredit() throws Exception {
        inbox.onExchange = exchange -> new Recorder.Collector(); // holds exchanges open: never finishes
        QuicTransport server = server(TestPki.config("server").maxInboundBidiStreams(4));
        RawPeer peer = rawPeerOf(server);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> peer.connection.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) == 4);
        List<QuicStreamChannel> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            QuicStreamChannel stream = peer.stream(QuicStreamType.BIDIRECTIONAL, new RawPeer.StreamProbe());
            RawPeer.write(stream, new byte[] {0, 0, 0, 1, (byte) i}).sync();
            open.add(stream);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().exchangesAccepted() == 4);

        assertThat(peer.connection.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL)).isZero();
        Throwable fifth = peer.connection.createStream(QuicStreamType.BIDIRECTIONAL, new RawPeer.StreamProbe())
                .await().cause();
        assertThat(fifth).as("QUIC refuses a stream beyond the credit").isNotNull();
        assertThat(server.metrics().exchangesAccepted()).isEqualTo(4);
    }

    @Test
    void oversizeDatagramsAreDroppedAndCountedBothWays() throws Exception {
        QuicTransport server = server(TestPki.config("server").maxDatagramSize(200));
        RawPeer peer = rawPeerOf(server);

        peer.datagram(1000).sync();
        peer.datagram(100).sync();

        await().atMost(Duration.ofSeconds(5)).until(() -> inbox.datagrams.size() == 1);
        assertThat(inbox.datagrams.get(0).payload()).hasSize(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().datagramsDroppedOversize() == 1);

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> server.sendDatagram(
                peer.connection.localSocketAddress() instanceof java.net.InetSocketAddress a ? a : null,
                new byte[201]).toCompletableFuture().join());
        assertThat(refused.getCause()).isInstanceOf(TransportException.class);
        assertThat(((TransportException) refused.getCause()).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(server.metrics().datagramsDroppedOversize()).isEqualTo(2);
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheNextMessageStillArrives() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        inbox.onMessage = (from, message) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("handler bug");
            }
        };
        QuicTransport server = server(TestPki.config("server"));
        QuicTransport client = resources.start("client", new Recorder());

        client.sendMessage(server.localAddress(), "one".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        client.sendMessage(server.localAddress(), "two".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> inbox.messages.size() == 2);
        assertThat(server.metrics().handlerErrors()).isEqualTo(1);
    }

    @Test
    void outboundFramesAboveTheMaximumFailFast() {
        QuicTransport server = server(TestPki.config("server").maxFrameSize(1024));
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> server.sendMessage(
                server.localAddress(), new byte[1025]).toCompletableFuture().join());
        assertThat(((TransportException) refused.getCause()).reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void aPeerThatKeepsSendingGarbageIsDisconnectedWithoutFloodingTheLog() throws Exception {
        QuicTransport server = server(TestPki.config("server").maxFrameSize(1024));
        RawPeer peer = rawPeerOf(server);
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < TransportContext.VIOLATIONS_PER_CONNECTION; i++) {
                QuicStreamChannel stream = peer.stream(QuicStreamType.UNIDIRECTIONAL, new RawPeer.StreamProbe());
                RawPeer.write(stream, RawPeer.prefix(1 << 20));
            }

            assertThat(peer.connection.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics().peersDisconnected() == 1);
            assertThat(server.metrics().framesOversize()).isEqualTo(TransportContext.VIOLATIONS_PER_CONNECTION);
            assertThat(log.warningsContaining("cut stream")).hasSize(TransportContext.WARNINGS_PER_CONNECTION);
            assertThat(log.warningsContaining("closing the connection")).hasSize(1);
        }
        assertThat(inbox.messages).isEmpty();
    }
}
