package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application transaction that reads, then writes, while a remote change arrives: the agent waits for it, so the
 * write does not fail with SQLITE_BUSY_SNAPSHOT (found with Hibernate's load-modify-flush on a live cluster).
 */
class TransactionGateTest {
    @TempDir
    static Path dir;

    static LoopbackCluster cluster;

    @BeforeAll
    static void start() throws SQLException {
        cluster = LoopbackCluster.start(dir, "gate", 2);
        for (int n = 0; n < 2; n++) {
            exec(n, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)");
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        cluster.close();
    }

    @AfterEach
    void defaultWait() {
        TransactionGate.applyWaitMillis = TransactionGate.APPLY_WAIT_MILLIS;
    }

    static void exec(int node, String sql) throws SQLException {
        try (Statement s = cluster.corrosion(node).createStatement()) {
            s.execute(sql);
        }
    }

    private static long received(int node) throws SQLException {
        return cluster.corrosion(node).replicationStats().orElseThrow().changesetsReceived();
    }

    @Test
    void aRemoteChangeWaitsForAnOpenTransactionThatReadsThenWrites() throws Exception {
        TransactionGate.applyWaitMillis = 60_000; // the test decides when the transaction ends, not the clock
        exec(0, "INSERT INTO item VALUES (1, 'one', 1)");
        cluster.awaitReplicatedFrom(0);
        CorrosionConnection b = cluster.corrosion(1);
        try (Connection tx = DriverManager.getConnection(cluster.url(1)); Statement s = tx.createStatement()) {
            tx.setAutoCommit(false);
            assertThat(Rows.query(tx, "SELECT qty FROM item WHERE id = 1")).containsExactly(List.of(1L));
            long before = received(1);
            exec(0, "UPDATE item SET name = 'renamed remotely' WHERE id = 1");
            String token = cluster.corrosion(0).lastCommitToken();
            await().atMost(LoopbackCluster.PATIENCE).until(() -> received(1) > before);
            assertThat(b.awaitVersion(token, Duration.ZERO)).as("applied while the transaction is open").isFalse();

            assertThat(s.executeUpdate("UPDATE item SET qty = qty + 1 WHERE id = 1")).isEqualTo(1);
            tx.commit();
            assertThat(b.awaitVersion(token, LoopbackCluster.PATIENCE)).isTrue();
        }
        cluster.awaitReplicatedFrom(1);
        for (int n = 0; n < 2; n++) {
            assertThat(Rows.query(cluster.corrosion(n), "SELECT name, qty FROM item WHERE id = 1"))
                    .containsExactly(List.of("renamed remotely", 2L));
        }
    }

    @Test
    void aTransactionLeftOpenDoesNotStopReplicationAndItsStaleWriteIsARetryableError() throws Exception {
        TransactionGate.applyWaitMillis = 200;
        exec(0, "INSERT INTO item VALUES (2, 'two', 2)");
        cluster.awaitReplicatedFrom(0);
        try (Connection tx = DriverManager.getConnection(cluster.url(1)); Statement s = tx.createStatement()) {
            tx.setAutoCommit(false);
            assertThat(Rows.query(tx, "SELECT qty FROM item WHERE id = 2")).containsExactly(List.of(2L));
            exec(0, "UPDATE item SET name = 'applied anyway' WHERE id = 2");
            cluster.awaitReplicatedFrom(0);
            assertThatThrownBy(() -> s.executeUpdate("UPDATE item SET qty = 3 WHERE id = 2"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            tx.rollback();
            assertThat(s.executeUpdate("UPDATE item SET qty = 3 WHERE id = 2")).as("the retry").isEqualTo(1);
            tx.commit();
        }
        assertThat(Rows.query(cluster.corrosion(1), "SELECT name, qty FROM item WHERE id = 2"))
                .containsExactly(List.of("applied anyway", 3L));
    }
}
