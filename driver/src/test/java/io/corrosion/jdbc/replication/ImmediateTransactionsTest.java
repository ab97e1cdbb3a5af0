package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transaction_mode=IMMEDIATE}: sqlite-jdbc takes the write lock at BEGIN, which it runs at once after each
 * commit. Such a transaction waited at the transaction gate, at its first statement, for an apply that was itself
 * waiting for that lock, until the gate gave up (5 s): a replicating node's manual-commit transactions took seconds
 * each while a peer wrote.
 */
class ImmediateTransactionsTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection node(String name, String seeds, String extra) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db")
                + "?bind=127.0.0.1:0&seeds=" + seeds + "&tls.insecure=true&sync-interval=500ms" + extra);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, v TEXT)");
        }
        return c;
    }

    @Test
    void manualCommitTransactionsInImmediateModeDoNotWaitForAnApplyThatWaitsForThem() throws Exception {
        try (Connection a = node("a", "", "&transaction_mode=IMMEDIATE");
                Connection b = node("b", address(a), "")) {
            CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
            CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> ca.members().size() == 1 && cb.members().size() == 1);
            a.setAutoCommit(false);
            long worst = 0;
            for (int i = 0; i < 20; i++) {
                b.createStatement().execute("INSERT INTO kv VALUES (" + (1000 + i) + ", 'b')");
                long t0 = System.nanoTime();
                a.createStatement().execute("INSERT INTO kv VALUES (" + i + ", 'a')");
                a.commit();
                worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
            }
            a.setAutoCommit(true);
            assertThat(ca.awaitVersion(cb.lastCommitToken(), Duration.ofSeconds(30))).isTrue();
            assertThat(worst).as("the slowest of 20 transactions, in ms, while the peer wrote")
                    .isLessThan(TransactionGate.START_WAIT_MILLIS / 2);
        }
    }

    private static String address(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
    }
}
