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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;

/**
 * {@code transaction_mode=IMMEDIATE}: sqlite-jdbc's commit() runs COMMIT and at once {@code BEGIN IMMEDIATE}. Another
 * writer that took the lock between the two made commit() fail with 40001 although the transaction was committed, and
 * an application that retries on 40001 ran it twice.
 */
class ImmediateModeCommitTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Makes {@code other} take the write lock at the first moment {@code a} lets go of it: SQLite calls a's progress
     * handler at the end of each of its statements, the COMMIT's included, after the COMMIT released the lock.
     */
    private static AtomicBoolean takeTheLockWhenReleased(Connection a, Statement other) throws SQLException {
        AtomicBoolean taken = new AtomicBoolean();
        ProgressHandler.setHandler(a.unwrap(SQLiteConnection.class), 1, new ProgressHandler() {
            @Override
            protected int progress() {
                if (!taken.get()) {
                    try {
                        other.execute("BEGIN IMMEDIATE");
                        taken.set(true);
                    } catch (SQLException busy) {
                        // a still holds the lock
                    }
                }
                return 0;
            }
        });
        return taken;
    }

    @FunctionalInterface
    private interface Ending {
        void run() throws SQLException;
    }

    /**
     * In a transaction of {@code a} that inserted row 1, runs {@code end} (its commit or rollback) while {@code other}
     * takes the write lock the moment a lets go of it; returns what {@code end} threw, or null.
     */
    private static SQLException endWhileAnotherTakesTheLock(Connection a, Statement other, Ending end)
            throws SQLException {
        other.getConnection().unwrap(SQLiteConnection.class).setBusyTimeout(0);
        exec(a, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
        a.setAutoCommit(false);
        exec(a, "INSERT INTO kv VALUES (1, 'one')");
        AtomicBoolean taken = takeTheLockWhenReleased(a, other);
        SQLException failure = null;
        try {
            end.run();
        } catch (SQLException e) {
            failure = e;
        } finally {
            ProgressHandler.clearHandler(a.unwrap(SQLiteConnection.class));
        }
        assertThat(taken).as("the other writer took the lock as a's transaction ended").isTrue();
        return failure;
    }

    private Connection immediateMode() throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?transaction_mode=IMMEDIATE&busy_timeout=100");
    }

    private Connection plain() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
    }

    @Test
    void aCommitIsNotReportedFailedWhenAnotherWriterTakesTheLockBeforeTheNextTransaction() throws Exception {
        try (Connection a = immediateMode(); Connection other = plain(); Statement otherStatement = other.createStatement()) {
            SQLException failure = endWhileAnotherTakesTheLock(a, otherStatement, a::commit);
            long committedSeenByOther = count(other);
            otherStatement.execute("ROLLBACK");

            // the connection goes on in manual commit: its next statements run in one transaction
            boolean autoCommitAfter = a.getAutoCommit();
            exec(a, "INSERT INTO kv VALUES (2, 'two')");
            SQLException rollbackFailure = null;
            try {
                a.rollback();
            } catch (SQLException e) {
                rollbackFailure = e;
            }
            long rowsAfterRollback = count(a);

            assertThat(committedSeenByOther).as("the committed row, as another connection sees it").isEqualTo(1);
            assertThat((Object) failure).as("commit() of a transaction that was committed ("
                    + (failure == null ? "" : failure.getSQLState() + " " + failure.getMessage()) + ")").isNull();
            assertThat(autoCommitAfter).as("auto-commit after commit()").isFalse();
            assertThat(rowsAfterRollback).as("rows after the next transaction rolled back ("
                    + (rollbackFailure == null ? "" : rollbackFailure.getMessage()) + ")").isEqualTo(1);
        }
    }

    @Test
    void aRollbackIsNotReportedFailedWhenAnotherWriterTakesTheLockBeforeTheNextTransaction() throws Exception {
        try (Connection a = immediateMode(); Connection other = plain(); Statement otherStatement = other.createStatement()) {
            SQLException failure = endWhileAnotherTakesTheLock(a, otherStatement, a::rollback);
            otherStatement.execute("ROLLBACK");

            exec(a, "INSERT INTO kv VALUES (2, 'two')");
            SQLException secondRollbackFailure = null;
            try {
                a.rollback();
            } catch (SQLException e) {
                secondRollbackFailure = e;
            }
            long rows = count(a);

            assertThat((Object) failure).as("rollback() that rolled back ("
                    + (failure == null ? "" : failure.getSQLState() + " " + failure.getMessage()) + ")").isNull();
            assertThat(rows).as("rows after both transactions rolled back ("
                    + (secondRollbackFailure == null ? "" : secondRollbackFailure.getMessage()) + ")").isZero();
        }
    }

    /** Begun before its first statement, the next transaction is counted at the gate from there, as before. */
    @Test
    void theTransactionAfterACommitIsCountedAtTheGateFromItsFirstStatement() throws Exception {
        try (Connection a = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?bind=127.0.0.1:0&tls.insecure=true&transaction_mode=IMMEDIATE")) {
            exec(a, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            TransactionGate gate = TestAccess.transactionGate(
                    a.unwrap(CorrosionConnection.class).databasePath().orElseThrow());
            a.setAutoCommit(false);
            exec(a, "INSERT INTO kv VALUES (1, 'one')");
            int inFirst = gate.openTransactions();
            a.commit();
            int afterCommit = gate.openTransactions();
            exec(a, "INSERT INTO kv VALUES (2, 'two')");
            int inSecond = gate.openTransactions();
            a.rollback();
            int afterRollback = gate.openTransactions();
            a.commit(); // nothing ran since the rollback: nothing to commit
            exec(a, "INSERT INTO kv VALUES (3, 'three')");
            int inThird = gate.openTransactions();
            a.setAutoCommit(true);
            int afterSwitch = gate.openTransactions();

            assertThat(new int[] {inFirst, afterCommit, inSecond, afterRollback, inThird, afterSwitch})
                    .as("open transactions counted at the gate: in the first transaction, after its commit, in the"
                            + " second, after its rollback, in the third, after switching auto-commit on")
                    .containsExactly(1, 0, 1, 0, 1, 0);
            assertThat(count(a)).as("rows committed: the first and the third").isEqualTo(2);
        }
    }
}
