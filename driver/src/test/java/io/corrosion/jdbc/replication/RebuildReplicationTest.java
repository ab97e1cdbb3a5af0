package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite table rebuild migration (CREATE TABLE t_new; INSERT INTO t_new SELECT ...; DROP TABLE t; ALTER
 * TABLE t_new RENAME TO t) run by every node of a real cluster (QUIC on loopback, one agent per file), to see what
 * the agent does with it: changes kept for a missing schema, convergence, cost.
 */
class RebuildReplicationTest {
    static final String V1 = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)";
    static final String V2 = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))";
    static final String COPY = "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t";
    static final String ROWS = "SELECT id, v, n FROM t ORDER BY id";
    static final Duration STUCK = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of("io.corrosion");

    /** The WARN and ERROR lines, but the test setup's (no TLS) and the disk's (a WAL flush of a second or more). */
    private List<String> warnings() {
        return logs.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).filter(m -> !m.contains("INSECURE mode"))
                .filter(m -> !(m.startsWith("WARN Flushing ") && m.contains(" ms: local commits waited"))).toList();
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        }
    }

    private static void rebuildInOneTransaction(Connection c, String create, String copy) throws SQLException {
        c.setAutoCommit(false);
        exec(c, create, copy, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        c.commit();
        c.setAutoCommit(true);
    }

    private static long stat(CorrosionConnection c, ToLongFunction<ReplicationStats> f) throws SQLException {
        return f.applyAsLong(c.replicationStats().orElseThrow());
    }

    /** Changes the node keeps for a missing schema, once they are gone or after {@link #STUCK}. */
    private static long keptAfterWaiting(CorrosionConnection c) throws SQLException {
        try {
            await().atMost(STUCK).until(() -> stat(c, ReplicationStats::pendingChanges) == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below
        }
        return stat(c, ReplicationStats::pendingChanges);
    }

    private static void fill(LoopbackCluster cluster, int rows) throws SQLException {
        for (int i = 0; i < cluster.size(); i++) {
            exec(cluster.corrosion(i), V1);
        }
        Connection c0 = cluster.corrosion(0);
        c0.setAutoCommit(false);
        exec(c0, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " + rows + ")"
                + " INSERT INTO t (id, v, n) SELECT i, 'row ' || i, i FROM s");
        c0.commit();
        c0.setAutoCommit(true);
        cluster.awaitAllReplicated();
    }

    /**
     * Node 0 rebuilds statement by statement (auto-commit); its agent publishes the copy into t_new before the rename
     * (as it does within milliseconds). Node 1 has no t_new: it keeps those changes. Node 1 then runs the same
     * migration in one transaction (as Flyway does): t_new never exists there outside that transaction, so the kept
     * changes never merge. Expected: nothing stays kept once every node migrated.
     */
    @Test
    void autoCommitRebuildLeavesNoChangesWaitingForTheTemporaryTable() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "tmp", 2)) {
            fill(cluster, 200);
            CorrosionConnection n0 = cluster.corrosion(0);
            CorrosionConnection n1 = cluster.corrosion(1);
            exec(n0, V2, COPY);
            await().atMost(LoopbackCluster.PATIENCE).until(() -> stat(n1, ReplicationStats::pendingChanges) > 0);
            exec(n0, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
            rebuildInOneTransaction(n1, V2, COPY);
            exec(n0, "UPDATE t SET v = 'after' WHERE id = 1");
            cluster.awaitAllReplicated();
            assertThat(Rows.query(n1, ROWS)).isEqualTo(Rows.query(n0, ROWS)).hasSize(200);
            assertThat(keptAfterWaiting(n1)).as("changes node 1 still keeps for t_new after every node migrated")
                    .isZero();
        }
    }

    /**
     * The rebuild drops column n. Node 1, not migrated yet, writes n; node 0 keeps that change for a column it will
     * never have again. After node 1 migrated too, nothing should stay kept (nor count against the bound of kept
     * changes).
     */
    @Test
    void rebuildDroppingAColumnLeavesNoChangesWaiting() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "dropcol", 2)) {
            fill(cluster, 50);
            CorrosionConnection n0 = cluster.corrosion(0);
            CorrosionConnection n1 = cluster.corrosion(1);
            String create = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT)";
            String copy = "INSERT INTO t_new (id, v) SELECT id, v FROM t";
            rebuildInOneTransaction(n0, create, copy);
            exec(n1, "UPDATE t SET v = 'v by 1', n = 1000 WHERE id = 1");
            cluster.awaitReplicatedFrom(1);
            assertThat(Rows.query(n0, "SELECT v FROM t WHERE id = 1")).containsExactly(List.of("v by 1"));
            rebuildInOneTransaction(n1, create, copy);
            cluster.awaitAllReplicated();
            assertThat(Rows.query(n1, "SELECT * FROM t ORDER BY id"))
                    .isEqualTo(Rows.query(n0, "SELECT * FROM t ORDER BY id"));
            assertThat(keptAfterWaiting(n0)).as("changes node 0 keeps for the dropped column n").isZero();
        }
    }

    /**
     * Rolling upgrade of three nodes over QUIC, with the application writing on every node throughout. Rows were
     * written a few times before (col_version 3). Each write must end on every node.
     */
    @Test
    void rollingRebuildWithWritesKeepsEveryWrite() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "rolling", 3)) {
            fill(cluster, 20);
            for (int i = 1; i <= 2; i++) {
                exec(cluster.corrosion(i), "UPDATE t SET v = v || '+', n = n + 100");
                cluster.awaitReplicatedFrom(i);
            }
            CorrosionConnection n0 = cluster.corrosion(0);
            CorrosionConnection n1 = cluster.corrosion(1);
            CorrosionConnection n2 = cluster.corrosion(2);
            rebuildInOneTransaction(n0, V2, COPY);
            exec(n0, "UPDATE t SET v = 'A: 0 after its migration' WHERE id = 1");
            exec(n1, "UPDATE t SET v = 'B: 1 before its migration' WHERE id = 2");
            exec(n2, "DELETE FROM t WHERE id = 3");
            cluster.awaitAllReplicated();
            rebuildInOneTransaction(n1, V2, COPY);
            exec(n1, "UPDATE t SET v = 'C: 1 after its migration' WHERE id = 4");
            exec(n0, "DELETE FROM t WHERE id = 5");
            cluster.awaitAllReplicated();
            rebuildInOneTransaction(n2, V2, COPY);
            exec(n2, "UPDATE t SET v = 'D: 2 after its migration' WHERE id = 6");
            cluster.awaitAllReplicated();
            List<String> expected = List.of("A: 0 after its migration", "B: 1 before its migration",
                    "C: 1 after its migration", "D: 2 after its migration");
            for (int i = 0; i < 3; i++) {
                CorrosionConnection c = cluster.corrosion(i);
                await().atMost(STUCK).untilAsserted(() -> {
                    assertThat(Rows.query(c, "SELECT v FROM t WHERE v LIKE '_: %' ORDER BY v"))
                            .as("the application's writes on node %d", c == n0 ? 0 : c == n1 ? 1 : 2)
                            .containsExactlyElementsOf(expected.stream().map(v -> List.<Object>of(v)).toList());
                    assertThat(Rows.query(c, "SELECT id FROM t WHERE id IN (3, 5)")).as("deleted rows").isEmpty();
                });
            }
            assertThat(Rows.query(n1, ROWS)).isEqualTo(Rows.query(n0, ROWS));
            assertThat(Rows.query(n2, ROWS)).isEqualTo(Rows.query(n0, ROWS));
        }
    }

    /**
     * A rebuild of a 20,000-row table on a quiet 3-node cluster, each node migrating in turn in one transaction: the
     * copy changed nothing, so no node sends a change for it (it sent 40,000 before the clocks were carried, and every
     * peer merged them). Rows converge, nothing is kept, no WARN or ERROR.
     */
    @Test
    void rebuildOfALargeTableOnEveryNodeSendsNothing() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "cost", 3)) {
            fill(cluster, 20_000);
            String changes = "SELECT count(*), max(db_version) FROM crsql_changes";
            for (int i = 0; i < 3; i++) {
                CorrosionConnection c = cluster.corrosion(i);
                List<List<Object>> before = Rows.query(c, changes);
                long version = c.dbVersion();
                rebuildInOneTransaction(c, V2, COPY);
                cluster.awaitReplicatedFrom(i);
                assertThat(Rows.query(c, changes)).as("node %d's changes after its rebuild", i).isEqualTo(before);
                assertThat(c.dbVersion()).as("node %d's db version", i).isGreaterThan(version);
            }
            for (int j = 1; j < 3; j++) {
                assertThat(Rows.query(cluster.corrosion(j), ROWS)).isEqualTo(Rows.query(cluster.corrosion(0), ROWS));
                assertThat(Rows.query(cluster.corrosion(j), "SELECT count(*) FROM crsql_changes"))
                        .isEqualTo(Rows.query(cluster.corrosion(0), "SELECT count(*) FROM crsql_changes"));
                assertThat(stat(cluster.corrosion(j), ReplicationStats::pendingChanges)).isZero();
            }
            assertThat(warnings()).isEmpty();
        }
    }
}
