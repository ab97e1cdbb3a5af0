package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trigger whose body inserts into a table that was dropped and created again with another key (or none of its own)
 * after the trigger: its INSERT works against the new table as on plain SQLite, and the rows replicate. Before, the
 * body the driver stored named the old table's key column (the hidden {@code __corrosion_row_id} of a table without a
 * key, or its {@code INTEGER PRIMARY KEY}) for the node-private key it gives the rows, and failed with "table t0 has no
 * column named ..." (found by the random SQL probes); it names the key as the rowid now, first in the column list.
 */
class TriggerIntoRecreatedTableTest extends PlainDifferentialTest {
    private static final String SOURCE = "CREATE TABLE t2 (c1, c2)";

    /** t0 as {@code before}, a trigger on t2 inserting {@code insert} into it, then t0 dropped and created as {@code after}. */
    private static List<String> recreated(String before, String insert, String after) {
        List<String> schema = new ArrayList<>();
        schema.add(before);
        schema.add(SOURCE);
        schema.add("CREATE TRIGGER tr AFTER INSERT ON t2 BEGIN " + insert + "; END");
        schema.add("DROP TABLE t0");
        schema.add(after);
        return schema;
    }

    @Test
    void aKeylessTableCreatedAgainWithTheKeyTheBodyNames() throws SQLException {
        List<List<Object>> rows = same(recreated("CREATE TABLE t0 (c0)", "INSERT INTO t0 (c0) VALUES (NEW.c1)",
                "CREATE TABLE t0 (c0 INTEGER PRIMARY KEY)"), List.of(), "SELECT * FROM t0 ORDER BY c0",
                "INSERT INTO t2 VALUES (5, 1)", "INSERT INTO t2 VALUES (5, 2)", "INSERT INTO t2 VALUES (NULL, 3)");
        assertThat(rows).containsExactly(List.of(5L), List.of(6L));
    }

    @Test
    void aKeylessTableCreatedAgainWithAKeyTheBodyLeavesOut() throws SQLException {
        List<List<Object>> rows = same(recreated("CREATE TABLE t0 (c0)", "INSERT INTO t0 (c0) VALUES (NEW.c1)",
                "CREATE TABLE t0 (k INTEGER PRIMARY KEY, c0)"), List.of(), "SELECT c0 FROM t0 ORDER BY c0",
                "INSERT INTO t2 VALUES (5, 1)", "INSERT INTO t2 VALUES (5, 2)");
        assertThat(rows).containsExactly(List.of(5L), List.of(5L));
    }

    @Test
    void aKeyedTableCreatedAgainWithoutAKey() throws SQLException {
        List<List<Object>> rows = same(recreated("CREATE TABLE t0 (id INTEGER PRIMARY KEY, c0)",
                "INSERT INTO t0 (c0) VALUES (NEW.c1)", "CREATE TABLE t0 (c0)"), List.of(), "SELECT * FROM t0 ORDER BY c0",
                "INSERT INTO t2 VALUES (5, 1)", "INSERT INTO t2 VALUES (6, 2)");
        assertThat(rows).containsExactly(List.of(5L), List.of(6L));
    }

    @Test
    void aKeyedTableCreatedAgainWithAKeyOfAnotherName() throws SQLException {
        List<List<Object>> rows = same(recreated("CREATE TABLE t0 (id INTEGER PRIMARY KEY, c0)",
                "INSERT INTO t0 (c0) SELECT NEW.c1 UNION ALL SELECT NEW.c2", "CREATE TABLE t0 (k INTEGER PRIMARY KEY, c0)"),
                List.of(), "SELECT c0 FROM t0 ORDER BY c0", "INSERT INTO t2 VALUES (5, 1)");
        assertThat(rows).containsExactly(List.of(1L), List.of(5L));
    }

    @Test
    void aKeylessTablesRowsWithoutAColumnList() throws SQLException {
        List<List<Object>> rows = same(recreated("CREATE TABLE t0 (c0, c3)", "INSERT INTO t0 VALUES (NEW.c1, NEW.c2)",
                "CREATE TABLE t0 (c0 INTEGER PRIMARY KEY, c3)"), List.of(), "SELECT * FROM t0 ORDER BY c0",
                "INSERT INTO t2 VALUES (5, 1)", "INSERT INTO t2 VALUES (5, 2)", "INSERT INTO t2 VALUES (7, 3)");
        assertThat(rows).containsExactly(List.of(5L, 1L), List.of(7L, 3L));
    }
}
