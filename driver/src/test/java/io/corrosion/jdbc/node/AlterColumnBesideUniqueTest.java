package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RENAME COLUMN and DROP COLUMN on a table whose UNIQUE the driver checks with triggers that also name its other
 * columns (the NOT NULL and CHECK step-asides): they run as on plain SQLite, and the UNIQUE still holds after them.
 * Before, SQLite refused the ALTER on the driver's triggers (found by the random SQL probes).
 */
class AlterColumnBesideUniqueTest extends PlainDifferentialTest {

    @Test
    void renameTheUniqueColumnBesideACheck() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t0 (k TEXT PRIMARY KEY, c0 INTEGER CHECK (c0 <> 4) UNIQUE)",
                "ALTER TABLE t0 RENAME COLUMN c0 TO r2"), List.of("INSERT INTO t0 VALUES ('a', 1)"),
                "SELECT * FROM t0 ORDER BY k", "INSERT INTO t0 VALUES ('b', 1)",
                "INSERT INTO t0 VALUES ('c', 2)");
        assertThat(rows).containsExactly(List.of("a", 1L), List.of("c", 2L));
    }

    @Test
    void dropAColumnThatIsNotNullBesideAUnique() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t2 (k TEXT PRIMARY KEY, c0 NOT NULL DEFAULT 3, c1 UNIQUE)",
                "ALTER TABLE t2 DROP COLUMN c0"), List.of("INSERT INTO t2 (k, c1) VALUES ('a', 1)"),
                "SELECT * FROM t2 ORDER BY k", "INSERT INTO t2 VALUES ('b', 1)", "INSERT INTO t2 VALUES ('c', 2)");
        assertThat(rows).containsExactly(List.of("a", 1L), List.of("c", 2L));
    }

    @Test
    void dropAColumnWithACheckBesideAUniqueIndexInATransaction() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t0 (k TEXT PRIMARY KEY, c0, c1, c2 CHECK (c2 <> 2))",
                "CREATE UNIQUE INDEX ui ON t0 (c0)", "BEGIN", "ALTER TABLE t0 DROP COLUMN c1",
                "ALTER TABLE t0 RENAME TO t1", "COMMIT"), List.of("INSERT INTO t1 VALUES ('a', 1, 1)"),
                "SELECT * FROM t1 ORDER BY k", "INSERT INTO t1 VALUES ('b', 1, 3)", "INSERT INTO t1 VALUES ('c', 2, 3)");
        assertThat(rows).containsExactly(List.of("a", 1L, 1L), List.of("c", 2L, 3L));
    }
}
