package io.corrosion.jdbc.apps;

import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.MemberStatus;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Nodes of one cluster in this JVM, as applications run them: one {@code jdbc:corrosion:} file each, joined over
 * real QUIC on loopback (insecure TLS), node {@code i} in key slot {@code i + 1}. Each node keeps one connection open
 * for the test to ask replication questions through; the frameworks open their own. One cluster per test class.
 */
public final class LoopbackCluster implements AutoCloseable {
    /** How long replication may take in these tests: generous for a loaded 2-core machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<String> urls = new ArrayList<>();
    private final List<Connection> held = new ArrayList<>();

    private LoopbackCluster() {}

    /** Starts {@code size} nodes with files {@code <name>-<i>.db} in {@code dir} and waits until all see each other. */
    public static LoopbackCluster start(Path dir, String name, int size) throws SQLException {
        LoopbackCluster cluster = new LoopbackCluster();
        try {
            String seeds = "";
            for (int i = 0; i < size; i++) {
                String url = "jdbc:corrosion:" + dir.resolve(name + "-" + i + ".db") + "?bind=127.0.0.1:0&seeds=" + seeds
                        + "&tls.insecure=true&sync-interval=500ms&node-slot=" + (i + 1);
                cluster.urls.add(url);
                cluster.held.add(DriverManager.getConnection(url));
                if (i == 0) {
                    seeds = cluster.corrosion(0).replicationStats().orElseThrow().address();
                }
            }
            await().atMost(PATIENCE).until(() -> cluster.allAlive(size - 1));
            return cluster;
        } catch (SQLException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private boolean allAlive(int peers) throws SQLException {
        for (int i = 0; i < held.size(); i++) {
            if (corrosion(i).members().stream().filter(m -> m.state() == MemberStatus.ALIVE).count() != peers) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return urls.size();
    }

    public String url(int node) {
        return urls.get(node);
    }

    /** The node's held connection as a {@link CorrosionConnection}. */
    public CorrosionConnection corrosion(int node) throws SQLException {
        return held.get(node).unwrap(CorrosionConnection.class);
    }

    /** Waits until every other node has applied every local commit {@code node} made so far. */
    public void awaitReplicatedFrom(int node) throws SQLException {
        String token = corrosion(node).lastCommitToken();
        for (int other = 0; other < size(); other++) {
            if (other != node && !corrosion(other).awaitVersion(token, PATIENCE)) {
                throw new AssertionError("node " + other + " did not apply " + token + " within " + PATIENCE);
            }
        }
    }

    /** Waits until every node has every local commit of every other node made so far. */
    public void awaitAllReplicated() throws SQLException {
        for (int node = 0; node < size(); node++) {
            awaitReplicatedFrom(node);
        }
    }

    /** The key slot of a generated id (ids are counter x 1024 + slot + 1). */
    public static int slotOf(long id) {
        return (int) ((id - 1) % 1024);
    }

    /** Stops every node (connections, agents). */
    @Override
    public void close() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        for (String url : urls) {
            CorrosionDriver.shutdown(url);
        }
    }
}
