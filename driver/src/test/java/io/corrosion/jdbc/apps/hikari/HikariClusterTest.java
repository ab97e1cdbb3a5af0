package io.corrosion.jdbc.apps.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.apps.LoopbackCluster;
import io.corrosion.jdbc.replication.GateTuning;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** HikariCP 7 pools of {@code jdbc:corrosion:} connections on nodes of a running cluster. */
class HikariClusterTest {
    private static final int NODES = 3;

    @TempDir
    static Path dir;

    static LoopbackCluster cluster;
    private final ListAppender<ILoggingEvent> hikariLog = new ListAppender<>();

    @BeforeAll
    static void start() throws SQLException {
        cluster = LoopbackCluster.start(dir, "hikari", NODES);
        for (int n = 0; n < NODES; n++) {
            try (Statement s = cluster.corrosion(n).createStatement()) {
                s.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, page TEXT NOT NULL, node INTEGER)");
            }
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void listenToHikari() {
        hikariLog.start();
        ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).addAppender(hikariLog);
        ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).detachAppender(hikariLog);
    }

    private static HikariDataSource pool(int node) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.url(node));
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(2);
        config.setLeakDetectionThreshold(2_000);
        config.setPoolName("node-" + node);
        return new HikariDataSource(config);
    }

    private static void visit(HikariDataSource pool, String page, int node) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO visit (page, node) VALUES (?, ?)")) {
            ps.setString(1, page);
            ps.setInt(2, node);
            ps.executeUpdate();
        }
    }

    private static long count(int node, String pagePattern) throws SQLException {
        try (Statement s = cluster.corrosion(node).createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM visit WHERE page LIKE '" + pagePattern + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void pooledConnectionsAreValidReachTheDriverAndTheirWritesReplicate() throws Exception {
        try (HikariDataSource pool = pool(0)) {
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
                CorrosionConnection corrosion = c.unwrap(CorrosionConnection.class);
                assertThat(corrosion.members()).hasSize(NODES - 1);
                assertThat(c.isWrapperFor(CorrosionConnection.class)).isTrue();
            }
            for (int i = 0; i < 30; i++) {
                visit(pool, "pooled/" + i, 0);
            }
            cluster.awaitReplicatedFrom(0);
            for (int n = 0; n < NODES; n++) {
                assertThat(count(n, "pooled/%")).isEqualTo(30);
            }
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
    }

    @Test
    void closingAndReopeningThePoolNeitherStopsNorRestartsTheNode() throws Exception {
        CorrosionConnection held = cluster.corrosion(1);
        String address = held.replicationStats().orElseThrow().address();
        byte[] site = held.siteId();
        try (HikariDataSource pool = pool(1)) {
            visit(pool, "before/restart", 1);
            // Hikari evicts and replaces connections as it pleases: the node is not theirs
            pool.getHikariPoolMXBean().softEvictConnections();
            visit(pool, "after/evict", 1);
        }
        // no pool on node 1 now: it still receives
        try (HikariDataSource other = pool(2)) {
            visit(other, "while/closed", 2);
        }
        cluster.awaitReplicatedFrom(2);
        assertThat(count(1, "while/closed")).isEqualTo(1);
        assertThat(held.replicationStats().orElseThrow().address()).isEqualTo(address);
        try (HikariDataSource pool = pool(1)) {
            try (Connection c = pool.getConnection()) {
                CorrosionConnection again = c.unwrap(CorrosionConnection.class);
                assertThat(again.siteId()).isEqualTo(site);
                assertThat(again.replicationStats().orElseThrow().address()).isEqualTo(address);
            }
            visit(pool, "after/reopen", 1);
        }
        cluster.awaitReplicatedFrom(1);
        for (int n = 0; n < NODES; n++) {
            assertThat(count(n, "before/restart") + count(n, "after/%")).isEqualTo(3);
        }
        assertThat(hikariLog.list).noneMatch(e -> e.getFormattedMessage().contains("leak"));
    }

    @Test
    void leakDetectionReportsOnlyTheConnectionReallyHeldTooLong() throws Exception {
        try (HikariDataSource pool = pool(2)) {
            for (int i = 0; i < 20; i++) {
                visit(pool, "short/" + i, 2);
            }
            try (Connection hog = pool.getConnection()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> leakReports() == 1);
                assertThat(hog.isValid(1)).isTrue();
            }
            for (int i = 0; i < 20; i++) {
                visit(pool, "short/again/" + i, 2);
            }
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
        assertThat(leakReports()).as("only the connection held past the threshold").isEqualTo(1);
    }

    private long leakReports() {
        return new ArrayList<>(hikariLog.list).stream()
                .filter(e -> e.getFormattedMessage().startsWith("Connection leak detection triggered")).count();
    }

    /**
     * Transactions that read, then write, through the pool while another node writes the same table. (The agent's wait
     * for open transactions is raised from its 500 ms so that a stalled test machine cannot fail this.)
     */
    @Test
    void readThenWriteTransactionsThroughThePoolSurviveRemoteWrites() throws Exception {
        GateTuning.applyWait(LoopbackCluster.PATIENCE);
        try {
            readThenWriteBesideRemoteWrites();
        } finally {
            GateTuning.defaultApplyWait();
        }
    }

    private void readThenWriteBesideRemoteWrites() throws Exception {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread remote = new Thread(() -> {
            try (HikariDataSource pool = pool(1)) {
                for (int i = 0; i < 60; i++) {
                    visit(pool, "remote/" + i, 1);
                }
            } catch (SQLException e) {
                failures.add(e);
            }
        });
        remote.start();
        try (HikariDataSource pool = pool(0)) {
            for (int i = 0; i < 60; i++) {
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    long seen;
                    try (Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT count(*) FROM visit WHERE page LIKE 'remote/%'")) {
                        rs.next();
                        seen = rs.getLong(1);
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO visit (page, node) VALUES (?, 0)")) {
                        ps.setString(1, "local/" + i + "/saw " + seen);
                        ps.executeUpdate();
                    }
                    c.commit();
                }
            }
        }
        remote.join();
        assertThat(failures).isEmpty();
        cluster.awaitAllReplicated();
        for (int n = 0; n < NODES; n++) {
            assertThat(count(n, "local/%")).isEqualTo(60);
            assertThat(count(n, "remote/%")).isEqualTo(60);
        }
    }
}
