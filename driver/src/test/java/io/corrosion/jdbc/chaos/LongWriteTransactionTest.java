package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents over real QUIC on loopback. The application on one holds a write transaction open while the other's
 * changes arrive: the agent waits for the lock without deadlocking anyone, reads go on, the received changes queue
 * within their bound, and once the application commits both sides have everything.
 */
class LongWriteTransactionTest {
    private static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY NOT NULL, name TEXT, qty INTEGER)";

    @TempDir
    Path dir;

    private final List<Path> files = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    private Connection open(String name, String seeds) throws SQLException {
        Path file = dir.resolve(name + ".db");
        files.add(file);
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + file + "?bind=127.0.0.1:0&seeds=" + seeds
                + "&tls.insecure=true&sync-interval=500ms");
        connections.add(c);
        return c;
    }

    private static ReplicationStats stats(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class).replicationStats().orElseThrow();
    }

    private static long count(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM item " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @AfterEach
    void shutdown() throws SQLException {
        for (Connection c : connections) {
            c.close();
        }
        for (Path f : files) {
            CorrosionDriver.shutdown(f.toString());
        }
    }

    @Test
    void changesArrivingWhileTheApplicationHoldsTheWriteLockWaitThenApply() throws Exception {
        Connection a = open("a", "");
        Connection b = open("b", stats(a).address());
        for (Connection c : List.of(a, b)) {
            try (Statement s = c.createStatement()) {
                s.execute(ITEM);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> stats(a).membersAlive() == 1 && stats(b).membersAlive() == 1);

        Connection held = open("b", stats(a).address());
        held.setAutoCommit(false);
        try (Statement s = held.createStatement()) {
            s.executeUpdate("INSERT INTO item VALUES (100000, 'written while holding the lock', 0)");
        }
        long retriesBefore = stats(b).busyRetries();
        try (Statement s = a.createStatement()) {
            for (int i = 1; i <= 300; i++) {
                s.executeUpdate("INSERT INTO item VALUES (" + i + ", 'from a', " + i + ")");
            }
        }
        // The agent of b is waiting for the application's lock (not failing, not deadlocked) ...
        await().atMost(Duration.ofSeconds(20)).until(() -> stats(b).busyRetries() > retriesBefore);
        // ... while b's readers go on (WAL), and what arrives waits in a bounded queue.
        assertThat(count(b, "WHERE id <= 300")).isLessThan(300);
        ReplicationStats waiting = stats(b);
        assertThat(waiting.applyQueue()).isLessThanOrEqualTo(100_000);
        held.commit();

        await().atMost(Duration.ofSeconds(40)).until(() -> count(b, "WHERE id <= 300") == 300
                && count(a, "WHERE id = 100000") == 1);
        assertThat(stats(b).changesetsRejected()).isZero();
    }
}
