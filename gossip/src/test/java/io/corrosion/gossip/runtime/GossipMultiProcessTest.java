package io.corrosion.gossip.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.tls.ClusterCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gossip nodes in separate JVMs over real QUIC on loopback (see {@link GossipNodeMain}). */
class GossipMultiProcessTest {

    @TempDir
    Path dir;

    /** {@code -Dgossip.test.echo=true} echoes the children's output, for debugging. */
    private static final boolean ECHO = Boolean.getBoolean("gossip.test.echo");

    private final List<Node> launched = new ArrayList<>();

    /** A child JVM, the protocol lines it printed, and its latest status. */
    private static final class Node {
        final String name;
        final String site;
        final int port;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        volatile String status = "";

        Node(String name, int port, Process process) {
            this.name = name;
            this.site = GossipNodeMain.siteOf(name).toString();
            this.port = port;
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("@@ STATUS ")) {
                            status = line.substring(10);
                        } else if (line.startsWith("@@ ")) {
                            lines.add(line.substring(3));
                        } else if (line.contains(" ERROR ")) {
                            errors.add(line);
                        }
                        if (ECHO) {
                            System.err.println(name + " | " + line);
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

        String firstLine(String prefix) {
            return lines.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow();
        }

        /** The highest version this node acknowledged writing. */
        long acknowledged() {
            return lines.stream().filter(line -> line.startsWith("WROTE ")).mapToLong(line ->
                    Long.parseLong(line.substring(6))).max().orElse(0);
        }

        String field(String key) {
            for (String part : status.split(" ")) {
                if (part.startsWith(key + "=")) {
                    return part.substring(key.length() + 1);
                }
            }
            return "";
        }

        int alive() {
            String alive = field("alive");
            return alive.isEmpty() ? -1 : Integer.parseInt(alive);
        }

        long head() {
            String head = field("head");
            return head.isEmpty() ? -1 : Long.parseLong(head);
        }

        /** site -> "head:complete", from the latest status. */
        Map<String, String> have() {
            Map<String, String> have = new HashMap<>();
            for (String entry : field("have").split(",")) {
                int colon = entry.indexOf(':');
                if (colon > 0) {
                    have.put(entry.substring(0, colon), entry.substring(colon + 1));
                }
            }
            return have;
        }

        void tell(String line) {
            try {
                Writer in = new OutputStreamWriter(process.getOutputStream(), UTF_8);
                in.write(line + "\n");
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @AfterEach
    void killLeftovers() {
        launched.forEach(node -> node.process.destroyForcibly());
    }

    private static int freePort() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Pki.LOOPBACK, 0))) {
            return socket.getLocalPort();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeCertificates(List<String> names) {
        ClusterCa ca = ClusterCa.create("multi-process gossip CA");
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        for (String name : names) {
            ca.issueNode(name, ClusterCa.subjectAltNamesFor(name, Pki.LOOPBACK))
                    .writePem(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        }
    }

    private Node launch(String name, int port, List<Integer> seeds) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), GossipNodeMain.class.getName(),
                name, String.valueOf(port), dir.toString(), dir.resolve(name + ".store").toString(),
                seeds.stream().map(String::valueOf).collect(Collectors.joining(",")));
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(dir.resolve(name + "-" + launched.size() + ".stderr").toFile())
                .start();
        Node node = new Node(name, port, process);
        launched.add(node);
        return node;
    }

    /** Every node has every writer's versions up to the head the writer itself reports. */
    private static boolean converged(List<Node> nodes) {
        for (Node writer : nodes) {
            long head = writer.head();
            if (head < 0) {
                return false;
            }
            for (Node node : nodes) {
                String have = node.have().get(writer.site);
                if (head > 0 && !(head + ":true").equals(have)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void awaitMesh(List<Node> nodes, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream().allMatch(node -> node.alive() == nodes.size() - 1));
    }

    private static void exitCleanly(List<Node> nodes) throws InterruptedException {
        nodes.forEach(node -> node.tell("EXIT"));
        for (Node node : nodes) {
            assertThat(node.process.waitFor(30, TimeUnit.SECONDS)).as(node.name + " exited").isTrue();
            assertThat(node.process.exitValue()).as(node.name + " exit code").isZero();
            assertThat(node.lines).as(node.name + " output").contains("CLEAN");
        }
        for (Node node : nodes) {
            assertThat(node.errors).as(node.name + " logged errors").isEmpty();
        }
    }

    @Test
    void fiveProcessesBroadcastTheirOwnChangesetsConvergeAndExitCleanly() throws Exception {
        List<String> names = IntStream.range(0, 5).mapToObj(i -> "node-" + i).toList();
        List<Integer> ports = names.stream().map(name -> freePort()).toList();
        writeCertificates(names);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            // Everyone joins through the first two; they find each other through the rest.
            nodes.add(launch(names.get(i), ports.get(i), i < 2 ? List.of(ports.get(1 - i)) : ports.subList(0, 2)));
        }
        awaitMesh(nodes, Duration.ofSeconds(60));

        nodes.forEach(node -> node.tell("WRITE 200 300 2"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream().allMatch(node -> node.acknowledged() == 200) && converged(nodes));
        assertThat(nodes).allSatisfy(node -> assertThat(node.head()).isEqualTo(200));
        exitCleanly(nodes);
    }

    @Test
    void aProcessKilledWithKillMinus9AndRestartedCatchesUpAndKeepsWhatItAcknowledged() throws Exception {
        List<String> names = List.of("alice", "bob", "carol");
        List<Integer> ports = names.stream().map(name -> freePort()).toList();
        writeCertificates(names);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            nodes.add(launch(names.get(i), ports.get(i), i == 0 ? List.of(ports.get(1)) : List.of(ports.get(0))));
        }
        awaitMesh(nodes, Duration.ofSeconds(60));
        Node alice = nodes.get(0);
        Node carol = nodes.get(2);
        alice.tell("WRITE 100000 100 5");
        carol.tell("WRITE 100000 100 5");
        await().atMost(Duration.ofSeconds(30)).until(() -> carol.acknowledged() >= 100);

        carol.process.destroyForcibly(); // kill -9, in the middle of writing
        assertThat(carol.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long acknowledged = carol.acknowledged();
        // The others notice, and go on writing.
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.alive() == 1 && nodes.get(1).alive() == 1);
        nodes.get(1).tell("WRITE 100 100 0");

        Node carolAgain = launch("carol", carol.port, List.of(ports.get(0)));
        nodes.set(2, carolAgain);
        await().atMost(Duration.ofSeconds(30)).until(() -> carolAgain.said("READY"));
        long recovered = Long.parseLong(carolAgain.firstLine("READY").split("head=")[1]);
        assertThat(recovered).as("versions carol acknowledged before the kill").isGreaterThanOrEqualTo(acknowledged);
        awaitMesh(nodes, Duration.ofSeconds(30));
        carolAgain.tell("WRITE 50 100 0");
        alice.tell("STOP");
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.said("STOPPED"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> carolAgain.acknowledged() == recovered + 50 && nodes.get(1).acknowledged() == 100
                        && converged(nodes));
        exitCleanly(nodes);
    }
}
