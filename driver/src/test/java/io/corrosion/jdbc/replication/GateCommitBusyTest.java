package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit refused while a statement of the transaction is still running ("SQL statements in progress", 40001) leaves
 * the transaction open, holding the write lock: it stays counted at the gate, or its next statement waits there for an
 * apply that waits for that lock (the gate's bound, 5 s).
 */
class GateCommitBusyTest {
    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
        CorrosionDriver.shutdownAll();
    }

    /** The gate of the file {@code c} is open on. */
    private static TransactionGate gateOf(Connection c) throws Exception {
        return TestAccess.transactionGate(c.unwrap(CorrosionConnection.class).databasePath().orElseThrow());
    }

    @Test
    void commitRefusedWhileAWriteIsInProgressKeepsTheTransactionCounted() throws Exception {
        try (Connection a = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?bind=127.0.0.1:0&tls.insecure=true")) {
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            }
            TransactionGate gate = gateOf(a);
            a.setAutoCommit(false);
            Statement returning = a.createStatement();
            ResultSet rs = returning.executeQuery("INSERT INTO kv VALUES (1, 'one'), (2, 'two') RETURNING k");
            assertThat(rs.next()).isTrue(); // the INSERT ... RETURNING is still in progress
            SQLException refusal = null;
            try {
                a.commit();
            } catch (SQLException e) {
                refusal = e;
            }
            assertThat((Object) refusal).as("commit while an INSERT ... RETURNING is in progress").isNotNull();
            System.out.println("commit refused: " + refusal.getSQLState() + " " + refusal.getMessage());
            // the transaction is still open and holds the write lock
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                    Statement s = plain.createStatement()) {
                assertThatThrownBy(() -> s.execute("BEGIN IMMEDIATE")).isInstanceOf(SQLException.class);
            }
            rs.close();
            returning.close();
            int counted = gate.openTransactions();
            // the agent begins an apply (it would wait for a's write lock); a's next statement, in the same transaction:
            gate.applyStarting();
            boolean stalled;
            Future<?> next = executor.submit(() -> {
                try (Statement s = a.createStatement()) {
                    s.execute("INSERT INTO kv VALUES (3, 'three')");
                }
                return null;
            });
            try {
                next.get(2, TimeUnit.SECONDS);
                stalled = false;
            } catch (TimeoutException e) {
                stalled = true;
            } finally {
                gate.applyEnded();
            }
            next.get(10, TimeUnit.SECONDS);
            a.commit();
            assertThat(counted).as("the gate's count of a transaction a refused commit (" + refusal.getSQLState()
                    + ") left open, holding the write lock").isEqualTo(1);
            assertThat(stalled).as("its next statement waited at the gate for an apply that waits for its lock").isFalse();
        }
    }

    @Test
    void autoCommitSwitchRefusedWhileAWriteIsInProgressKeepsTheTransactionCounted() throws Exception {
        try (Connection a = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?bind=127.0.0.1:0&tls.insecure=true")) {
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            }
            TransactionGate gate = gateOf(a);
            a.setAutoCommit(false);
            Statement returning = a.createStatement();
            ResultSet rs = returning.executeQuery("INSERT INTO kv VALUES (1, 'one'), (2, 'two') RETURNING k");
            assertThat(rs.next()).isTrue();
            SQLException refusal = null;
            try {
                a.setAutoCommit(true);
            } catch (SQLException e) {
                refusal = e;
            }
            assertThat((Object) refusal).as("setAutoCommit(true) while an INSERT ... RETURNING is in progress").isNotNull();
            assertThat(a.getAutoCommit()).as("auto-commit after the refused switch").isFalse();
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                    Statement s = plain.createStatement()) {
                assertThatThrownBy(() -> s.execute("BEGIN IMMEDIATE")).isInstanceOf(SQLException.class);
            }
            int counted = gate.openTransactions();
            rs.close();
            returning.close();
            a.rollback();
            assertThat(counted).as("the gate's count of a transaction a refused setAutoCommit(true) ("
                    + refusal.getSQLState() + ") left open, holding the write lock").isEqualTo(1);
        }
    }
}
