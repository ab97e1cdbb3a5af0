package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.MissingSchemaException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ALTER TABLE on one node, writes, merged into a node that has not run it yet and one that has; ATTACH; CTAS. */
class SchemaChangesMergeTest {
    private static final String DDL = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, b INT)";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void dropColumnThenWritesMergeIntoNodesBeforeAndAfterTheAlter() throws SQLException {
        try (Node a = new Node(dir, "a"); Node old = new Node(dir, "old"); Node same = new Node(dir, "same")) {
            for (Node n : List.of(a, old, same)) {
                n.exec(DDL);
            }
            a.exec("INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2)");
            a.sendTo(old);
            a.sendTo(same);
            a.exec("ALTER TABLE t DROP COLUMN b");
            same.exec("ALTER TABLE t DROP COLUMN b");
            a.exec("INSERT INTO t VALUES (3, 'z')", "UPDATE t SET v = 'X' WHERE id = 1", "DELETE FROM t WHERE id = 2");
            a.sendTo(old);
            a.sendTo(same);
            assertThat(same.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"))
                    .containsExactly(List.of(1L, "X"), List.of(3L, "z"));
            assertThat(old.rows("SELECT * FROM t ORDER BY id"))
                    .containsExactly(List.of(1L, "X", 1L), Arrays.asList(3L, "z", null));
            old.exec("ALTER TABLE t DROP COLUMN b");
            assertThat(old.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"));
            old.exec("UPDATE t SET v = 'old' WHERE id = 3");
            old.sendTo(a);
            assertThat(a.rows("SELECT v FROM t WHERE id = 3")).containsExactly(List.of("old"));
        }
    }

    @Test
    void renameColumnThenWritesConvergesAndRestartsTheColumnsClocks() throws SQLException {
        try (Node a = new Node(dir, "a"); Node old = new Node(dir, "old"); Node same = new Node(dir, "same")) {
            for (Node n : List.of(a, old, same)) {
                n.exec(DDL);
            }
            a.exec("INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2)");
            a.sendTo(old);
            a.sendTo(same);
            a.exec("ALTER TABLE t RENAME COLUMN v TO w");
            same.exec("ALTER TABLE t RENAME COLUMN v TO w");
            a.exec("INSERT INTO t VALUES (3, 'z', 3)", "UPDATE t SET w = 'X' WHERE id = 1");
            a.sendTo(same);
            assertThat(same.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"));
            MissingSchemaException e = catchThrowableOfType(MissingSchemaException.class, () -> a.sendTo(old));
            assertThat(e.missing()).contains("t.w");
            old.exec("UPDATE t SET v = 'concurrent' WHERE id = 2");
            old.exec("ALTER TABLE t RENAME COLUMN v TO w");
            a.sendTo(old);
            old.sendTo(a);
            old.sendTo(same);
            assertThat(old.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"))
                    .isEqualTo(same.rows("SELECT * FROM t ORDER BY id"))
                    .contains(List.of(1L, "X", 1L), List.of(3L, "z", 3L));
            // A renamed column starts its clocks again on each node (cr-sqlite: a column dropped and one added), so
            // the update made before the rename ties with the other node's older value, and the larger value wins.
            assertThat(old.rows("SELECT w FROM t WHERE id = 2")).containsExactly(List.of("y"));
        }
    }

    /**
     * Rows written in the transaction that renames a column: the renamed column's value reaches peers, also one that
     * has every earlier version already (its backfilled clock took the last committed version, which peers had seen or,
     * on a new file, 0; found by a randomized differential test).
     */
    @Test
    void renameColumnInTheTransactionThatWroteTheRowsReplicatesTheirValues() throws SQLException {
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            for (Node n : List.of(a, b)) {
                n.exec(DDL);
            }
            a.inTransaction("INSERT INTO t VALUES (1, 'x', 1)", "ALTER TABLE t RENAME COLUMN b TO c");
            b.exec("ALTER TABLE t RENAME COLUMN b TO c");
            a.sendTo(b);
            assertThat(b.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"))
                    .containsExactly(List.of(1L, "x", 1L));
            a.inTransaction("INSERT INTO t VALUES (2, 'y', 2)", "UPDATE t SET c = 3 WHERE id = 1",
                    "ALTER TABLE t RENAME COLUMN c TO d");
            b.exec("ALTER TABLE t RENAME COLUMN c TO d");
            a.sendTo(b);
            assertThat(b.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"))
                    .containsExactly(List.of(1L, "x", 3L), List.of(2L, "y", 2L));
        }
    }

    @Test
    void addColumnThenWritesWaitForTheAlterAndThenMerge() throws SQLException {
        try (Node a = new Node(dir, "a"); Node old = new Node(dir, "old"); Node same = new Node(dir, "same")) {
            for (Node n : List.of(a, old, same)) {
                n.exec(DDL);
            }
            a.exec("INSERT INTO t VALUES (1, 'x', 1)");
            a.sendTo(old);
            a.sendTo(same);
            a.exec("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'd'");
            same.exec("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'd'");
            a.exec("INSERT INTO t VALUES (2, 'y', 2, 'c2')", "UPDATE t SET c = 'c1' WHERE id = 1");
            a.sendTo(same);
            assertThat(same.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"));
            catchThrowableOfType(MissingSchemaException.class, () -> a.sendTo(old));
            old.exec("UPDATE t SET v = 'old' WHERE id = 1");
            old.exec("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'd'");
            a.sendTo(old);
            old.sendTo(a);
            old.sendTo(same);
            assertThat(old.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"))
                    .isEqualTo(same.rows("SELECT * FROM t ORDER BY id"))
                    .containsExactly(List.of(1L, "old", 1L, "c1"), List.of(2L, "y", 2L, "c2"));
        }
    }

    @Test
    void attachedDatabasesStayLocalAndWork() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "ATTACH DATABASE '" + dir.resolve("other.db") + "' AS other",
                    "CREATE TABLE other.x (id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO other.x VALUES (1, 'one')", "INSERT INTO other.x (v) VALUES ('two')",
                    "UPDATE other.x SET v = 'ONE' WHERE id = 1", "INSERT INTO t SELECT id, v, 0 FROM other.x",
                    "INSERT INTO other.x SELECT id + 100, v FROM t", "DELETE FROM other.x WHERE id = 2",
                    "CREATE TABLE other.nokey (a, b)", "INSERT INTO other.nokey VALUES (1, 2)",
                    "ALTER TABLE other.x ADD COLUMN w INT", "UPDATE other.x SET w = 1");
            assertThat(a.rows("SELECT * FROM other.x ORDER BY id")).containsExactly(Arrays.asList(1L, "ONE", 1L),
                    Arrays.asList(101L, "ONE", 1L), Arrays.asList(102L, "two", 1L));
            assertThat(a.rows("SELECT \"table\", count(*) FROM crsql_changes GROUP BY 1")).containsExactly(List.of("t", 4L));
            assertThat(a.rows("SELECT * FROM other.nokey")).containsExactly(List.of(1L, 2L));
            a.exec("DROP TABLE other.x", "DETACH DATABASE other");
            assertThat(a.crr.replicatedTables()).containsExactly("t");
        }
    }

    @Test
    void createTableAsSelectMergesWithTheCreateTableAndInsertItRunsAs() throws SQLException {
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(DDL, "INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2)");
            a.exec("CREATE TABLE copy AS SELECT v, b * 2 AS b2 FROM t");
            assertThat(a.rows("SELECT name, type FROM pragma_table_info('copy')"))
                    .containsExactly(List.of("v", "TEXT"), List.of("b2", ""));
            b.exec(DDL, "CREATE TABLE copy (v TEXT, b2)"); // the same table, as another node's migration may spell it
            a.sendTo(b);
            assertThat(b.rows("SELECT v, b2 FROM copy ORDER BY 1")).containsExactly(List.of("x", 2L), List.of("y", 4L));
        }
    }
}
