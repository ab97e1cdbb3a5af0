package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update count of a string of several statements is the sum of SQLite's {@code changes()} of its INSERT, UPDATE
 * and DELETE statements: the rows the application's statements changed, not those that triggers or the driver's
 * bookkeeping wrote (sqlite-jdbc counts how much {@code total_changes()} grew: 4 for two single-row INSERTs into a
 * replicated table).
 */
class MultiStatementUpdateCountTest {
    @TempDir
    Path dir;

    Connection c;
    Statement s;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db") + "?local-tables=scratch*");
        s = c.createStatement();
        s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        s.executeUpdate("CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT)");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
        CorrosionDriver.shutdownAll();
    }

    private long scalar(String sql) throws SQLException {
        try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void twoSingleRowInsertsIntoAReplicatedTableCountTwo() throws SQLException {
        assertThat(s.executeUpdate("INSERT INTO t (v) VALUES ('a'); INSERT INTO t (v) VALUES ('b')")).isEqualTo(2);
        assertThat(scalar("SELECT count(*) FROM t")).isEqualTo(2);
        assertThat(scalar("SELECT count(*) FROM crsql_changes WHERE \"table\" = 't' AND cid = 'v'"))
                .as("both rows captured for replication").isEqualTo(2);
    }

    @Test
    void updateOfThreeRowsAndDeleteOfOneCountFour() throws SQLException {
        s.executeUpdate("INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        assertThat(s.executeUpdate("UPDATE t SET v = 'x'; DELETE FROM t WHERE id = 2")).isEqualTo(4);
        assertThat(s.executeLargeUpdate("UPDATE t SET v = 'y'; DELETE FROM t WHERE id = 3")).isEqualTo(3);
        assertThat(scalar("SELECT count(*) FROM t WHERE v = 'y'")).isEqualTo(1);
    }

    /** SQLite's changes() leaves out the rows a trigger writes; so does the count of a string. */
    @Test
    void rowsWrittenByAnApplicationTriggerAreNotCounted() throws SQLException {
        s.executeUpdate("CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)");
        s.executeUpdate("CREATE TRIGGER t_audit AFTER INSERT ON t BEGIN INSERT INTO audit (what) VALUES (new.v); END");
        assertThat(s.executeUpdate("INSERT INTO t (v) VALUES ('a'); INSERT INTO t (v) VALUES ('b'), ('c')"))
                .isEqualTo(3);
        assertThat(scalar("SELECT count(*) FROM audit")).isEqualTo(3);
    }

    @Test
    void aLocalTableWithATriggerCountsOnlyItsOwnRows() throws SQLException {
        s.executeUpdate("CREATE TABLE scratch_log (what TEXT)");
        s.executeUpdate("CREATE TRIGGER scratch_audit AFTER UPDATE ON scratch BEGIN"
                + " INSERT INTO scratch_log VALUES (new.v); END");
        assertThat(s.executeUpdate("INSERT INTO scratch (v) VALUES ('a'); INSERT INTO scratch (v) VALUES ('b')"))
                .isEqualTo(2);
        assertThat(s.executeUpdate("UPDATE scratch SET v = 'x'; DELETE FROM scratch WHERE v = 'none'")).isEqualTo(2);
        assertThat(scalar("SELECT count(*) FROM scratch_log")).isEqualTo(2);
    }

    /** sqlite-jdbc's executeUpdate runs a SELECT in the string (its rows are dropped); it changes no rows. */
    @Test
    void aSelectInTheMiddleCountsNothingAndDoesNotRepeatTheRowsBeforeIt() throws SQLException {
        assertThat(s.executeUpdate("INSERT INTO t (v) VALUES ('a'); SELECT * FROM t; INSERT INTO t (v) VALUES ('b')"))
                .isEqualTo(2);
        assertThat(s.executeUpdate("INSERT INTO t (v) VALUES ('c'); SELECT count(*) FROM t")).isEqualTo(1);
    }

    /** DDL changes no rows (as a DDL statement alone counts 0): a string mixing both counts its DML statements. */
    @Test
    void aStringMixingDdlAndDmlCountsItsDmlRows() throws SQLException {
        s.executeUpdate("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
        assertThat(s.executeUpdate("CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO u (v) VALUES ('x');"
                + " CREATE INDEX u_v ON u (v)")).isEqualTo(1);
        assertThat(s.executeUpdate("CREATE TABLE w (id INTEGER PRIMARY KEY); CREATE INDEX w_id ON w (id)")).isZero();
        assertThat(s.executeUpdate("BEGIN; INSERT INTO t (v) VALUES ('d'); UPDATE t SET v = 'e' WHERE v = 'a';"
                + " COMMIT")).isEqualTo(2);
        assertThat(s.executeUpdate("PRAGMA user_version = 3; SELECT 1")).isZero();
    }

    @Test
    void semicolonsInLiteralsAndTriggerBodiesDoNotSplit() throws SQLException {
        s.executeUpdate("CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)");
        assertThat(s.executeUpdate("CREATE TRIGGER t_audit AFTER INSERT ON t BEGIN INSERT INTO audit (what) VALUES"
                + " ('1;'); INSERT INTO audit (what) VALUES (new.v); END; INSERT INTO t (v) VALUES ('a;b'); -- ; a comment\n"
                + " INSERT INTO t (v) VALUES ('c')")).isEqualTo(2);
        assertThat(scalar("SELECT count(*) FROM t WHERE v = 'a;b'")).isEqualTo(1);
        assertThat(scalar("SELECT count(*) FROM audit")).isEqualTo(4);
    }

    /** For each string: which row its generated key names ("b"), or "none"; run on {@code url}'s database. */
    private static List<String> keysOf(String url) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            for (String sql : List.of("INSERT INTO t (v) VALUES ('a'); INSERT INTO t (v) VALUES ('b')",
                    "UPDATE t SET v = v; INSERT INTO t (v) VALUES ('c')", "INSERT INTO t (v) VALUES ('d'); SELECT 1",
                    "INSERT INTO t (v) VALUES ('e'); UPDATE t SET v = v")) {
                s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    if (!keys.next()) {
                        out.add("none");
                        continue;
                    }
                    try (Statement q = c.createStatement();
                            ResultSet row = q.executeQuery("SELECT v FROM t WHERE id = " + keys.getLong(1))) {
                        out.add(row.next() ? row.getString(1) : "no such row");
                    }
                }
            }
        }
        return out;
    }

    /**
     * As sqlite-jdbc answers: for a string that begins with an INSERT, the last row the string inserted; for any other,
     * none (it runs the string, then its {@code SELECT last_insert_rowid()} if the string starts with INSERT).
     */
    @Test
    void generatedKeysAnswerAsSqliteJdbcAnswersThem() throws SQLException {
        List<String> plain = keysOf("jdbc:sqlite:" + dir.resolve("plain.db"));
        assertThat(plain).containsExactly("b", "none", "d", "e");
        assertThat(keysOf("jdbc:corrosion:" + dir.resolve("keys.db"))).isEqualTo(plain);
    }

    /** A batch entry that is DDL counts 0, as DDL through executeUpdate does. */
    @Test
    void aDdlBatchEntryCountsNoRows() throws SQLException {
        s.addBatch("INSERT INTO t (v) VALUES ('a'), ('b')");
        s.addBatch("CREATE INDEX t_v ON t (v)");
        s.addBatch("CREATE TABLE u (id INTEGER PRIMARY KEY); UPDATE t SET v = 'x'");
        assertThat(s.executeBatch()).containsExactly(2, 0, 0);
        s.addBatch("UPDATE t SET v = 'y'");
        s.addBatch("DROP INDEX t_v");
        assertThat(s.executeLargeBatch()).containsExactly(2L, 0L);
    }

    /** As in sqlite-jdbc: the statements before a failing one stand (auto-commit), the rest do not run. */
    @Test
    void aFailingStatementStopsTheStringAndKeepsTheRowsBeforeIt() throws SQLException {
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t (id, v) VALUES (1, 'a'); INSERT INTO t (id, v)"
                + " VALUES (1, 'dup'); INSERT INTO t (id, v) VALUES (2, 'b')"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("23"));
        assertThat(scalar("SELECT count(*) FROM t")).isEqualTo(1);
    }

    /** execute() runs the string's first statement only (sqlite-jdbc); its update count is that statement's. */
    @Test
    void executeCountsTheFirstStatementItRuns() throws SQLException {
        s.executeUpdate("INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        assertThat(s.execute("UPDATE t SET v = 'x'; DELETE FROM t")).isFalse();
        assertThat(s.getUpdateCount()).isEqualTo(3);
        assertThat(scalar("SELECT count(*) FROM t")).isEqualTo(3);
        assertThat(s.execute("CREATE TABLE u (id INTEGER PRIMARY KEY); INSERT INTO t (v) VALUES ('d')")).isFalse();
        assertThat(s.getUpdateCount()).isZero();
        assertThat(s.getLargeUpdateCount()).isZero();
    }

    /** A batch entry runs its first statement only (sqlite-jdbc prepares each entry): the count is that statement's. */
    @Test
    void aBatchEntryCountsTheFirstStatementItRuns() throws SQLException {
        s.addBatch("INSERT INTO t (v) VALUES ('a'), ('b'); INSERT INTO t (v) VALUES ('c')");
        s.addBatch("UPDATE t SET v = 'x'");
        assertThat(s.executeBatch()).containsExactly(2, 2);
        assertThat(scalar("SELECT count(*) FROM t")).isEqualTo(2);
    }

    /** The statements before the last run without generated keys: a VACUUM after an INSERT in one string works. */
    @Test
    void aVacuumAfterAnInsertInTheSameStringRuns() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("vacuum.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE v (id INTEGER PRIMARY KEY, x TEXT)");
            assertThat(s.executeUpdate("INSERT INTO v (x) VALUES ('a'); VACUUM")).isEqualTo(1);
        }
    }
}
