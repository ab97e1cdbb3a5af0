package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ALTER TABLE ... DROP COLUMN} of the only column of a table without a key of its own, or of its last column
 * that is not generated: refused as plain SQLite refuses it (same text, same SQLState), nothing dropped, and the table
 * goes on replicating. Before, the node dropped it: the table's hidden key {@code __corrosion_row_id} counted as the
 * other column SQLite wants (found by the random SQL probes). Successful ALTERs are in the schema: plain sqlite-jdbc's
 * update count of one repeats the statement before it.
 */
class DropOnlyColumnTest extends PlainDifferentialTest {

    /** Keyless tables t1 whose only column is c0: as created, left so by an earlier drop, and with an index on it. */
    static Stream<List<String>> tablesWithOneColumn() {
        return Stream.of(List.of("CREATE TABLE t1 (c0)"), List.of("CREATE TABLE t1 (c1, c0)", "ALTER TABLE t1 DROP c1"),
                List.of("CREATE TABLE t1 (c0)", "CREATE INDEX i1 ON t1 (c0)"));
    }

    @ParameterizedTest
    @MethodSource("tablesWithOneColumn")
    void theOnlyColumnOfAKeylessTableStays(List<String> schema) throws SQLException {
        List<List<Object>> rows = same(schema, List.of("INSERT INTO t1 (c0) VALUES (1)"), "SELECT * FROM t1 ORDER BY c0",
                "ALTER TABLE t1 DROP COLUMN c0", "ALTER TABLE \"T1\" DROP \"C0\"", "ALTER TABLE t1 DROP COLUMN c9",
                "INSERT INTO t1 VALUES (2)");
        assertThat(rows).containsExactly(List.of(1L), List.of(2L));
    }

    @Test
    void theLastColumnThatIsNotGeneratedStays() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t1 (c0, c1 AS (c0 * 2), c2 AS (7) STORED)"),
                List.of("INSERT INTO t1 VALUES (1)"), "SELECT * FROM t1 ORDER BY c0", "ALTER TABLE t1 DROP COLUMN c0",
                "INSERT INTO t1 VALUES (2)");
        assertThat(rows).containsExactly(List.of(1L, 2L, 7L), List.of(2L, 4L, 7L));
    }

    @Test
    void aKeylessTableWithTwoColumnsStillDropsOne() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t1 (c0, c1)", "ALTER TABLE t1 DROP COLUMN c1"),
                List.of("INSERT INTO t1 VALUES (1)"), "SELECT * FROM t1 ORDER BY c0", "INSERT INTO t1 VALUES (2)");
        assertThat(rows).containsExactly(List.of(1L), List.of(2L));
    }

    /**
     * Dropped one by one in one string ({@code executeUpdate} runs every statement of it), the second drop is refused
     * as in SQLite; the driver runs a string of schema statements as one unit, so the first is undone with it (plain
     * SQLite keeps it).
     */
    @Test
    void dropsOfEveryColumnInOneStringAreRefusedAndUndone() throws SQLException {
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec("CREATE TABLE t1 (c0, c1)", "INSERT INTO t1 VALUES (1, 2)");
            b.exec("CREATE TABLE t1 (c0, c1)");
            assertThatThrownBy(() -> a.c.createStatement().executeUpdate(
                    "ALTER TABLE t1 DROP COLUMN c0; ALTER TABLE t1 DROP COLUMN c1")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("cannot drop column \"c1\": no other columns exist")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("HY000");
            a.exec("INSERT INTO t1 VALUES (3, 4)").sendTo(b);
            assertThat(b.rows("SELECT * FROM t1 ORDER BY c0")).containsExactly(List.of(1L, 2L), List.of(3L, 4L));
        }
    }
}
