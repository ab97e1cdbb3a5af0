package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in three JVMs over QUIC on loopback ({@link ClusterNodeMain}); one is killed with SIGKILL in the middle
 * of a write load and restarted on its file: every write any node acknowledged ends up on every node, and the
 * files end identical (tables and crsql_changes).
 */
class KillAndRestartTest {
    @TempDir
    Path dir;

    private final List<ChildJvm> launched = new ArrayList<>();

    /**
     * One node. Each has its own {@code slot} ({@code node-slot}): nodes that claim theirs by a hash of their site ids
     * pick one slot 1 run in 1024 (per pair), and settling that writes claims again, which the final comparison of
     * crsql_changes (claims included) would see only if they had all arrived: the wait before it watches the rows.
     */
    private record Node(String name, Path file, int port, long base, int slot) {
    }

    private ChildJvm launch(Node node, String seeds) throws IOException {
        ChildJvm jvm = ChildJvm.launch(node.name(), ClusterNodeMain.class,
                List.of(node.file().toString(), Integer.toString(node.port()), seeds, Long.toString(node.base()),
                        Integer.toString(node.slot())),
                dir.resolve(node.name() + "-" + launched.size() + ".log"), Set.of("STATUS"));
        launched.add(jvm);
        await().atMost(Duration.ofSeconds(30)).until(() -> jvm.said("READY") || !jvm.process().isAlive());
        assertThat(jvm.said("READY")).as(node.name() + " started").isTrue();
        return jvm;
    }

    @AfterEach
    void killLeftovers() {
        launched.forEach(jvm -> jvm.process().destroyForcibly());
    }

    private static Set<Long> acked(ChildJvm jvm) {
        Set<Long> ids = new HashSet<>();
        for (String line : jvm.lines()) {
            if (line.startsWith("ACK ")) {
                ids.add(Long.parseLong(line.substring(4)));
            }
        }
        return ids;
    }

    private static String status(ChildJvm jvm, String key) {
        for (String part : jvm.latest("STATUS").split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return "";
    }

    @Test
    void aNodeKilledMidLoadAndRestartedLosesNoAcknowledgedWrite() throws Exception {
        Node a = new Node("a", dir.resolve("a.db"), freePort(), 1_000_000, 1);
        Node b = new Node("b", dir.resolve("b.db"), freePort(), 2_000_000, 2);
        Node c = new Node("c", dir.resolve("c.db"), freePort(), 3_000_000, 3);
        String seedA = "127.0.0.1:" + a.port();
        ChildJvm ja = launch(a, "-");
        ChildJvm jb = launch(b, seedA);
        ChildJvm jc = launch(c, seedA);
        List<ChildJvm> all = List.of(ja, jb, jc);
        await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(j -> status(j, "alive").equals("2")));

        all.forEach(j -> j.tell("LOAD 300 5"));
        await().atMost(Duration.ofSeconds(60)).until(() -> acked(jb).size() >= 100);
        jb.process().destroyForcibly();
        assertThat(jb.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        Set<Long> ackedBeforeKill = acked(jb);

        ChildJvm jb2 = launch(new Node("b", b.file(), b.port(), 2_500_000, b.slot()), seedA);
        jb2.tell("LOAD 100 5");
        List<ChildJvm> live = List.of(ja, jb2, jc);
        await().atMost(Duration.ofSeconds(90)).until(() -> ja.said("LOADED") && jc.said("LOADED") && jb2.said("LOADED"));
        Set<Long> everyAck = new HashSet<>(ackedBeforeKill);
        live.forEach(j -> everyAck.addAll(acked(j)));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String digest = status(ja, "digest");
            return live.stream().allMatch(j -> status(j, "digest").equals(digest)
                    && Long.parseLong(status(j, "rows").isEmpty() ? "0" : status(j, "rows")) >= everyAck.size());
        });
        live.forEach(j -> j.tell("EXIT"));
        for (ChildJvm j : live) {
            assertThat(j.process().waitFor(60, TimeUnit.SECONDS)).as(j.name() + " exited").isTrue(); // handover: up to 20 s
            assertThat(j.said("CLEAN")).isTrue();
        }

        List<List<List<Object>>> tables = new ArrayList<>();
        List<List<List<Object>>> changes = new ArrayList<>();
        for (Node n : List.of(a, b, c)) {
            // with its slot: opened without it, a node would write its claim again (as no longer configured)
            try (Connection conn = DriverManager.getConnection("jdbc:corrosion:" + n.file() + "?node-slot="
                    + n.slot())) {
                List<List<Object>> rows = Rows.query(conn, "SELECT id, origin, n, val FROM item ORDER BY id");
                Set<Long> ids = new HashSet<>();
                rows.forEach(r -> ids.add(((Number) r.get(0)).longValue()));
                assertThat(ids).as(n.name() + " has every acknowledged write").containsAll(everyAck);
                tables.add(rows);
                changes.add(Rows.changes(conn));
            } finally {
                io.corrosion.jdbc.CorrosionDriver.shutdown(n.file().toString());
            }
        }
        assertThat(tables.get(1)).isEqualTo(tables.get(0));
        assertThat(tables.get(2)).isEqualTo(tables.get(0));
        assertThat(changes.get(1)).isEqualTo(changes.get(0));
        assertThat(changes.get(2)).isEqualTo(changes.get(0));
        assertThat(ackedBeforeKill).isNotEmpty();
    }

    static int freePort() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
