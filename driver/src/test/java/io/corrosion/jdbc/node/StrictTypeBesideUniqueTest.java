package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.JdbcRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A value a STRICT column refuses, in a row that also meets another constraint, on a table whose UNIQUE the driver
 * checks with BEFORE triggers. SQLite checks a STRICT row's types before the BEFORE triggers of its table, and without
 * them after NOT NULL and the rowid key (before the CHECKs where the table has any, before the UNIQUE indexes always):
 * where the order shows, the node keeps the triggers' order (README, UNIQUE), pinned here.
 */
class StrictTypeBesideUniqueTest extends PlainDifferentialTest {
    private static final String TYPE_ERROR = "failed: An insert or update attempted to store a value inconsistent with"
            + " the column's declared type in a table defined as STRICT (cannot store BLOB value in TEXT column t.c1)";
    private static final List<String> SCHEMA =
            List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, c0 INTEGER NOT NULL, c1 TEXT UNIQUE) STRICT");
    private static final List<String> SETUP = List.of("INSERT INTO t VALUES (1, 1, 'a')", "INSERT INTO t VALUES (2, 2, 'b')");

    @Test
    void theTypeFailsBeforeTheUniqueAsInSqlite() throws SQLException {
        same(SCHEMA, SETUP, "SELECT * FROM t ORDER BY id", "INSERT OR IGNORE INTO t VALUES (3, 3, x'00')",
                "INSERT INTO t VALUES (3, 'x', 'a')", "UPDATE t SET c1 = x'00' WHERE id = 2");
    }

    @Test
    void theTypeFailsBeforeACheckAndATakenKeyAsInSqlite() throws SQLException {
        same(List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, c0 INTEGER CHECK (c0 <> 5), c1 TEXT UNIQUE) STRICT"), SETUP,
                "SELECT * FROM t ORDER BY id", "INSERT OR IGNORE INTO t VALUES (1, 2, x'00')",
                "INSERT INTO t VALUES (3, 5, x'00')");
    }

    @Test
    void notNullAndATakenKeyComeAfterTheTypeNotBefore() throws SQLException {
        List<String> writes = List.of("INSERT OR IGNORE INTO t VALUES (1, 2, x'00')", "INSERT INTO t VALUES (3, NULL, x'00')",
                "INSERT INTO t VALUES (1, 2, x'00') ON CONFLICT (id) DO UPDATE SET c1 = 'up'",
                "UPDATE OR IGNORE t SET id = 1, c1 = x'00' WHERE id = 2");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
                Node node = new Node(dir, "node")) {
            JdbcRows.exec(plain, SCHEMA.get(0), SETUP.get(0), SETUP.get(1));
            node.exec(SCHEMA.get(0), SETUP.get(0), SETUP.get(1));
            assertThat(writes.stream().map(w -> Node.outcome(plain, w)).toList()).containsExactly("updated 0",
                    "failed: A NOT NULL constraint failed (NOT NULL constraint failed: t.c0)", "updated 1", "updated 0");
            assertThat(writes.stream().map(w -> Node.outcome(node.c, w)).toList())
                    .containsExactly(TYPE_ERROR, TYPE_ERROR, TYPE_ERROR, TYPE_ERROR);
        }
    }
}
