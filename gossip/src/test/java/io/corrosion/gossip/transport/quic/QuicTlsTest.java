package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.tls.ClusterCa;
import io.corrosion.gossip.tls.NodeCredentials;
import io.corrosion.gossip.tls.TlsMaterial;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(NettyLeakRecorder.class)
class QuicTlsTest {

    private static final ClusterCa OTHER_CA = ClusterCa.create("some other cluster's CA");

    @RegisterExtension
    final TestTransports transports = new TestTransports();

    private QuicTransport start(QuicTransportConfig config, Recorder recorder) {
        return transports.start(config, recorder);
    }

    private static TransportException failureOf(java.util.concurrent.CompletionStage<?> stage) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertThat(thrown).as("the operation should have failed").isNotNull();
        Throwable cause = thrown.getCause() instanceof CompletionException c ? c.getCause() : thrown.getCause();
        assertThat(cause).isInstanceOf(TransportException.class);
        return (TransportException) cause;
    }

    @Test
    void peerWithCertificateFromAnotherCaIsRefusedAndLoggedOnce() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport bob = start(TestPki.config("bob").build(), bobInbox);
        // Mallory trusts our CA (so she accepts Bob) but her own certificate comes from another CA.
        NodeCredentials mallorysCredentials = OTHER_CA.issueNode("mallory",
                ClusterCa.subjectAltNamesFor("mallory", TestPki.LOOPBACK));
        TlsMaterial mallorysTls = new TlsMaterial(List.of(TestPki.CA.certificate(), OTHER_CA.certificate()),
                mallorysCredentials.certificateChain(), mallorysCredentials.privateKey(), true);
        QuicTransport mallory = start(TestPki.config("mallory").tls(mallorysTls).build(), new Recorder());

        try (LogCapture log = new LogCapture()) {
            failureOf(mallory.sendMessage(bob.localAddress(), "let me in".getBytes(UTF_8)));

            await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().handshakesRefused() == 1);
            assertThat(log.warningsContaining("[bob]")).singleElement().asString()
                    .contains("inbound", "127.0.0.1", "CN=mallory", "not signed by the cluster CA");
        }
        assertThat(bobInbox.messages).isEmpty();
        assertThat(bob.metrics().connectionsAccepted()).isZero();
    }

    @Test
    void dialledPeerWithCertificateFromAnotherCaIsRefused() {
        NodeCredentials impostor = OTHER_CA.issueNode("impostor",
                ClusterCa.subjectAltNamesFor("impostor", TestPki.LOOPBACK));
        QuicTransport impostorNode = start(TestPki.config("impostor")
                .tls(TlsMaterial.of(OTHER_CA.certificate(), impostor)).build(), new Recorder());
        QuicTransport alice = start(TestPki.config("alice").build(), new Recorder());

        try (LogCapture log = new LogCapture()) {
            TransportException failure = failureOf(alice.sendDatagram(impostorNode.localAddress(), new byte[] {1}));

            assertThat(failure.reason()).isEqualTo(Reason.HANDSHAKE_FAILED);
            await().atMost(Duration.ofSeconds(5)).until(() -> !log.warningsContaining("[alice]").isEmpty());
            assertThat(log.warningsContaining("[alice]")).singleElement().asString()
                    .contains("outbound", "127.0.0.1", "CN=impostor", "not signed by the cluster CA");
        }
        assertThat(alice.metrics().handshakesRefused()).isEqualTo(1);
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport bob = start(TestPki.config("bob").build(), bobInbox);
        Instant now = Instant.now();
        NodeCredentials expired = TestPki.CA.issueNode("old-node",
                ClusterCa.subjectAltNamesFor("old-node", TestPki.LOOPBACK),
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        QuicTransport oldNode = start(TestPki.config("old-node")
                .tls(TlsMaterial.of(TestPki.CA.certificate(), expired)).build(), new Recorder());

        try (LogCapture log = new LogCapture()) {
            failureOf(oldNode.sendMessage(bob.localAddress(), "stale".getBytes(UTF_8)));

            await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().handshakesRefused() == 1);
            assertThat(log.warningsContaining("[bob]")).singleElement().asString()
                    .contains("127.0.0.1", "CN=old-node", "expired");
        }
        assertThat(bobInbox.messages).isEmpty();
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport bob = start(TestPki.config("bob").build(), bobInbox);
        QuicSslContext noClientCertificate = QuicSslContextBuilder.forClient()
                .trustManager(TestPki.CA.certificate())
                .applicationProtocols(QuicTls.APPLICATION_PROTOCOL)
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (LogCapture log = new LogCapture()) {
            Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new QuicClientCodecBuilder()
                            .sslEngineProvider(q -> noClientCertificate.newEngine(q.alloc(), "127.0.0.1",
                                    bob.localAddress().getPort()))
                            .maxIdleTimeout(5, TimeUnit.SECONDS)
                            .initialMaxData(1 << 20).initialMaxStreamDataUnidirectional(1 << 20)
                            .build())
                    .bind(new InetSocketAddress(TestPki.LOOPBACK, 0)).sync().channel();
            // TLS 1.3: the client thinks the handshake is done before the server checked its (missing) certificate.
            try {
                QuicChannel connection = QuicChannel.newBootstrap(socket).handler(new ChannelInboundHandlerAdapter())
                        .remoteAddress(bob.localAddress()).connect().get(5, TimeUnit.SECONDS);
                QuicStreamChannel stream = connection.createStream(QuicStreamType.UNIDIRECTIONAL,
                        new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
                stream.writeAndFlush(new DefaultQuicStreamFrame(
                        Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 42}), true));
                connection.closeFuture().await(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException refusedDuringConnect) {
                // Equally fine: the refusal reached the client before it considered itself connected.
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().handshakesRefused() == 1);
            assertThat(log.warningsContaining("[bob]")).singleElement().asString().contains("127.0.0.1", "refused");
            socket.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assertThat(bobInbox.messages).isEmpty();
        assertThat(bob.metrics().connectionsAccepted()).isZero();
    }

    @Test
    void nonLoopbackBindWithoutTlsIsRefusedAtStart() {
        QuicTransportConfig noTls = QuicTransportConfig.builder(new InetSocketAddress("0.0.0.0", 0))
                .nodeName("exposed").build();
        assertThatThrownBy(() -> new QuicTransport(noTls).start(new Recorder()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("refusing to bind 0.0.0.0:0 without TLS")
                .hasMessageContaining("tls.ca, tls.cert, tls.key")
                .satisfies(e -> assertThat(((TransportException) e).reason()).isEqualTo(Reason.CONFIGURATION));

        QuicTransportConfig insecureOnWildcard = noTls.toBuilder().insecure(true).build();
        assertThatThrownBy(() -> new QuicTransport(insecureOnWildcard).start(new Recorder()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("tls.insecure=true is accepted on loopback addresses only");
    }

    @Test
    void loopbackWithoutTlsNeedsTheExplicitInsecureMode() {
        QuicTransportConfig noTls = QuicTransportConfig.builder(new InetSocketAddress(TestPki.LOOPBACK, 0)).build();
        assertThatThrownBy(() -> new QuicTransport(noTls).start(new Recorder()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("tls.insecure=true (loopback only");
    }

    @Test
    void insecureModeWorksOnLoopbackWithUnverifiedIdentities() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransportConfig.Builder insecure = QuicTransportConfig.builder(new InetSocketAddress(TestPki.LOOPBACK, 0))
                .insecure(true).ioThreads(1);
        QuicTransport alice = start(insecure.nodeName("alice").build(), new Recorder());
        QuicTransport bob = start(insecure.nodeName("bob").build(), bobInbox);

        alice.sendMessage(bob.localAddress(), "hello".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 1);
        assertThat(bobInbox.messages.get(0).text()).isEqualTo("hello");
        assertThat(bobInbox.messages.get(0).from().identity().verified()).isFalse();
        assertThat(bobInbox.messages.get(0).from().identity().subject()).isEqualTo("CN=alice,O=corrosion");
    }

    @Test
    void secureNodeRefusesAnInsecurePeer() {
        Recorder bobInbox = new Recorder();
        QuicTransport bob = start(TestPki.config("bob").build(), bobInbox);
        QuicTransport careless = start(QuicTransportConfig.builder(new InetSocketAddress(TestPki.LOOPBACK, 0))
                .insecure(true).nodeName("careless").ioThreads(1).build(), new Recorder());

        failureOf(careless.sendMessage(bob.localAddress(), "hi".getBytes(UTF_8)));

        await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().handshakesRefused() == 1);
        assertThat(bobInbox.messages).isEmpty();
    }

    @Test
    void dialledPeerMustBeNamedByItsCertificateUnlessAddressVerificationIsOff() throws Exception {
        // A certificate that names only a DNS name: dialled at 127.0.0.1 it fails hostname verification.
        NodeCredentials elsewhere = TestPki.CA.issueNode("elsewhere", List.of("elsewhere.example"));
        Recorder inbox = new Recorder();
        QuicTransport misnamed = start(TestPki.config("elsewhere")
                .tls(TlsMaterial.of(TestPki.CA.certificate(), elsewhere)).build(), inbox);
        QuicTransport strict = start(TestPki.config("strict").build(), new Recorder());
        QuicTransport lenient = start(TestPki.config("lenient")
                .tls(TestPki.tls("lenient").withVerifyPeerAddress(false)).build(), new Recorder());

        TransportException failure = failureOf(strict.sendMessage(misnamed.localAddress(), new byte[] {1}));
        assertThat(failure.reason()).isEqualTo(Reason.HANDSHAKE_FAILED);

        lenient.sendMessage(misnamed.localAddress(), new byte[] {2}).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> inbox.messages.size() == 1);
        assertThat(inbox.messages.get(0).payload()).containsExactly(2);
    }

    @Test
    void wildcardAndIpv6BindsWorkWithTls() throws Exception {
        Recorder wildcardInbox = new Recorder();
        QuicTransport wildcard = start(TestPki.config("wildcard").bindAddress(new InetSocketAddress("0.0.0.0", 0))
                .build(), wildcardInbox);
        java.net.InetAddress ipv6Loopback = java.net.InetAddress.getByName("::1");
        QuicTransport six = start(TestPki.config("six").bindAddress(new InetSocketAddress(ipv6Loopback, 0)).build(),
                new Recorder());
        Recorder sixInbox = new Recorder();
        QuicTransport sixToo = start(TestPki.config("six-too").bindAddress(new InetSocketAddress(ipv6Loopback, 0))
                .build(), sixInbox);

        QuicTransport alice = start(TestPki.config("alice").build(), new Recorder());
        alice.sendMessage(new InetSocketAddress(TestPki.LOOPBACK, wildcard.localAddress().getPort()),
                "to the wildcard".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        six.sendMessage(sixToo.localAddress(), "over ::1".getBytes(UTF_8)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> wildcardInbox.messages.size() == 1
                && sixInbox.messages.size() == 1);
        assertThat(sixInbox.messages.get(0).from().address().getAddress()).isEqualTo(ipv6Loopback);
    }
}
