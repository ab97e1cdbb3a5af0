package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over QUIC: one node's application writes the same rows continuously (its own connection, each
 * update a transaction) while each node in turn runs the rebuild in one transaction. Every committed write must end on
 * both nodes, and the nodes must converge (rows and crsql_changes without db versions).
 */
class RebuildUnderLoadTest {
    static final String ROWS = "SELECT id, v, n FROM t ORDER BY id";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void rebuild(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))");
            s.executeUpdate("INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t");
            s.execute("DROP TABLE t");
            s.execute("ALTER TABLE t_new RENAME TO t");
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** Waits until the writer committed {@code n} more updates. */
    private static void awaitMoreWrites(AtomicLong writes, long n) {
        long target = writes.get() + n;
        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() >= target);
    }

    @Test
    void continuousWritesOnOneNodeWhileEachNodeRebuilds() throws Exception {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "cont", 2)) {
            CorrosionConnection n0 = cluster.corrosion(0);
            CorrosionConnection n1 = cluster.corrosion(1);
            for (CorrosionConnection c : List.of(n0, n1)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)");
                }
            }
            try (Statement s = n0.createStatement()) {
                s.executeUpdate("WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < 30)"
                        + " INSERT INTO t (id, v, n) SELECT x, 'v' || x, 0 FROM k");
            }
            cluster.awaitAllReplicated();
            AtomicBoolean stop = new AtomicBoolean();
            Map<Long, Long> last = new ConcurrentHashMap<>();
            AtomicLong failures = new AtomicLong();
            AtomicLong writes = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (Connection w = DriverManager.getConnection(cluster.url(1)); Statement s = w.createStatement()) {
                    for (long k = 1; !stop.get(); k++) {
                        long id = k % 30 + 1;
                        try {
                            s.executeUpdate("UPDATE t SET n = " + k + ", v = 'w" + k + "' WHERE id = " + id);
                            last.put(id, k);
                            writes.incrementAndGet();
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            awaitMoreWrites(writes, 100);
            rebuild(n0);
            awaitMoreWrites(writes, 100);
            rebuild(n1);
            awaitMoreWrites(writes, 100);
            stop.set(true);
            writer.join();
            cluster.awaitAllReplicated();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(Rows.query(n0, ROWS)).as("rows converge").isEqualTo(Rows.query(n1, ROWS)));
            for (List<Object> row : Rows.query(n0, ROWS)) {
                long id = ((Number) row.get(0)).longValue();
                Long k = last.get(id);
                if (k != null) {
                    assertThat(row).as("row %d holds the writer's last committed update (failures %d)", id, failures.get())
                            .isEqualTo(List.of(id, "w" + k, k));
                }
            }
            String changes = "SELECT \"table\", hex(pk), cid, val, col_version, hex(site_id), cl FROM crsql_changes"
                    + " ORDER BY \"table\", pk, cid";
            assertThat(Rows.query(n0, changes)).as("crsql_changes converge").isEqualTo(Rows.query(n1, changes));
            assertThat(failures.get()).as("the writer's failed updates").isZero();
        }
    }
}
