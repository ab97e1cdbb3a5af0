package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.HostPort;
import io.corrosion.jdbc.crr.CrrEngine;
import io.corrosion.jdbc.crr.CrrSession;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Replication agents of files in one JVM, over real QUIC on loopback, written through the CRR engine directly. */
class AgentClusterTest {
    private static final String PERSON = "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT, age INTEGER)";

    @TempDir
    Path dir;

    private final Partition partition = new Partition();
    private final List<Node> nodes = new ArrayList<>();

    private final class Node {
        final String name;
        final SQLiteConnection conn;
        final CrrSession crr;
        final ReplicationAgent agent;
        final ChangeFeed feed;

        Node(String name, List<Node> seeds) throws SQLException {
            this.name = name;
            Path file = dir.resolve(name + ".db");
            conn = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + file);
            exec("PRAGMA journal_mode=WAL");
            exec("PRAGMA busy_timeout=5000");
            crr = CrrEngine.attach(conn);
            exec(PERSON);
            crr.asCrr("person");
            List<HostPort> seedAddresses = seeds.stream().map(n -> new HostPort("127.0.0.1", n.port())).toList();
            CorrosionConfig.NodeSettings settings = new CorrosionConfig.NodeSettings(
                    Optional.of(new HostPort("127.0.0.1", 0)), seedAddresses, Optional.empty(), Optional.empty(),
                    Optional.empty(), true, false, Set.of(), Duration.ofMillis(500), 8, Optional.empty(), Set.of());
            AgentCounters counters = new AgentCounters();
            feed = new ChangeFeed(name, counters);
            agent = ReplicationAgent.start(name, () -> StoreNode.open(file),
                    site -> AgentSettings.gossipConfig(settings, site, name, g -> g.probeInterval(Duration.ofMillis(300))
                            .probeTimeout(Duration.ofMillis(150)).gossipInterval(Duration.ofMillis(100)),
                            partition.decorator()),
                    feed, counters);
        }

        int port() {
            return agent.node().address().port();
        }

        void exec(String sql) throws SQLException {
            try (Statement s = conn.createStatement()) {
                s.execute(sql);
            }
        }

        /** A local write, as the driver's commit hand-off will report it. */
        void write(String sql) throws SQLException {
            exec(sql);
            agent.localCommitted(crr.dbVersion());
        }

        List<List<Object>> persons() throws SQLException {
            return query("SELECT id, name, age FROM person ORDER BY id");
        }

        List<List<Object>> changes() throws SQLException {
            return query("SELECT \"table\", hex(pk), cid, val, col_version, db_version, hex(site_id), cl, seq"
                    + " FROM crsql_changes ORDER BY \"table\", pk, cid");
        }

        List<List<Object>> query(String sql) throws SQLException {
            List<List<Object>> rows = new ArrayList<>();
            try (Statement s = conn.createStatement(); var rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }

        void close() throws SQLException {
            agent.close();
            feed.close();
            crr.close();
            conn.close();
        }
    }

    private Node node(String name, Node... seeds) throws SQLException {
        Node n = new Node(name, List.of(seeds));
        nodes.add(n);
        return n;
    }

    @AfterEach
    void stop() throws SQLException {
        for (Node n : nodes) {
            n.close();
        }
    }

    private void awaitConverged(List<Node> group) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Node first = group.get(0);
            for (Node n : group.subList(1, group.size())) {
                assertThat(n.persons()).as(n.name + " vs " + first.name).isEqualTo(first.persons());
                assertThat(n.changes()).as(n.name + " changes vs " + first.name).isEqualTo(first.changes());
            }
        });
    }

    @Test
    void concurrentWritesConflictsDeletesAndReinsertsConverge() throws Exception {
        Node a = node("a");
        Node b = node("b", a);
        Node c = node("c", a);
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.agent.members().size() == 2));

        a.write("INSERT INTO person VALUES (1, 'one', 1)");
        a.write("INSERT INTO person VALUES (2, 'two', 2)");
        a.write("INSERT INTO person VALUES (3, 'three', 3)");
        awaitConverged(nodes);

        List<Thread> writers = new ArrayList<>();
        for (Node n : nodes) {
            int base = n == a ? 100 : n == b ? 200 : 300;
            writers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        n.write("INSERT INTO person VALUES (" + (base + i) + ", '" + n.name + i + "', " + i + ")");
                    }
                    n.write("UPDATE person SET name = 'by " + n.name + "' WHERE id = 1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread t : writers) {
            t.join();
        }
        b.write("DELETE FROM person WHERE id = 2");
        c.write("UPDATE person SET age = 99 WHERE id = 2");
        a.write("DELETE FROM person WHERE id = 3");
        a.write("INSERT INTO person VALUES (3, 'three again', 33)");

        awaitConverged(nodes);
        assertThat(a.persons()).hasSize(3 + 90 - 1 + (a.query("SELECT 1 FROM person WHERE id = 2").isEmpty() ? 0 : 1));
        assertThat(a.query("SELECT name FROM person WHERE id = 3")).containsExactly(List.of("three again"));
    }

    @Test
    void aPartitionHeals() throws Exception {
        Node a = node("a");
        Node b = node("b", a);
        Node c = node("c", a);
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.agent.members().size() == 2));

        partition.cut(Set.of(a.port()), Set.of(b.port(), c.port()));
        a.write("INSERT INTO person VALUES (1, 'written on the island', 1)");
        b.write("INSERT INTO person VALUES (2, 'written on the mainland', 2)");
        await().atMost(Duration.ofSeconds(20)).until(() -> c.persons().size() == 1);
        assertThat(c.persons()).containsExactly(List.of(2, "written on the mainland", 2));
        assertThat(a.persons()).containsExactly(List.of(1, "written on the island", 1));

        partition.heal();
        awaitConverged(nodes);
        assertThat(a.persons()).hasSize(2);
    }

    @Test
    void aNewNodeCatchesUp() throws Exception {
        Node a = node("a");
        Node b = node("b", a);
        for (int i = 0; i < 200; i++) {
            (i % 2 == 0 ? a : b).write("INSERT INTO person VALUES (" + i + ", 'p" + i + "', " + i + ")");
        }
        a.write("UPDATE person SET age = age + 1000 WHERE id < 50");
        awaitConverged(nodes);
        Node late = node("late", b);
        awaitConverged(nodes);
        assertThat(late.persons()).hasSize(200);
    }
}
