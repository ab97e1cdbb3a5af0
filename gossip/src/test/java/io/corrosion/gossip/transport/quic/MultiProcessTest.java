package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.tls.ClusterCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final List<Node> nodes = new ArrayList<>();

    /** A child JVM and the protocol lines it printed. */
    private static final class Node {
        final String name;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Node(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("@@ ")) {
                            lines.add(line.substring(3));
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "reader-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        boolean said(String prefix) {
            return lines.stream().anyMatch(line -> line.startsWith(prefix));
        }

        void tell(String line) {
            try {
                Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), UTF_8);
                in.write(line + "\n");
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @AfterEach
    void killLeftovers() {
        nodes.forEach(node -> node.process.destroyForcibly());
    }

    private void writeCertificates(List<String> names) {
        ClusterCa ca = ClusterCa.create("multi-process test CA");
        ca.writePem(certificates.resolve("ca.pem"), certificates.resolve("ca.key"));
        for (String name : names) {
            ca.issueNode(name, ClusterCa.subjectAltNamesFor(name, TestPki.LOOPBACK))
                    .writePem(certificates.resolve(name + ".pem"), certificates.resolve(name + ".key"));
        }
    }

    private Node launch(String mode, String name, int port, String peers) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), TransportNodeMain.class.getName(),
                mode, name, String.valueOf(port), certificates.toString(), peers);
        Process process = new ProcessBuilder(command)
                .redirectError(certificates.resolve(name + "-" + port + ".stderr").toFile())
                .start();
        Node node = new Node(name, process);
        nodes.add(node);
        return node;
    }

    @Test
    void fiveProcessesExchangeFramesOverRealQuicAndExitCleanly() throws Exception {
        List<String> names = IntStream.range(0, 5).mapToObj(i -> "node-" + i).toList();
        List<Integer> ports = names.stream().map(name -> FreePorts.udp()).toList();
        writeCertificates(names);
        List<Node> mesh = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int self = i;
            String peers = IntStream.range(0, names.size()).filter(j -> j != self)
                    .mapToObj(j -> names.get(j) + ":" + ports.get(j)).collect(Collectors.joining(","));
            mesh.add(launch("mesh", names.get(i), ports.get(i), peers));
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> mesh.stream().allMatch(node -> node.said("DONE") || !node.process.isAlive()));
        for (Node node : mesh) {
            assertThat(node.lines).as(node.name + " output").contains("DONE");
            // Each node got a message from each of the four others.
            assertThat(node.lines.stream().filter(line -> line.startsWith("GOT ")).map(line -> line.substring(4))
                    .collect(Collectors.toSet())).hasSize(4).doesNotContain(node.name);
        }

        mesh.forEach(node -> node.tell("EXIT"));
        for (Node node : mesh) {
            assertThat(node.process.waitFor(30, TimeUnit.SECONDS)).as(node.name + " exited").isTrue();
            assertThat(node.process.exitValue()).as(node.name + " exit code").isZero();
            assertThat(node.lines).as(node.name + " output").contains("CLEAN");
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
            Node first = launch("echo", "bob", bobsPort, "");
            sendUntilSaid(alice, bob, first, "before");

            first.process.destroyForcibly(); // kill -9: no CONNECTION_CLOSE reaches alice
            assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Node second = launch("echo", "bob", bobsPort, "");
            await().atMost(Duration.ofSeconds(30)).until(() -> second.said("READY"));
            sendUntilSaid(alice, bob, second, "after");

            // Alice's old connection went silent; the watchdog closed it so the next send could redial.
            assertThat(alice.metrics().deadConnectionsClosed()).isGreaterThanOrEqualTo(1);
            assertThat(alice.metrics().connectionsOpened()).isGreaterThanOrEqualTo(2);
            second.tell("EXIT");
            assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.lines).contains("CLEAN");
        }
    }

    private static void sendUntilSaid(QuicTransport from, InetSocketAddress to, Node node, String prefix) {
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
