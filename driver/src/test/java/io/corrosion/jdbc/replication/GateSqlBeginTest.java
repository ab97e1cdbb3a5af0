package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction begun by SQL ({@code BEGIN}, run as a statement) in auto-commit is an application transaction like
 * one begun by setAutoCommit(false): the gate counts it from its first statement to its end (COMMIT, ROLLBACK, or
 * SQLite's own rollback). It was not counted, and an apply could commit between its read and its write (40001).
 */
class GateSqlBeginTest {
    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
        CorrosionDriver.shutdownAll();
    }

    private Connection node() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?bind=127.0.0.1:0&tls.insecure=true");
        exec(c, "CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, v TEXT)");
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The gate of the file {@code c} is open on. */
    private static TransactionGate gateOf(Connection c) throws Exception {
        return TestAccess.transactionGate(c.unwrap(CorrosionConnection.class).databasePath().orElseThrow());
    }

    /** Whether {@code firstReads} waited (more than a second) for the apply the agent has in progress. */
    private boolean waitedForAnApply(TransactionGate gate, Callable<?> firstReads) throws Exception {
        gate.applyStarting();
        Future<?> reads = executor.submit(firstReads);
        boolean waited;
        try {
            reads.get(1, TimeUnit.SECONDS);
            waited = false;
        } catch (TimeoutException e) {
            waited = true;
        } finally {
            gate.applyEnded();
        }
        reads.get(10, TimeUnit.SECONDS);
        return waited;
    }

    @Test
    void aTransactionBegunBySqlInAutoCommitIsCountedAtTheGate() throws Exception {
        try (Connection a = node()) {
            TransactionGate gate = gateOf(a);
            exec(a, "BEGIN");
            int beforeARead = gate.openTransactions();
            count(a);
            int afterARead = gate.openTransactions();
            exec(a, "INSERT INTO kv VALUES (1, 'one')");
            exec(a, "COMMIT");
            int afterCommit = gate.openTransactions();

            assertThat(new int[] {afterARead, afterCommit})
                    .as("counted at the gate after BEGIN (" + beforeARead + "), after its first read, after COMMIT")
                    .containsExactly(1, 0);
        }
    }

    @Test
    void theFirstReadOfATransactionBegunBySqlWaitsForTheApplyInProgress() throws Exception {
        try (Connection a = node()) {
            boolean waited = waitedForAnApply(gateOf(a), () -> {
                exec(a, "BEGIN");
                return count(a);
            });
            exec(a, "COMMIT");
            assertThat(waited).as("the first read after BEGIN waited for the apply in progress").isTrue();
        }
    }

    /** BEGIN IMMEDIATE took the write lock the apply waits for: its statements do not wait at the gate. */
    @Test
    void aTransactionBegunImmediateBySqlDoesNotWaitForAnApplyThatWaitsForItsLock() throws Exception {
        try (Connection a = node()) {
            TransactionGate gate = gateOf(a);
            exec(a, "BEGIN IMMEDIATE");
            boolean waited = waitedForAnApply(gate, () -> count(a));
            int counted = gate.openTransactions();
            exec(a, "ROLLBACK");
            int afterRollback = gate.openTransactions();
            assertThat(waited).as("a read of a BEGIN IMMEDIATE transaction waited at the gate").isFalse();
            assertThat(new int[] {counted, afterRollback}).as("counted at the gate in it, after ROLLBACK")
                    .containsExactly(1, 0);
        }
    }

    /** SQLite ends the transaction itself (RAISE(ROLLBACK)): the gate stops counting it. */
    @Test
    void aTransactionBegunBySqlThatSqliteRolledBackIsNoLongerCounted() throws Exception {
        try (Connection a = node()) {
            TransactionGate gate = gateOf(a);
            exec(a, "CREATE TRIGGER refuse BEFORE INSERT ON kv WHEN new.v = 'bad'"
                    + " BEGIN SELECT RAISE(ROLLBACK, 'refused by trigger'); END");
            exec(a, "BEGIN");
            exec(a, "INSERT INTO kv VALUES (1, 'one')");
            int counted = gate.openTransactions();
            try {
                exec(a, "INSERT INTO kv VALUES (2, 'bad')");
            } catch (SQLException expected) {
                // refused by trigger: SQLite rolled the transaction back
            }
            int afterRollback = gate.openTransactions();
            assertThat(new int[] {counted, afterRollback}).as("counted at the gate in it, after SQLite rolled it back")
                    .containsExactly(1, 0);
            assertThat(count(a)).isZero();
        }
    }
}
