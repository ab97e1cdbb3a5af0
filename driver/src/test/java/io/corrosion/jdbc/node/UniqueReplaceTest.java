package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.JdbcRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conflict resolution of the UNIQUE checks (UniqueChecks) where plain SQLite does more than delete the colliding row:
 * the default a REPLACE stores for a NULL in a NOT NULL column; a conflict clause in a trigger's body; and the place
 * where the checks still differ from SQLite, pinned. Each write has the same outcome and leaves the same rows
 * as on plain sqlite-jdbc, and the rows reach a second node unchanged (found by a randomized differential test).
 */
class UniqueReplaceTest extends PlainDifferentialTest {
    @Test
    void insertOrReplaceOfNullIntoANotNullDefaultUniqueColumnReplacesTheRowHoldingTheDefault() throws SQLException {
        assertThat(same(List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, b REAL NOT NULL DEFAULT 2.5 UNIQUE)"),
                List.of("INSERT INTO t VALUES (1, 2.5)"), "SELECT * FROM t ORDER BY id",
                "INSERT OR REPLACE INTO t VALUES (2, NULL)")).containsExactly(List.of(2L, 2.5));
    }

    @Test
    void updateOrReplaceToNullOfANotNullDefaultUniqueColumnReplacesTheRowHoldingTheDefault() throws SQLException {
        assertThat(same(List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x' UNIQUE)"),
                List.of("INSERT INTO t VALUES (1, 'x'), (2, 'y')"), "SELECT * FROM t ORDER BY id",
                "UPDATE OR REPLACE t SET b = NULL WHERE id = 2")).containsExactly(List.of(2L, "x"));
    }

    @Test
    void aNullWithoutReplaceStillFailsTheNotNullConstraint() throws SQLException {
        assertThat(same(List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x' UNIQUE)"),
                List.of("INSERT INTO t VALUES (1, 'x')"), "SELECT * FROM t ORDER BY id",
                "INSERT OR IGNORE INTO t VALUES (2, NULL)", "INSERT OR REPLACE INTO t VALUES (3, 'y')"))
                .containsExactly(List.of(1L, "x"), List.of(3L, "y"));
    }

    @Test
    void aReplacedNullInAPartialIndexIsCheckedAsTheDefault() throws SQLException {
        assertThat(same(List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', k INTEGER)",
                "CREATE UNIQUE INDEX t_b ON t (b) WHERE b != 'z'"),
                List.of("INSERT INTO t VALUES (1, 'x', 0)"), "SELECT * FROM t ORDER BY id",
                "INSERT OR REPLACE INTO t VALUES (2, NULL, 1)")).containsExactly(List.of(2L, "x", 1L));
    }

    @Test
    void theChecksOfAnEarlierFormatSeeTheDefaultAfterTheUpgrade() throws SQLException {
        try (Node a = new Node(dir, "old")) {
            a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x' UNIQUE)", "INSERT INTO t VALUES (1, 'x')");
        }
        Node.asEarlierFormat(dir.resolve("old.db"), "%COALESCE(NEW.\"b\"%", 2, 7, sql -> sql.replace( // as format 7 made them
                "COALESCE(NEW.\"b\", CASE WHEN crsql_internal_conflict() = 'REPLACE' THEN ('x') END)", "NEW.\"b\""));
        try (Node a = new Node(dir, "old")) {
            assertThat(Node.outcome(a.c, "INSERT OR REPLACE INTO t VALUES (2, NULL)")).isEqualTo("updated 1");
            assertThat(a.rows("SELECT * FROM t ORDER BY id")).containsExactly(List.of(2L, "x"));
        }
    }

    /**
     * As SQLite: the row REPLACE deletes for a UNIQUE column fires none of the table's DELETE triggers (it fired them:
     * the checks delete in a statement of their own, during which the triggers' guard now holds them back); a DELETE
     * fires them; the REPLACE's delete replicates.
     */
    @Test
    void aRowReplacedOnAUniqueColumnFiresNoDeleteTriggerAndItsDeleteReplicates() throws SQLException {
        String[] schema = {"CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE)", "CREATE TABLE log (k TEXT PRIMARY KEY)",
                "CREATE TRIGGER g AFTER DELETE ON t BEGIN INSERT INTO log VALUES ('after ' || old.id); END",
                "CREATE TRIGGER h BEFORE DELETE ON t FOR EACH ROW WHEN old.id > 0 BEGIN INSERT INTO log VALUES ('before ' || old.id); END"};
        String[] writes = {"INSERT INTO t VALUES (1, 'a')", "INSERT OR REPLACE INTO t VALUES (2, 'a')",
                "UPDATE OR REPLACE t SET u = 'a' WHERE id = 3", "INSERT INTO t VALUES (3, 'b')",
                "UPDATE OR REPLACE t SET u = 'a' WHERE id = 3", "DELETE FROM t"};
        List<List<Object>> log;
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            JdbcRows.exec(p, schema);
            JdbcRows.exec(p, writes);
            log = Node.rows(p, "SELECT * FROM log ORDER BY k");
        }
        assertThat(log).containsExactly(List.of("after 3"), List.of("before 3"));
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(schema).exec("INSERT INTO t VALUES (1, 'a')");
            b.exec(schema);
            a.sendTo(b);
            a.exec("INSERT OR REPLACE INTO t VALUES (2, 'a')");
            assertThat(a.rows("SELECT * FROM log")).isEmpty();
            a.sendTo(b);
            assertThat(b.rows("SELECT * FROM t")).containsExactly(List.of(2L, "a"));
            a.exec(Arrays.copyOfRange(writes, 2, writes.length));
            assertThat(a.rows("SELECT * FROM log ORDER BY k")).isEqualTo(log);
        }
    }

    /** The rows a cascade of the REPLACE's delete takes fire the table's DELETE triggers, as in SQLite. */
    @Test
    void rowsACascadeOfTheReplacedRowTakesFireTheTriggers() throws SQLException {
        assertThat(same(List.of("PRAGMA foreign_keys = ON",
                "CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE, boss INTEGER REFERENCES t (id) ON DELETE CASCADE)",
                "CREATE TABLE log (k TEXT PRIMARY KEY)",
                "CREATE TRIGGER g AFTER DELETE ON t BEGIN INSERT INTO log VALUES ('deleted ' || old.id); END"),
                List.of("INSERT INTO t VALUES (1, 'a', NULL), (2, 'b', 1), (4, 'c', 2), (5, 'd', NULL)"),
                "SELECT k FROM log ORDER BY k", "INSERT OR REPLACE INTO t VALUES (3, 'a', NULL)"))
                .containsExactly(List.of("deleted 2"), List.of("deleted 4"));
    }

    /** A DELETE trigger that refuses every delete does not stop a REPLACE, which fires none, as in SQLite. */
    @Test
    void aDeleteTriggerThatRefusesDeletesLeavesAReplaceAlone() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE)", "INSERT INTO t VALUES (1, 'a')",
                    "CREATE TRIGGER g BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'keep it'); END");
            a.exec("INSERT OR REPLACE INTO t VALUES (2, 'a')");
            assertThat(a.rows("SELECT * FROM t")).containsExactly(List.of(2L, "a"));
            assertThatThrownBy(() -> a.exec("DELETE FROM t")).isInstanceOf(SQLException.class).hasMessageContaining("keep it");
            assertThat(a.rows("SELECT * FROM t")).containsExactly(List.of(2L, "a"));
        }
    }

    /** The DELETE triggers of a file of format 14 get the guard when the driver first opens it, and keep their WHEN. */
    @Test
    void theDeleteTriggersOfFormat14GetTheGuard() throws SQLException {
        try (Node a = new Node(dir, "old")) {
            a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE)", "CREATE TABLE log (k TEXT PRIMARY KEY)",
                    "CREATE TRIGGER g AFTER DELETE ON t WHEN old.id < 5 BEGIN INSERT INTO log VALUES ('after ' || old.id); END",
                    "INSERT INTO t VALUES (1, 'a'), (7, 'b')");
        }
        Node.asEarlierFormat(dir.resolve("old.db"), "%crsql_internal_replacing%", 1, 14,
                sql -> sql.replace("NOT crsql_internal_replacing('t', OLD.\"id\") AND (old.id < 5)", "old.id < 5"));
        try (Node a = new Node(dir, "old")) {
            a.exec("INSERT OR REPLACE INTO t VALUES (2, 'a')", "DELETE FROM t WHERE id IN (2, 7)");
            assertThat(a.rows("SELECT * FROM log")).containsExactly(List.of("after 2"));
        }
    }

    /**
     * A conflict clause on a statement in a trigger's body resolves its collisions, unless the statement that fired the
     * trigger has one of its own (TriggerConflictRewrite; more in TriggerConflictClauseTest).
     */
    @Test
    void aConflictClauseInATriggerBodyIsSeenByTheChecks() throws SQLException {
        List<String> schema = List.of("CREATE TABLE t1 (id INTEGER PRIMARY KEY, b TEXT UNIQUE)",
                "CREATE TABLE t2 (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER g AFTER INSERT ON t2 BEGIN INSERT OR REPLACE INTO t1 (id, b) VALUES (new.id, new.v); END");
        assertThat(same(schema, List.of("INSERT INTO t1 VALUES (5, 'x')"), "SELECT * FROM t1",
                "INSERT INTO t2 VALUES (1, 'x')")).containsExactly(List.of(1L, "x"));
        assertThat(same(schema, List.of("INSERT INTO t1 VALUES (5, 'x')"), "SELECT * FROM t1",
                "INSERT OR REPLACE INTO t2 VALUES (1, 'x')")).containsExactly(List.of(1L, "x"));
        assertThat(same(schema, List.of("INSERT INTO t1 VALUES (5, 'x')"), "SELECT * FROM t1 ORDER BY id",
                "INSERT OR ABORT INTO t2 VALUES (1, 'x')")).containsExactly(List.of(5L, "x"));
    }
}
