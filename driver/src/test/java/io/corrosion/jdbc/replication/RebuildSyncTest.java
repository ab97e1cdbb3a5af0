package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that joins after another node rebuilt t, or syncs after it, gets t's rows from it over QUIC. */
class RebuildSyncTest {
    static final String V1 = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)";
    static final String V2 = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))";
    static final String COPY = "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t";
    static final String ROWS = "SELECT id, v, n FROM t ORDER BY id";

    @TempDir
    Path dir;

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        }
    }

    private static void rebuild(Connection c) throws SQLException {
        c.setAutoCommit(false);
        exec(c, V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        c.commit();
        c.setAutoCommit(true);
    }

    private static List<List<Object>> rows(Connection c) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ROWS)) {
            while (rs.next()) {
                out.add(List.of(rs.getLong(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    /**
     * Node 0 writes, rebuilds t (unchanged copy, so its rebuild version carries nothing), then a new node joins and
     * migrates its empty t the same way. Sync serves node 0's versions with changes(site, from, to), from the journal
     * while it holds them. the new node gets every row.
     */
    @Test
    void nodeJoiningAfterRebuildGetsEveryRow() throws Exception {
        joinAfter(true);
    }

    /**
     * Two running nodes; node 0 writes a burst of single-row transactions and rebuilds right after (an application that
     * migrates at startup after writing, or a test suite). node 1 ends with every row.
     */
    @Test
    void writesJustBeforeRebuildReachRunningPeer() throws Exception {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "burst", 2)) {
            CorrosionConnection n0 = cluster.corrosion(0);
            CorrosionConnection n1 = cluster.corrosion(1);
            exec(n0, V1);
            exec(n1, V1);
            for (int i = 1; i <= 200; i++) {
                exec(n0, "INSERT INTO t VALUES (" + i + ", 'v" + i + "', " + i + ")");
            }
            rebuild(n0);
            rebuild(n1);
            List<List<Object>> expected = rows(n0);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> rows(n1).equals(expected));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported below
            }
            assertThat(rows(n1).size()).as("rows on node 1").isEqualTo(expected.size());
        }
    }

    /** Control: the same without any rebuild. */
    @Test
    void controlNodeJoiningWithoutRebuildGetsEveryRow() throws Exception {
        joinAfter(false);
    }

    private void joinAfter(boolean withRebuild) throws Exception {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "solo", 1)) {
            CorrosionConnection n0 = cluster.corrosion(0);
            exec(n0, V1);
            exec(n0, "INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");
            exec(n0, "UPDATE t SET v = 'uno' WHERE id = 1");
            exec(n0, "DELETE FROM t WHERE id = 3");
            if (withRebuild) {
                rebuild(n0);
            }
            List<List<Object>> expected = rows(n0);
            String seeds = n0.replicationStats().orElseThrow().address();
            String url = "jdbc:corrosion:" + dir.resolve("late.db") + "?bind=127.0.0.1:0&seeds=" + seeds
                    + "&tls.insecure=true&sync-interval=500ms&node-slot=7";
            try (Connection late = DriverManager.getConnection(url)) {
                exec(late, V1);
                if (withRebuild) {
                    rebuild(late);
                }
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> rows(late).equals(expected));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // reported below
                }
                assertThat(rows(late)).as("late node after sync").isEqualTo(expected);
            } finally {
                CorrosionDriver.shutdown(url);
            }
        }
    }
}
