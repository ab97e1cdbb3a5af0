package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.testing.ChildJvm;
import io.corrosion.gossip.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private final List<Node> launched = new ArrayList<>();

    /** A child JVM running {@link GossipNodeMain}, and what its latest status says. */
    private record Node(ChildJvm jvm, String site, int port) {

        /** The highest version this node acknowledged writing. */
        long acknowledged() {
            return jvm.lines().stream().filter(line -> line.startsWith("WROTE ")).mapToLong(line ->
                    Long.parseLong(line.substring(6))).max().orElse(0);
        }

        String field(String key) {
            for (String part : jvm.latest("STATUS").split(" ")) {
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
    }

    @AfterEach
    void killLeftovers() {
        launched.forEach(node -> node.jvm().process().destroyForcibly());
    }

    private static int freePort() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Pki.LOOPBACK, 0))) {
            return socket.getLocalPort();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Node launch(String name, int port, List<Integer> seeds) throws IOException {
        ChildJvm jvm = ChildJvm.launch(name, GossipNodeMain.class, List.of(name, String.valueOf(port),
                dir.toString(), dir.resolve(name + ".store").toString(),
                seeds.stream().map(String::valueOf).collect(Collectors.joining(","))),
                dir.resolve(name + "-" + launched.size() + ".stderr"), Set.of("STATUS"));
        Node node = new Node(jvm, GossipNodeMain.siteOf(name).toString(), port);
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
                String have = node.have().get(writer.site());
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
        nodes.forEach(node -> node.jvm().tell("EXIT"));
        for (Node node : nodes) {
            ChildJvm jvm = node.jvm();
            assertThat(jvm.process().waitFor(30, TimeUnit.SECONDS)).as(jvm.name() + " exited").isTrue();
            assertThat(jvm.process().exitValue()).as(jvm.name() + " exit code").isZero();
            assertThat(jvm.lines()).as(jvm.name() + " output").contains("CLEAN");
            assertThat(jvm.errors()).as(jvm.name() + " logged errors").isEmpty();
        }
    }

    @Test
    void fiveProcessesBroadcastTheirOwnChangesetsConvergeAndExitCleanly() throws Exception {
        List<String> names = IntStream.range(0, 5).mapToObj(i -> "node-" + i).toList();
        List<Integer> ports = names.stream().map(name -> freePort()).toList();
        TestCertificates.write(dir, "multi-process gossip CA", names);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            // Everyone joins through the first two; they find each other through the rest.
            nodes.add(launch(names.get(i), ports.get(i), i < 2 ? List.of(ports.get(1 - i)) : ports.subList(0, 2)));
        }
        awaitMesh(nodes, Duration.ofSeconds(60));

        nodes.forEach(node -> node.jvm().tell("WRITE 200 300 2"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream().allMatch(node -> node.acknowledged() == 200) && converged(nodes));
        assertThat(nodes).allSatisfy(node -> assertThat(node.head()).isEqualTo(200));
        exitCleanly(nodes);
    }

    @Test
    void aProcessKilledWithKillMinus9AndRestartedCatchesUpAndKeepsWhatItAcknowledged() throws Exception {
        List<String> names = List.of("alice", "bob", "carol");
        List<Integer> ports = names.stream().map(name -> freePort()).toList();
        TestCertificates.write(dir, "multi-process gossip CA", names);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            nodes.add(launch(names.get(i), ports.get(i), i == 0 ? List.of(ports.get(1)) : List.of(ports.get(0))));
        }
        awaitMesh(nodes, Duration.ofSeconds(60));
        Node alice = nodes.get(0);
        Node carol = nodes.get(2);
        alice.jvm().tell("WRITE 100000 100 5");
        carol.jvm().tell("WRITE 100000 100 5");
        await().atMost(Duration.ofSeconds(30)).until(() -> carol.acknowledged() >= 100);

        carol.jvm().process().destroyForcibly(); // kill -9, in the middle of writing
        assertThat(carol.jvm().process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        long acknowledged = carol.acknowledged();
        // The others notice, and go on writing.
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.alive() == 1 && nodes.get(1).alive() == 1);
        nodes.get(1).jvm().tell("WRITE 100 100 0");

        Node carolAgain = launch("carol", carol.port(), List.of(ports.get(0)));
        nodes.set(2, carolAgain);
        await().atMost(Duration.ofSeconds(30)).until(() -> carolAgain.jvm().said("READY"));
        long recovered = Long.parseLong(carolAgain.jvm().lines().stream().filter(line -> line.startsWith("READY"))
                .findFirst().orElseThrow().split("head=")[1]);
        assertThat(recovered).as("versions carol acknowledged before the kill").isGreaterThanOrEqualTo(acknowledged);
        awaitMesh(nodes, Duration.ofSeconds(30));
        carolAgain.jvm().tell("WRITE 50 100 0");
        alice.jvm().tell("STOP");
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.jvm().said("STOPPED"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> carolAgain.acknowledged() == recovered + 50 && nodes.get(1).acknowledged() == 100
                        && converged(nodes));
        exitCleanly(nodes);
    }
}
