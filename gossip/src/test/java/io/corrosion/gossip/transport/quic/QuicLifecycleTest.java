package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(NettyLeakRecorder.class)
class QuicLifecycleTest {

    @RegisterExtension
    final TestTransports transports = new TestTransports();

    private QuicTransport start(QuicTransportConfig config, Recorder recorder) {
        return transports.start(config, recorder);
    }

    /** Threads netty or this transport could have started: event loops, netty's global helpers, quiche. */
    static Set<String> transportThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(QuicTransport.THREAD_NAME_PREFIX)
                        || name.toLowerCase(java.util.Locale.ROOT).contains("quic")
                        || name.toLowerCase(java.util.Locale.ROOT).contains("netty")
                        || name.startsWith("globalEventExecutor") || name.startsWith("nioEventLoop")
                        || name.startsWith("multiThreadIoEventLoopGroup"))
                .collect(Collectors.toSet());
    }

    private static void sendUntilDelivered(QuicTransport from, InetSocketAddress to, Recorder inbox, String text) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (inbox.messages.stream().anyMatch(m -> m.text().equals(text))) {
                return true;
            }
            from.sendMessage(to, text.getBytes(UTF_8));
            return false;
        });
    }

    /**
     * Our event loops end inside close(). Netty notifies event-loop termination listeners on its shared
     * GlobalEventExecutor thread, which then stops by itself after a one-second quiet period: await that one.
     */
    private static void awaitNoTransportThreads() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(transportThreads()).isEmpty());
    }

    @Test
    void closeReleasesEveryThreadAndConnection() throws Exception {
        awaitNoTransportThreads();
        Recorder bobInbox = new Recorder();
        QuicTransport alice = new QuicTransport(TestPki.config("alice").ioThreads(2).build());
        QuicTransport bob = new QuicTransport(TestPki.config("bob").ioThreads(2).build());
        alice.start(new Recorder());
        bob.start(bobInbox);
        alice.sendMessage(bob.localAddress(), "hi".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        alice.sendDatagram(bob.localAddress(), "hi".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 1);
        assertThat(transportThreads()).hasSize(4);

        alice.close();
        bob.close();

        // close() returns once its event loops ended.
        assertThat(transportThreads()).noneMatch(name -> name.startsWith(QuicTransport.THREAD_NAME_PREFIX));
        awaitNoTransportThreads();
        assertThat(alice.metrics().connectionsActive()).isZero();
        assertThat(bob.metrics().connectionsActive()).isZero();
    }

    @Test
    void aClosedTransportRefusesWorkAndCannotRestart() {
        QuicTransport alice = start(TestPki.config("alice").build(), new Recorder());
        InetSocketAddress self = alice.localAddress();
        alice.close();
        alice.close(); // idempotent

        Throwable refused = catchThrowable(() -> alice.sendMessage(self, new byte[1]).toCompletableFuture().join());
        assertThat(((TransportException) refused.getCause()).reason()).isEqualTo(Reason.NOT_RUNNING);
        assertThatThrownBy(() -> alice.start(new Recorder())).isInstanceOf(TransportException.class)
                .hasMessageContaining("starts once");
        QuicTransport neverStarted = new QuicTransport(TestPki.config("idle").build());
        neverStarted.close();
        assertThatThrownBy(neverStarted::localAddress).isInstanceOf(TransportException.class);
    }

    @Test
    void bindingAPortInUseFailsClearly() {
        QuicTransport alice = start(TestPki.config("alice").build(), new Recorder());
        QuicTransport squatter = new QuicTransport(TestPki.config("squatter").bindAddress(alice.localAddress()).build());
        assertThatThrownBy(() -> squatter.start(new Recorder())).isInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e).reason()).isEqualTo(Reason.BIND_FAILED))
                .hasMessageContaining(String.valueOf(alice.localAddress().getPort()))
                .hasMessageEndingWith(": Address already in use").hasMessageNotContaining("netty");
        assertThat(transportThreads()).filteredOn(name -> name.startsWith(QuicTransport.THREAD_NAME_PREFIX))
                .as("only alice's event loop; the failed start stopped its own").hasSize(1);
    }

    @Test
    void reconnectsAfterThePeerRestartsOnTheSamePort() {
        Recorder firstInbox = new Recorder();
        QuicTransport alice = start(TestPki.config("alice").build(), new Recorder());
        QuicTransport bob = start(TestPki.config("bob").build(), firstInbox);
        InetSocketAddress bobsAddress = bob.localAddress();
        sendUntilDelivered(alice, bobsAddress, firstInbox, "before restart");

        bob.close();
        Recorder secondInbox = new Recorder();
        QuicTransport bobAgain = start(TestPki.config("bob").bindAddress(bobsAddress).build(), secondInbox);
        sendUntilDelivered(alice, bobsAddress, secondInbox, "after restart");

        assertThat(alice.metrics().connectionsOpened()).isEqualTo(2);
        assertThat(bobAgain.metrics().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void idleConnectionsCloseAndTheNextSendRedials() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start(TestPki.config("alice").connectionIdleTimeout(Duration.ofMillis(400)).build(),
                new Recorder());
        QuicTransport bob = start(TestPki.config("bob").connectionIdleTimeout(Duration.ofMillis(400)).build(),
                bobInbox);
        alice.sendMessage(bob.localAddress(), "one".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> alice.metrics().connectionsActive() == 0
                && bob.metrics().connectionsActive() == 0);
        alice.sendMessage(bob.localAddress(), "two".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 2);
        assertThat(alice.metrics().connectionsOpened()).isEqualTo(2);
    }

    @Test
    void disconnectDropsTheCachedConnection() throws Exception {
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start(TestPki.config("alice").build(), new Recorder());
        QuicTransport bob = start(TestPki.config("bob").build(), bobInbox);
        alice.sendMessage(bob.localAddress(), "one".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        alice.disconnect(bob.localAddress());
        await().atMost(Duration.ofSeconds(5)).until(() -> bob.metrics().connectionsActive() == 0);
        alice.sendMessage(bob.localAddress(), "two".getBytes(UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> bobInbox.messages.size() == 2);
        assertThat(alice.metrics().connectionsOpened()).isEqualTo(2);
        // The second handshake (a TLS session may be resumed) still yields Alice's certificate.
        assertThat(bobInbox.messages).extracting(m -> m.from().identity().subject())
                .containsOnly("CN=alice,O=corrosion");
    }

    @Test
    void aPeerThatIsDownFailsFastDuringTheBackoff() {
        QuicTransport alice = start(TestPki.config("alice").connectTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofSeconds(30)).build(), new Recorder());
        InetSocketAddress nobody = new InetSocketAddress(TestPki.LOOPBACK, FreePorts.udp());

        TransportException first = (TransportException) catchThrowable(
                () -> alice.sendDatagram(nobody, new byte[1]).toCompletableFuture().join()).getCause();
        long started = System.nanoTime();
        TransportException second = (TransportException) catchThrowable(
                () -> alice.sendDatagram(nobody, new byte[1]).toCompletableFuture().join()).getCause();

        assertThat(first.reason()).isEqualTo(Reason.CONNECT_FAILED);
        assertThat(second).isSameAs(first);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(400));
        assertThat(alice.metrics().connectFailures()).isEqualTo(1);
    }
}
