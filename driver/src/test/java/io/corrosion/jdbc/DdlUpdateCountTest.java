package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDL reports an update count of 0, as JDBC says, although the CRR setup writes rows of its own and SQLite's
 * {@code changes()} still counts the last INSERT/UPDATE/DELETE (found through the CLI's {@code sql} command, which
 * printed "1 row changed" for a CREATE TABLE).
 */
class DdlUpdateCountTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void ddlCountsNoRowsThroughExecuteAndExecuteUpdate() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db"));
                Statement s = c.createStatement()) {
            assertThat(s.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)")).isFalse();
            assertThat(s.getUpdateCount()).isZero();
            assertThat(s.executeUpdate("INSERT INTO a (v) VALUES ('x'), ('y')")).isEqualTo(2);
            assertThat(s.executeUpdate("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)")).isZero();
            s.execute("ALTER TABLE a ADD COLUMN w TEXT");
            assertThat(s.getUpdateCount()).isZero();
            assertThat(s.executeUpdate("CREATE INDEX a_v ON a (v)")).isZero();
            s.execute("UPDATE a SET w = 'z'");
            assertThat(s.getUpdateCount()).isEqualTo(2);
        }
    }

    /** The same through a PreparedStatement (Hibernate's schema tools and jOOQ's DDL use one). */
    @Test
    void preparedDdlCountsNoRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
            s.executeUpdate("INSERT INTO a (v) VALUES ('x'), ('y'), ('z')");
            try (PreparedStatement p = c.prepareStatement("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)")) {
                assertThat(p.executeUpdate()).as("prepared CREATE TABLE").isZero();
            }
            try (PreparedStatement p = c.prepareStatement("ALTER TABLE a ADD COLUMN w TEXT")) {
                assertThat(p.execute()).isFalse();
                assertThat(p.getUpdateCount()).as("prepared ALTER TABLE").isZero();
            }
            try (PreparedStatement p = c.prepareStatement("CREATE INDEX a_v ON a (v)")) {
                assertThat(p.executeLargeUpdate()).as("prepared CREATE INDEX").isZero();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE a SET w = ?")) {
                p.setString(1, "z");
                assertThat(p.executeUpdate()).isEqualTo(3);
            }
        }
    }

    /**
     * Views, triggers, ANALYZE, PRAGMA and transaction control change no rows either. They reported SQLite's
     * {@code changes()}, which after the CRR setup of a CREATE TABLE counts the driver's own bookkeeping rows: 1 for
     * a CREATE TRIGGER run right after one.
     */
    @Test
    void otherStatementsThatChangeNoRowsCountNone() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
            assertThat(s.execute("CREATE TRIGGER a_ins AFTER INSERT ON a BEGIN SELECT 1; END")).isFalse();
            assertThat(s.getUpdateCount()).as("CREATE TRIGGER after CREATE TABLE").isZero();
            s.executeUpdate("INSERT INTO a (v) VALUES ('x'), ('y')");
            s.execute("CREATE VIEW av AS SELECT v FROM a");
            assertThat(s.getUpdateCount()).as("CREATE VIEW").isZero();
            s.execute("ANALYZE");
            assertThat(s.getLargeUpdateCount()).as("ANALYZE").isZero();
            s.execute("PRAGMA user_version = 3");
            assertThat(s.getUpdateCount()).as("PRAGMA").isZero();
            try (PreparedStatement p = c.prepareStatement("DROP VIEW av")) {
                assertThat(p.executeUpdate()).as("prepared DROP VIEW").isZero();
            }
            s.addBatch("DROP TRIGGER a_ins");
            s.addBatch("UPDATE a SET v = 'z'");
            assertThat(s.executeBatch()).containsExactly(0, 2);
            s.execute("UPDATE a SET v = 'w'");
            assertThat(s.getUpdateCount()).isEqualTo(2);
        }
    }
}
