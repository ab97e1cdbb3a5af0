package io.corrosion.jdbc.replication;

import static io.corrosion.jdbc.replication.GateHarness.exec;
import static io.corrosion.jdbc.replication.GateHarness.gateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A commit refused while a statement of the transaction is still running ("SQL statements in progress", 40001) leaves
 * the transaction open, holding the write lock: it stays counted at the gate, or its next statement waits there for an
 * apply that waits for that lock (the gate's bound, 5 s).
 */
class GateCommitBusyTest {
    @RegisterExtension
    final GateHarness harness = new GateHarness();

    @Test
    void commitRefusedWhileAWriteIsInProgressKeepsTheTransactionCounted() throws Exception {
        try (Connection a = harness.node("")) {
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
            // the transaction is still open and holds the write lock
            try (Connection plain = harness.plain();
                    Statement s = plain.createStatement()) {
                assertThatThrownBy(() -> s.execute("BEGIN IMMEDIATE")).isInstanceOf(SQLException.class);
            }
            rs.close();
            returning.close();
            int counted = gate.openTransactions();
            // the agent begins an apply (it would wait for a's write lock); a's next statement, in the same transaction:
            boolean stalled = harness.waitedForAnApply(gate, Duration.ofSeconds(2), () -> {
                exec(a, "INSERT INTO kv VALUES (3, 'three')");
                return null;
            });
            a.commit();
            assertThat(counted).as("the gate's count of a transaction a refused commit (" + refusal.getSQLState()
                    + ") left open, holding the write lock").isEqualTo(1);
            assertThat(stalled).as("its next statement waited at the gate for an apply that waits for its lock").isFalse();
        }
    }

    @Test
    void autoCommitSwitchRefusedWhileAWriteIsInProgressKeepsTheTransactionCounted() throws Exception {
        try (Connection a = harness.node("")) {
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
            try (Connection plain = harness.plain();
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
