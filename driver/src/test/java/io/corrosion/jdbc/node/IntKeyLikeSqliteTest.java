package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.JdbcRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A primary key declared {@code INT} or {@code BIGINT}, which SQLite does not make a rowid alias (only {@code INTEGER}),
 * and which the driver declares {@code INTEGER} for its generated keys (RowidKeyDdl): its collisions meet the table's
 * UNIQUE constraints in the order SQLite's own would, and a STRICT table's key keeps its type (found by the random SQL
 * probes).
 */
class IntKeyLikeSqliteTest extends PlainDifferentialTest {

    @Test
    void aUniqueDeclaredAfterTheKeyIsCheckedFirst() throws SQLException {
        for (String type : List.of("INT", "BIGINT")) {
            List<List<Object>> rows = same(List.of("CREATE TABLE t (id " + type + " PRIMARY KEY, c0 UNIQUE ON CONFLICT IGNORE)"),
                    List.of(), "SELECT * FROM t ORDER BY id", "INSERT INTO t VALUES (0, 'a'), (0, 'a')",
                    "INSERT INTO t VALUES ('0', 'a')", "INSERT INTO t VALUES (0, 'b')", "INSERT INTO t VALUES ('1', 'b')",
                    "UPDATE t SET id = 0, c0 = 'a' WHERE id = 1", "UPDATE t SET id = 0 WHERE id = 1");
            assertThat(rows).containsExactly(List.of(0L, "a"), List.of(1L, "b"));
        }
    }

    @Test
    void aKeyDeclaredAfterTheUniqueIsCheckedFirst() throws SQLException {
        same(List.of("CREATE TABLE t (c0 UNIQUE ON CONFLICT IGNORE, id INT PRIMARY KEY)"), List.of(),
                "SELECT * FROM t ORDER BY id", "INSERT INTO t VALUES ('a', 0), ('a', 0)", "INSERT INTO t VALUES ('a', 1)");
    }

    @Test
    void aUniqueIndexAndOrClauses() throws SQLException {
        same(List.of("CREATE TABLE t (id BIGINT PRIMARY KEY, c0)", "CREATE UNIQUE INDEX ui ON t (c0)"),
                List.of("INSERT INTO t VALUES (1, 'a')", "INSERT INTO t VALUES (2, 'b')"), "SELECT * FROM t ORDER BY id",
                "INSERT INTO t VALUES (1, 'b')", "INSERT OR IGNORE INTO t VALUES (1, 'b')",
                "INSERT OR REPLACE INTO t VALUES (1, 'b')", "INSERT INTO t VALUES (3, 'x') ON CONFLICT (id) DO NOTHING");
    }

    @Test
    void aStrictTablesKeyKeepsItsType() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t (id INT PRIMARY KEY, c0 TEXT UNIQUE) STRICT"),
                List.of("INSERT INTO t VALUES (1, 'a')"), "SELECT id, typeof(id), c0 FROM t ORDER BY id",
                "INSERT INTO t VALUES (NULL, 'b')", "INSERT INTO t (c0) VALUES ('b')", "INSERT INTO t VALUES ('x', 'b')",
                "INSERT INTO t VALUES (1.5, 'b')", "INSERT INTO t VALUES ('2', 'b')", "INSERT INTO t VALUES (2, 'c')",
                "INSERT OR IGNORE INTO t VALUES (3, 'a')");
        assertThat(rows).containsExactly(List.of(1L, "integer", "a"), List.of(2L, "integer", "b"));
    }

    /** Not as SQLite (README, "Rowid alias"): what a key that is the rowid cannot hold. */
    @Test
    void aNullKeyGetsAKeyAndOneThatIsNoIntegerFails() throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
                Node node = new Node(dir, "node", "node-slot=0")) {
            List<String> writes = List.of("INSERT INTO t VALUES (NULL, 'a')", "INSERT INTO t VALUES ('x', 'b')",
                    "INSERT INTO t VALUES (1.5, 'c')");
            JdbcRows.exec(plain, "CREATE TABLE t (id INT PRIMARY KEY, c0)");
            node.exec("CREATE TABLE t (id INT PRIMARY KEY, c0)");
            assertThat(writes.stream().map(w -> Node.outcome(plain, w)).toList())
                    .containsExactly("updated 1", "updated 1", "updated 1");
            assertThat(writes.stream().map(w -> Node.outcome(node.c, w)).toList()).containsExactly("updated 1",
                    "failed: [SQLITE_MISMATCH] Data type mismatch (datatype mismatch)",
                    "failed: [SQLITE_MISMATCH] Data type mismatch (datatype mismatch)");
            assertThat(node.rows("SELECT id, c0 FROM t")).containsExactly(List.of(1L, "a"));
        }
    }

    /** Not as SQLite (README, "Rowid alias"): an untyped key, made the rowid, has INTEGER affinity. */
    @Test
    void anUntypedKeyTakesTextForTheNumber() throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
                Node node = new Node(dir, "node")) {
            JdbcRows.exec(plain, "CREATE TABLE t (id PRIMARY KEY, c0)", "INSERT INTO t VALUES (1, 'a')");
            node.exec("CREATE TABLE t (id PRIMARY KEY, c0)", "INSERT INTO t VALUES (1, 'a')");
            assertThat(Node.outcome(plain, "INSERT INTO t VALUES ('1', 'b')")).isEqualTo("updated 1");
            assertThat(Node.outcome(node.c, "INSERT INTO t VALUES ('1', 'b')")).isEqualTo("failed: UNIQUE constraint failed: t.id");
        }
    }
}
