package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;

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
 * setAutoCommit(false) whose BEGIN IMMEDIATE is refused (another writer holds the lock) leaves the connection in
 * auto-commit: sqlite-jdbc switched its flag first and left it in manual commit with no transaction, every statement
 * committing on its own, and a pool handed it out so.
 */
class FailedSwitchToManualCommitTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void refusedSwitchToManualCommitLeavesTheConnectionInAutoCommit() throws Exception {
        try (Connection a = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?transaction_mode=IMMEDIATE&busy_timeout=100")) {
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            }
            SQLException refusal = null;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                    Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // another writer holds the lock
                try {
                    a.setAutoCommit(false);
                } catch (SQLException e) {
                    refusal = e;
                }
                s.execute("ROLLBACK");
            }
            assertThat((Object) refusal).as("setAutoCommit(false) while another writer holds the lock").isNotNull();
            boolean autoCommitAfter = a.getAutoCommit();
            // what an application that went on (a pool hands the connection to the next user) sees:
            try (Statement s = a.createStatement()) {
                s.execute("INSERT INTO kv VALUES (1, 'one')");
            }
            SQLException rollbackFailure = null;
            try {
                a.rollback();
            } catch (SQLException e) {
                rollbackFailure = e;
            }
            int rows;
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
                rs.next();
                rows = rs.getInt(1);
            }
            assertThat(autoCommitAfter)
                    .as("auto-commit after a refused setAutoCommit(false) (" + refusal.getSQLState() + " "
                            + refusal.getMessage() + "); then an INSERT and rollback() ("
                            + (rollbackFailure == null ? "no error" : rollbackFailure.getSQLState() + " "
                                    + rollbackFailure.getMessage())
                            + ") left " + rows + " row(s)")
                    .isTrue();
        }
    }

    /** The same through HikariCP: the pool takes the connection back as it is and hands it to the next borrower. */
    @Test
    void aPooledConnectionWhoseSwitchWasRefusedIsHandedOutInAutoCommit() throws Exception {
        com.zaxxer.hikari.HikariConfig hc = new com.zaxxer.hikari.HikariConfig();
        hc.setJdbcUrl("jdbc:corrosion:" + dir.resolve("p.db") + "?transaction_mode=IMMEDIATE&busy_timeout=100");
        hc.setMaximumPoolSize(1);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(hc)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            }
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("p.db"));
                    Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false); // refused: busy
                } catch (SQLException expected) {
                    // the application gives the connection back, as Spring's doBegin does
                }
                s.execute("ROLLBACK");
            }
            boolean autoCommitOfNextBorrower;
            try (Connection c = pool.getConnection()) {
                autoCommitOfNextBorrower = c.getAutoCommit();
            }
            assertThat(autoCommitOfNextBorrower).as("auto-commit of the next borrower of the pooled connection")
                    .isTrue();
        }
    }
}
