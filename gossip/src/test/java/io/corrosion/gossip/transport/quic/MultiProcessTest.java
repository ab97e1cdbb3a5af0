package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.testing.ChildJvm;
import io.corrosion.gossip.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real QUIC between real JVM processes on loopback (see {@link TransportNodeMain}). */
@ExtendWith(NettyLeakRecorder.class)
class MultiProcessTest {

    @TempDir
    Path certificates;

    private final List<ChildJvm> nodes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        nodes.forEach(node -> node.process().destroyForcibly());
    }

    private void writeCertificates(List<String> names) {
        TestCertificates.write(certificates, "multi-process test CA", names);
    }

    private ChildJvm launch(String mode, String name, int port, String peers) throws IOException {
        ChildJvm node = ChildJvm.launch(name, TransportNodeMain.class, List.of(mode, name, String.valueOf(port),
                certificates.toString(), peers), certificates.resolve(name + "-" + port + ".stderr"), Set.of());
        nodes.add(node);
        return node;
    }

    @Test
    void fiveProcessesExchangeFramesOverRealQuicAndExitCleanly() throws Exception {
        List<String> names = IntStream.range(0, 5).mapToObj(i -> "node-" + i).toList();
        List<Integer> ports = names.stream().map(name -> FreePorts.udp()).toList();
        writeCertificates(names);
        List<ChildJvm> mesh = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int self = i;
            String peers = IntStream.range(0, names.size()).filter(j -> j != self)
                    .mapToObj(j -> names.get(j) + ":" + ports.get(j)).collect(Collectors.joining(","));
            mesh.add(launch("mesh", names.get(i), ports.get(i), peers));
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> mesh.stream().allMatch(node -> node.said("DONE") || !node.process().isAlive()));
        for (ChildJvm node : mesh) {
            assertThat(node.lines()).as(node.name() + " output").contains("DONE");
            // Each node got a message from each of the four others.
            assertThat(node.lines().stream().filter(line -> line.startsWith("GOT ")).map(line -> line.substring(4))
                    .collect(Collectors.toSet())).hasSize(4).doesNotContain(node.name());
        }

        mesh.forEach(node -> node.tell("EXIT"));
        for (ChildJvm node : mesh) {
            assertThat(node.process().waitFor(30, TimeUnit.SECONDS)).as(node.name() + " exited").isTrue();
            assertThat(node.process().exitValue()).as(node.name() + " exit code").isZero();
            assertThat(node.lines()).as(node.name() + " output").contains("CLEAN");
        }
    }

    @Test
    void aPeerKilledAndRestartedOnTheSamePortIsReachedAgain() throws Exception {
        writeCertificates(List.of("alice", "bob"));
        int bobsPort = FreePorts.udp();
        InetSocketAddress bob = new InetSocketAddress(TestPki.LOOPBACK, bobsPort);
        QuicTransportConfig aliceConfig = QuicTransportConfig.builder(new InetSocketAddress(TestPki.LOOPBACK, 0))
                .nodeName("alice")
                .tls(io.corrosion.gossip.tls.TlsMaterial.fromPemFiles(certificates.resolve("ca.pem"),
                        certificates.resolve("alice.pem"), certificates.resolve("alice.key")))
                .ioThreads(1).reconnectBackoff(Duration.ofMillis(100)).unresponsiveTimeout(Duration.ofSeconds(1))
                .build();
        try (QuicTransport alice = new QuicTransport(aliceConfig)) {
            alice.start(new Recorder());
            ChildJvm first = launch("echo", "bob", bobsPort, "");
            sendUntilSaid(alice, bob, first, "before");

            first.process().destroyForcibly(); // kill -9: no CONNECTION_CLOSE reaches alice
            assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            ChildJvm second = launch("echo", "bob", bobsPort, "");
            await().atMost(Duration.ofSeconds(30)).until(() -> second.said("READY"));
            sendUntilSaid(alice, bob, second, "after");

            // Alice's old connection went silent; the watchdog closed it so the next send could redial.
            assertThat(alice.metrics().deadConnectionsClosed()).isGreaterThanOrEqualTo(1);
            assertThat(alice.metrics().connectionsOpened()).isGreaterThanOrEqualTo(2);
            second.tell("EXIT");
            assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.lines()).contains("CLEAN");
        }
    }

    private static void sendUntilSaid(QuicTransport from, InetSocketAddress to, ChildJvm node, String prefix) {
        int[] attempt = {0};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (node.said("GOT " + prefix)) {
                return true;
            }
            from.sendMessage(to, (prefix + " " + attempt[0]++).getBytes(UTF_8));
            return false;
        });
    }
}
