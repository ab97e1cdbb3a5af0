package io.corrosion.jdbc.replication;

import static io.corrosion.jdbc.replication.GateHarness.count;
import static io.corrosion.jdbc.replication.GateHarness.exec;
import static io.corrosion.jdbc.replication.GateHarness.gateOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A transaction begun by SQL ({@code BEGIN}, run as a statement) in auto-commit is an application transaction like
 * one begun by setAutoCommit(false): the gate counts it from its first statement to its end (COMMIT, ROLLBACK, or
 * SQLite's own rollback). It was not counted, and an apply could commit between its read and its write (40001).
 */
class GateSqlBeginTest {
    @RegisterExtension
    final GateHarness harness = new GateHarness();

    private Connection node() throws SQLException {
        return harness.node("");
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
            boolean waited = harness.waitedForAnApply(gateOf(a), Duration.ofSeconds(1), () -> {
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
            boolean waited = harness.waitedForAnApply(gate, Duration.ofSeconds(1), () -> count(a));
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

    /** Ended through the JDBC API (a savepoint switches sqlite-jdbc to manual commit, then commit()): not counted after. */
    @Test
    void aTransactionBegunBySqlAndEndedThroughJdbcIsNoLongerCounted() throws Exception {
        try (Connection a = node()) {
            TransactionGate gate = gateOf(a);
            exec(a, "BEGIN");
            exec(a, "INSERT INTO kv VALUES (1, 'one')");
            a.setSavepoint();
            a.commit();
            a.setAutoCommit(true);
            exec(a, "INSERT INTO kv VALUES (2, 'two')");
            assertThat(a.getAutoCommit()).isTrue();
            assertThat(count(a)).isEqualTo(2);
            assertThat(gate.openTransactions()).as("transactions counted after everything committed, in auto-commit")
                    .isZero();
        }
    }
}
