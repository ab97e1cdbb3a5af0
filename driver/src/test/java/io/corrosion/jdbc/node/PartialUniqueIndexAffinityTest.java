package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A partial UNIQUE index whose WHERE compares a column with a value of another type: the written row is selected as
 * SQLite selects it, with the column's affinity (and collation) applied to the comparison, whatever the affinity.
 */
class PartialUniqueIndexAffinityTest extends PlainDifferentialTest {

    private List<List<Object>> sameWith(String type, String literal, String... writes) throws SQLException {
        return same(List.of("CREATE TABLE t (k TEXT PRIMARY KEY, c0 " + type + ", c1)",
                "CREATE UNIQUE INDEX ui ON t (c1) WHERE c0 = " + literal), List.of("INSERT INTO t VALUES ('a', 2, 1)"),
                "SELECT k, c0, typeof(c0), c1 FROM t ORDER BY k", writes);
    }

    @Test
    void numericColumnAgainstText() throws SQLException {
        List<List<Object>> rows = sameWith("NUMERIC", "'2'", "INSERT INTO t VALUES ('b', 2, 1)",
                "INSERT INTO t VALUES ('c', '2', 1)", "INSERT INTO t VALUES ('d', 2.0, 1)",
                "INSERT INTO t VALUES ('e', 3, 1)", "UPDATE t SET c0 = '2.0' WHERE k = 'e'");
        assertThat(rows).containsExactly(List.of("a", 2L, "integer", 1L), List.of("e", 3L, "integer", 1L));
    }

    @Test
    void integerColumnAgainstText() throws SQLException {
        sameWith("INTEGER", "'2'", "INSERT INTO t VALUES ('b', 2, 1)", "INSERT INTO t VALUES ('c', '2', 1)",
                "INSERT INTO t VALUES ('e', 3, 1)", "UPDATE t SET c0 = 2 WHERE k = 'e'");
    }

    @Test
    void realColumnAgainstText() throws SQLException {
        sameWith("REAL", "'2'", "INSERT INTO t VALUES ('b', 2, 1)", "INSERT INTO t VALUES ('c', '2.0', 1)",
                "INSERT INTO t VALUES ('e', 3, 1)", "UPDATE t SET c0 = '2' WHERE k = 'e'");
    }

    @Test
    void textColumnAgainstANumber() throws SQLException {
        sameWith("TEXT", "2", "INSERT INTO t VALUES ('b', 2, 1)", "INSERT INTO t VALUES ('c', '2', 1)",
                "INSERT INTO t VALUES ('e', 3, 1)", "UPDATE t SET c0 = 2 WHERE k = 'e'");
    }

    @Test
    void blobInATextColumnAgainstANumber() throws SQLException {
        List<List<Object>> rows = sameWith("TEXT", "2 OR c0 > 5", "INSERT INTO t VALUES ('b', x'32', 1)", "INSERT INTO t VALUES ('b', x'32', 2)",
                "INSERT INTO t VALUES ('c', x'00', 1)", "INSERT INTO t VALUES ('d', 2, 1)");
        // a blob is greater than any number: selected, it collides
        assertThat(rows).containsExactly(List.of("a", "2", "text", 1L), List.of("b", "32", "blob", 2L));
    }

    @Test
    void columnWithoutAffinityAgainstText() throws SQLException {
        List<List<Object>> rows = sameWith("BLOB", "'2'", "INSERT INTO t VALUES ('b', 2, 1)",
                "INSERT INTO t VALUES ('c', '2', 1)", "INSERT INTO t VALUES ('d', '2', 1)");
        assertThat(rows).hasSize(3);
    }

    @Test
    void nocaseColumnInTheWhere() throws SQLException {
        same(List.of("CREATE TABLE t (k TEXT PRIMARY KEY, c0 TEXT COLLATE NOCASE, c1)",
                "CREATE UNIQUE INDEX ui ON t (c1) WHERE c0 = 'x'"), List.of("INSERT INTO t VALUES ('a', 'x', 1)"),
                "SELECT * FROM t ORDER BY k", "INSERT INTO t VALUES ('b', 'X', 1)", "INSERT INTO t VALUES ('c', 'y', 1)",
                "UPDATE t SET c0 = 'X' WHERE k = 'c'");
    }

    @Test
    void indexedColumnsOfEachAffinityAgainstText() throws SQLException {
        same(List.of("CREATE TABLE t (k TEXT PRIMARY KEY, n NUMERIC, i INTEGER, r REAL, s TEXT, b BLOB)",
                "CREATE UNIQUE INDEX ui ON t (n, i, r, s) WHERE n = '1' AND i = '1' AND r = '1' AND s = 1",
                "CREATE UNIQUE INDEX ub ON t (b) WHERE b = '1'"),
                List.of("INSERT INTO t VALUES ('a', 1, 1, 1, 1, 1)", "INSERT INTO t VALUES ('z', 2, 2, 2, 2, '1')"),
                "SELECT k, n, i, r, s, b, typeof(b) FROM t ORDER BY k", "INSERT INTO t VALUES ('b', '1', '1', '1.0', '1', 1)",
                "INSERT INTO t VALUES ('c', 1.0, 1, 1, 1, '1')", "INSERT INTO t VALUES ('d', 3, 3, 3, 3, 2)",
                "UPDATE t SET n = '1', i = 1.0, r = 1, s = 1 WHERE k = 'd'");
    }

    @Test
    void theChecksOfAnEarlierFormatAreMadeAgain() throws SQLException {
        try (Node a = new Node(dir, "old")) {
            a.exec("CREATE TABLE t (k TEXT PRIMARY KEY, c0 NUMERIC, c1)", "CREATE UNIQUE INDEX ui ON t (c1) WHERE c0 = '2'",
                    "INSERT INTO t VALUES ('a', 2, 1)");
        }
        CorrosionDriver.shutdownAll();
        Node.asEarlierFormat(dir.resolve("old.db"), "%ui__corrosion_uq_ins%LIMIT -1%", 1, 12,
                sql -> sql.replace("LIMIT -1", ""));
        try (Node a = new Node(dir, "old")) {
            assertThat(Node.outcome(a.c, "INSERT INTO t VALUES ('b', 2, 1)")).isEqualTo("failed: UNIQUE constraint failed: t.c1");
        }
    }
}
