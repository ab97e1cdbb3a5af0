package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transaction_mode=IMMEDIATE: SQLite ended the transaction (RAISE(ROLLBACK)), another connection then took the write
 * lock; the failed setAutoCommit(true) cannot begin a transaction again (BEGIN IMMEDIATE is busy). The connection then
 * says what SQLite's state is, auto-commit, and the failure carries the reason; the next borrower's transaction is a
 * real one. (The refusal was swallowed, and the connection left in manual commit with no transaction: every later
 * statement committed on its own.)
 */
class FailedSwitchToAutoCommitTest {
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

    /** What the exception and its causes carry as suppressed (the driver's exception wraps sqlite-jdbc's). */
    private static java.util.List<Throwable> suppressedInChain(Throwable e) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.addAll(java.util.List.of(t.getSuppressed()));
        }
        return all;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSwitchToAutoCommitThatCannotBeginAgainLeavesAutoCommitAndSaysWhy() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("immediate.db");
        try (Connection c = DriverManager.getConnection(url + "?transaction_mode=IMMEDIATE&busy_timeout=0");
                Connection other = DriverManager.getConnection(url)) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "create trigger refuse before insert on t when new.v = 'bad'"
                    + " begin select raise(rollback, 'refused by trigger'); end");

            c.setAutoCommit(false);
            exec(c, "insert into t values (1, 'ok')");
            assertThatThrownBy(() -> exec(c, "insert into t values (2, 'bad')")).isInstanceOf(SQLException.class);

            // Another writer takes the write lock the rolled-back transaction released.
            other.setAutoCommit(false);
            exec(other, "insert into t values (10, 'other')");

            try {
                c.rollback();
            } catch (SQLException expected) {
                // no transaction is active
            }
            SQLException failed = catchThrowableOfType(SQLException.class, () -> c.setAutoCommit(true));
            assertThat((Throwable) failed)
                    .as("Spring's cleanup: the commit fails (no transaction), BEGIN IMMEDIATE is busy").isNotNull();
            assertThat(suppressedInChain(failed)).as("why the connection could not stay in manual commit")
                    .anySatisfy(t -> assertThat(t.getMessage()).containsIgnoringCase("busy"));
            other.commit();

            assertThat(c.getAutoCommit()).as("the connection says SQLite's state").isTrue();
            // The next borrower of the pooled connection switches to manual commit, as Spring does.
            c.setAutoCommit(false);
            exec(c, "insert into t values (3, 'ok')");
            c.rollback();
            assertThat(count(c, "select count(*) from t where id = 3"))
                    .as("a row inserted in manual commit and rolled back").isZero();
        }
    }

    /** Control: the same without the other writer passes (the busy BEGIN is the cause). */
    @Test
    void withoutAnotherWriterTheNextTransactionIsAtomic() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("control.db");
        try (Connection c = DriverManager.getConnection(url + "?transaction_mode=IMMEDIATE&busy_timeout=0")) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "create trigger refuse before insert on t when new.v = 'bad'"
                    + " begin select raise(rollback, 'refused by trigger'); end");
            c.setAutoCommit(false);
            exec(c, "insert into t values (1, 'ok')");
            assertThatThrownBy(() -> exec(c, "insert into t values (2, 'bad')")).isInstanceOf(SQLException.class);
            try {
                c.rollback();
            } catch (SQLException expected) {
                // no transaction is active
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException expected) {
                // no transaction is active
            }
            exec(c, "insert into t values (3, 'ok')");
            c.rollback();
            assertThat(count(c, "select count(*) from t where id = 3")).isZero();
        }
    }
}
