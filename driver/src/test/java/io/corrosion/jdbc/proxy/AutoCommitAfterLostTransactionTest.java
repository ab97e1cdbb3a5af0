package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * SQLite itself can end a transaction (RAISE(ROLLBACK) in a trigger, INSERT OR ROLLBACK, a COMMIT run as SQL,
 * SQLITE_FULL/IOERR). Then sqlite-jdbc's rollback() and setAutoCommit(true) both fail ("no transaction is active").
 * The connection stays usable: the next transaction is a real one, and a pool's next borrower gets one too. (A first
 * fix for a commit refused by a deferred foreign key put the connection back in manual commit without a transaction:
 * every later statement committed on its own.)
 */
class AutoCommitAfterLostTransactionTest {
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

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aConnectionWhoseTransactionSqliteRolledBackIsUsableAgainAfterSetAutoCommitTrue() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("lost.db"))) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "create trigger refuse before insert on t when new.v = 'bad'"
                    + " begin select raise(rollback, 'refused by trigger'); end");

            // A service method: its second insert is refused, SQLite rolls the whole transaction back.
            c.setAutoCommit(false);
            exec(c, "insert into t values (1, 'ok')");
            assertThatThrownBy(() -> exec(c, "insert into t values (2, 'bad')")).isInstanceOf(SQLException.class);
            // What Spring/Hikari do next: roll back (refused: no transaction), put auto-commit back.
            try {
                c.rollback();
            } catch (SQLException expected) {
                // "cannot rollback - no transaction is active"
            }
            SQLException reset = null;
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                reset = e;
            }
            try {
                c.setAutoCommit(true); // a pool's reset, or the application trying again
            } catch (SQLException again) {
                throw new AssertionError("setAutoCommit(true) fails for good after a lost transaction (first: "
                        + (reset == null ? "none" : reset.getMessage()) + "; again: " + again.getMessage()
                        + "): the connection is in manual commit with no SQLite transaction open", again);
            }

            // The next transaction on this (pooled) connection must be atomic.
            c.setAutoCommit(false);
            exec(c, "insert into t values (3, 'ok')");
            try {
                c.rollback();
            } catch (SQLException e) {
                throw new AssertionError("rollback of the next transaction failed: " + e.getMessage(), e);
            }
            assertThat(count(c, "select count(*) from t where id = 3"))
                    .as("a row inserted in manual commit and rolled back was committed").isZero();
        }
    }

    /** The same connection without the assertion on getAutoCommit: the user-visible outcome alone. */
    @Test
    void theNextTransactionAfterALostOneIsAtomic() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("lost2.db"))) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "create trigger refuse before insert on t when new.v = 'bad'"
                    + " begin select raise(rollback, 'refused by trigger'); end");
            c.setAutoCommit(false);
            exec(c, "insert into t values (1, 'ok')");
            assertThatThrownBy(() -> exec(c, "insert into t values (2, 'bad')")).isInstanceOf(SQLException.class);
            try {
                c.rollback();
            } catch (SQLException expected) {
                // no transaction
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException expected) {
                // no transaction to commit
            }
            c.setAutoCommit(false);
            exec(c, "insert into t values (3, 'ok')");
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // reported by the other test
            }
            assertThat(count(c, "select count(*) from t where id = 3"))
                    .as("a row inserted in manual commit and rolled back was committed").isZero();
        }
    }

    /**
     * The plainest way to end sqlite-jdbc's transaction under it: the application runs COMMIT as SQL in manual commit
     * (sqlite-jdbc begins no new one), then switches auto-commit back on. That throws ("no transaction is active") with
     * either version of the proxy, but used to leave the connection in auto-commit; now it stays in manual commit with
     * no transaction, and the next "transaction" is not one.
     */
    @Test
    void afterACommitStatementSwitchingAutoCommitOnLeavesAUsableConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("commit-sql.db"))) {
            exec(c, "create table t (id integer primary key, v text)");
            c.setAutoCommit(false);
            exec(c, "insert into t values (1, 'ok')");
            exec(c, "COMMIT");
            try {
                c.setAutoCommit(true);
            } catch (SQLException expected) {
                // "cannot commit - no transaction is active"
            }
            c.setAutoCommit(false);
            exec(c, "insert into t values (3, 'ok')");
            try {
                c.rollback();
            } catch (SQLException e) {
                throw new AssertionError("rollback of the next transaction failed: " + e.getMessage(), e);
            }
            assertThat(count(c, "select count(*) from t where id = 3"))
                    .as("a row inserted in manual commit and rolled back was committed").isZero();
        }
    }

    /**
     * What Spring's DataSourceTransactionManager does with a HikariCP pool when SQLite rolled the transaction back
     * (roll back, put auto-commit back, release), then the next borrower of the one pooled connection runs a
     * transaction and rolls it back. The pool used to get the connection back in auto-commit; now the next borrower's
     * transaction commits statement by statement.
     */
    @Test
    void theNextBorrowerOfAPooledConnectionGetsARealTransaction() throws SQLException {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl("jdbc:corrosion:" + dir.resolve("pool.db"));
        config.setMaximumPoolSize(1);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
            try (Connection c = pool.getConnection()) {
                exec(c, "create table t (id integer primary key, v text)");
                exec(c, "create trigger refuse before insert on t when new.v = 'bad'"
                        + " begin select raise(rollback, 'refused by trigger'); end");
            }
            Connection first = pool.getConnection();
            first.setAutoCommit(false); // Spring's doBegin
            exec(first, "insert into t values (1, 'ok')");
            assertThatThrownBy(() -> exec(first, "insert into t values (2, 'bad')")).isInstanceOf(SQLException.class);
            try {
                first.rollback(); // Spring's doRollback
            } catch (SQLException expected) {
                // no transaction
            }
            try {
                first.setAutoCommit(true); // Spring's doCleanupAfterCompletion (logs at debug)
            } catch (SQLException expected) {
                // no transaction
            }
            try {
                first.close(); // back to the pool
            } catch (SQLException expected) {
                // Hikari's own rollback of a dirty connection
            }

            try (Connection next = pool.getConnection()) {
                if (next.getAutoCommit()) { // Spring's doBegin
                    next.setAutoCommit(false);
                }
                exec(next, "insert into t values (3, 'ok')");
                try {
                    next.rollback();
                } catch (SQLException e) {
                    throw new AssertionError("the next borrower's rollback failed: " + e.getMessage(), e);
                }
                assertThat(count(next, "select count(*) from t where id = 3"))
                        .as("the next borrower's rolled-back insert was committed").isZero();
            }
        }
    }
}
