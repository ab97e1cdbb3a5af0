package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application triggers (guarded with crsql_internal_sync_bit() = 0, as the README says) that write back into their own
 * table: the row a statement deleted put back, a row just inserted deleted again. SQLite fires a table's newest trigger
 * first, so the driver's capture triggers, made with the table, fired after such a trigger and captured the
 * statement's own change last: a row present on the node replicated as deleted, a deleted one as alive (found by a
 * randomized differential test). The capture triggers are now made again after each application trigger.
 */
class SameTableTriggerTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void aRowThatAnAfterDeleteTriggerPutsBackReplicates() throws SQLException {
        String[] ddl = {"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER g AFTER DELETE ON t WHEN crsql_internal_sync_bit() = 0"
                        + " BEGIN INSERT INTO t (id, v) VALUES (old.id, 'back'); END"};
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(ddl);
            b.exec(ddl);
            a.exec("INSERT INTO t VALUES (1, 'a')", "DELETE FROM t WHERE id = 1");
            assertThat(a.rows("SELECT * FROM t")).containsExactly(List.of(1L, "back")); // as plain SQLite
            a.sendTo(b);
            assertThat(b.rows("SELECT * FROM t")).as("b after merging a").containsExactly(List.of(1L, "back"));
        }
    }

    /** The order holds in the schema SQLite reads when the file opens again. */
    @Test
    void aRowThatAnAfterDeleteTriggerPutsBackReplicatesAfterTheFileOpensAgain() throws SQLException {
        String[] ddl = {"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER g AFTER DELETE ON t WHEN crsql_internal_sync_bit() = 0"
                        + " BEGIN INSERT INTO t (id, v) VALUES (old.id, 'back'); END",
                "ALTER TABLE t ADD COLUMN w TEXT"};
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(ddl);
            b.exec(ddl);
        }
        CorrosionDriver.shutdownAll();
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec("INSERT INTO t VALUES (1, 'a', 'x')", "DELETE FROM t WHERE id = 1");
            assertThat(a.rows("SELECT id, v FROM t")).containsExactly(List.of(1L, "back"));
            a.sendTo(b);
            assertThat(b.rows("SELECT id, v FROM t")).containsExactly(List.of(1L, "back"));
        }
    }

    @Test
    void aRowThatAnAfterUpdateTriggerPutsBackUnderTheOldKeyReplicates() throws SQLException {
        String[] ddl = {"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER g AFTER UPDATE ON t WHEN crsql_internal_sync_bit() = 0 AND new.id <> old.id"
                        + " BEGIN INSERT INTO t VALUES (old.id, 'left'); END"};
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(ddl);
            b.exec(ddl);
            a.exec("INSERT INTO t VALUES (1, 'a')", "UPDATE t SET id = 2 WHERE id = 1");
            assertThat(a.rows("SELECT * FROM t ORDER BY id")).containsExactly(List.of(1L, "left"), List.of(2L, "a"));
            a.sendTo(b);
            assertThat(b.rows("SELECT * FROM t ORDER BY id")).as("b after merging a")
                    .containsExactly(List.of(1L, "left"), List.of(2L, "a"));
        }
    }

    /** The writing node's own crsql_changes disagree with its table: row 1 is gone there but replicates as alive. */
    @Test
    void aRowThatAnAfterInsertTriggerDeletesAgainStaysDeleted() throws SQLException {
        String[] ddl = {"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER g AFTER INSERT ON t WHEN crsql_internal_sync_bit() = 0 AND new.v = 'tmp'"
                        + " BEGIN DELETE FROM t WHERE id = new.id; END"};
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(ddl);
            b.exec(ddl);
            a.exec("INSERT INTO t VALUES (1, 'tmp')", "INSERT INTO t VALUES (2, 'keep')");
            assertThat(a.rows("SELECT * FROM t")).containsExactly(List.of(2L, "keep")); // as plain SQLite
            a.sendTo(b);
            assertThat(b.rows("SELECT * FROM t ORDER BY id")).as("b after merging a").containsExactly(List.of(2L, "keep"));
        }
    }
}
