package io.corrosion.jdbc.replication;

import static io.corrosion.jdbc.replication.GateHarness.count;
import static io.corrosion.jdbc.replication.GateHarness.gateOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * A savepoint set in auto-commit (sqlite-jdbc allows it) begins a DEFERRED transaction whatever transaction_mode says:
 * its first read waits at the gate for an apply in progress, as any transaction that takes no write lock at BEGIN
 * (with transaction_mode=IMMEDIATE it skipped the wait, and a later write could get 40001).
 */
class GateSavepointTest {
    @RegisterExtension
    final GateHarness harness = new GateHarness();

    private Connection node(String extra) throws SQLException {
        return harness.node(extra);
    }

    /** A fresh transaction_mode=IMMEDIATE connection: SAVEPOINT begins a DEFERRED transaction, but sqlite-jdbc says IMMEDIATE. */
    @Test
    void savepointTransactionOfAFreshImmediateModeConnectionWaitsForTheApplyInProgress() throws Exception {
        try (Connection a = node("&transaction_mode=IMMEDIATE")) {
            TransactionGate gate = gateOf(a);
            assertThat(a.unwrap(SQLiteConnection.class).getCurrentTransactionMode())
                    .as("sqlite-jdbc's current transaction mode in auto-commit, never set by a BEGIN")
                    .isEqualTo(SQLiteConfig.TransactionMode.IMMEDIATE);
            // the agent begins an apply while no application transaction is open
            boolean waited = harness.waitedForAnApply(gate, Duration.ofSeconds(1), () -> {
                a.setSavepoint(); // SAVEPOINT outside a transaction = BEGIN DEFERRED
                return count(a);
            });
            // the transaction holds no write lock: another connection can take it
            try (Connection plain = harness.plain();
                    Statement s = plain.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("ROLLBACK");
            }
            assertThat(waited)
                    .as("the first read of a DEFERRED (SAVEPOINT) transaction waited for the apply in progress;"
                            + " started mid-apply it reads a snapshot the apply makes stale and its write gets 40001")
                    .isTrue();
        }
    }

    /** Control: the same in the default (DEFERRED) mode waits, as it should. */
    @Test
    void savepointTransactionOfADeferredModeConnectionWaitsForTheApplyInProgress() throws Exception {
        try (Connection a = node("")) {
            TransactionGate gate = gateOf(a);
            boolean waited = harness.waitedForAnApply(gate, Duration.ofSeconds(1), () -> {
                a.setSavepoint();
                return count(a);
            });
            assertThat(waited).isTrue();
        }
    }

    /**
     * Releasing the outermost savepoint of a transaction a savepoint began in auto-commit commits it (SQLite): the gate
     * stops counting it. It counted it on until the connection committed, rolled back or closed, and every apply of the
     * agent waited the gate's bound (500 ms) meanwhile.
     */
    @Test
    void releasingASavepointSetInAutoCommitEndsTheTransactionAtTheGate() throws Exception {
        try (Connection a = node("")) {
            TransactionGate gate = gateOf(a);
            Savepoint sp = a.setSavepoint();
            try (Statement s = a.createStatement()) {
                s.execute("INSERT INTO kv VALUES (1, 'one')");
            }
            int inTransaction = gate.openTransactions();
            a.releaseSavepoint(sp);
            int afterRelease = gate.openTransactions();
            try (Statement s = a.createStatement()) {
                s.execute("INSERT INTO kv VALUES (2, 'two')");
            }
            int afterNextStatement = gate.openTransactions();
            int rowsSeenByOther;
            try (Connection plain = harness.plain();
                    Statement s = plain.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
                rs.next();
                rowsSeenByOther = rs.getInt(1);
            }

            assertThat(inTransaction).as("counted at the gate in the savepoint's transaction").isEqualTo(1);
            assertThat(new int[] {afterRelease, afterNextStatement})
                    .as("counted at the gate after the release committed, and after the next statement")
                    .containsExactly(0, 0);
            assertThat(a.getAutoCommit()).as("auto-commit after the release committed, as SQLite is").isTrue();
            assertThat(rowsSeenByOther).as("rows committed, as another connection sees them").isEqualTo(2);
        }
    }

    /**
     * transaction_mode=IMMEDIATE: after a savepoint transaction begun in auto-commit is committed, the next
     * transaction begins IMMEDIATE before its first statement and holds the write lock: it does not wait at the gate.
     */
    @Test
    void theTransactionAfterCommittingASavepointTransactionInImmediateModeDoesNotWaitAtTheGate() throws Exception {
        try (Connection a = node("&transaction_mode=IMMEDIATE")) {
            TransactionGate gate = gateOf(a);
            a.setSavepoint();
            count(a);
            a.commit();
            boolean waited = harness.waitedForAnApply(gate, Duration.ofSeconds(1), () -> {
                try (Statement s = a.createStatement()) {
                    return s.executeUpdate("INSERT INTO kv VALUES (1, 'one')");
                }
            });
            a.commit();
            assertThat(waited).as("the first statement of a transaction that holds the write lock since its BEGIN")
                    .isFalse();
            assertThat(count(a)).isEqualTo(1);
        }
    }
}
