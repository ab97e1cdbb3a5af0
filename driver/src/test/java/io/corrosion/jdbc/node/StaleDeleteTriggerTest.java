package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DELETE trigger whose body names a table dropped since (SQLite keeps such a trigger and fails only the statements
 * that fire it) on a table with a UNIQUE constraint: INSERTs and UPDATEs of the table work as on plain SQLite, and a
 * DELETE fails as there. Before, the REPLACE branch of the driver's UNIQUE checks held a DELETE of the table, so SQLite
 * compiled the stale trigger into every INSERT and UPDATE and failed them with "no such table" (found by the random SQL
 * probes).
 */
class StaleDeleteTriggerTest extends PlainDifferentialTest {
    private static final List<String> STALE_TRIGGER = List.of("CREATE TABLE t1 (c1)",
            "CREATE TRIGGER tr AFTER DELETE ON t0 BEGIN DELETE FROM t1 WHERE c1 = OLD.c0; END", "DROP TABLE t1");

    private static List<String> withStaleTrigger(String table) {
        List<String> schema = new ArrayList<>(List.of(table));
        schema.addAll(STALE_TRIGGER);
        return schema;
    }

    @Test
    void insertsAndUpdatesOfAKeyedTableWorkAndItsDeleteFails() throws SQLException {
        List<List<Object>> rows = same(withStaleTrigger("CREATE TABLE t0 (k TEXT PRIMARY KEY, c0 UNIQUE)"), List.of(),
                "SELECT * FROM t0 ORDER BY k", "INSERT INTO t0 VALUES ('a', 1)", "INSERT INTO t0 VALUES ('b', 1)",
                "INSERT OR REPLACE INTO t0 VALUES ('c', 2)", "UPDATE t0 SET c0 = 3 WHERE k = 'c'",
                "UPDATE t0 SET c0 = 1 WHERE k = 'c'", "DELETE FROM t0 WHERE k = 'a'");
        assertThat(rows).containsExactly(List.of("a", 1L), List.of("c", 3L));
    }

    @Test
    void insertsIntoAKeylessTableWorkAndItsDeleteFails() throws SQLException {
        List<List<Object>> rows = same(withStaleTrigger("CREATE TABLE t0 (c0 UNIQUE, c2)"), List.of(),
                "SELECT * FROM t0 ORDER BY c0", "INSERT INTO t0 VALUES (1, 1)", "INSERT INTO t0 VALUES (1, 2)",
                "INSERT OR IGNORE INTO t0 VALUES (1, 3), (2, 2)", "DELETE FROM t0");
        assertThat(rows).containsExactly(List.of(1L, 1L), List.of(2L, 2L));
    }

    @Test
    void aUniqueIndexMadeAfterTheTriggerToo() throws SQLException {
        List<String> schema = withStaleTrigger("CREATE TABLE t0 (k INTEGER PRIMARY KEY, c0)");
        schema.add("CREATE UNIQUE INDEX u0 ON t0 (c0)");
        List<List<Object>> rows = same(schema, List.of("INSERT INTO t0 VALUES (1, 1)"), "SELECT * FROM t0 ORDER BY k",
                "INSERT INTO t0 VALUES (2, 1)", "INSERT INTO t0 VALUES (2, 2)", "DELETE FROM t0 WHERE k = 2");
        assertThat(rows).containsExactly(List.of(1L, 1L), List.of(2L, 2L));
    }

    @Test
    void theChecksOfFormat12AreMadeAgainWithoutTheDelete() throws SQLException {
        try (Node a = new Node(dir, "old")) {
            a.exec(withStaleTrigger("CREATE TABLE t0 (k TEXT PRIMARY KEY, c0 UNIQUE)").toArray(String[]::new));
        }
        Node.asEarlierFormat(dir.resolve("old.db"), "%crsql_internal_replace_delete(%", 2, 12, sql -> sql.replace(
                "SELECT crsql_internal_replace_delete('t0', crsql_pack_columns(\"k\")) FROM", "DELETE FROM"));
        try (Node a = new Node(dir, "old")) {
            assertThat(Node.outcome(a.c, "INSERT INTO t0 VALUES ('a', 1)")).isEqualTo("updated 1");
            assertThat(a.rows("SELECT * FROM t0")).containsExactly(List.of("a", 1L));
        }
    }
}
