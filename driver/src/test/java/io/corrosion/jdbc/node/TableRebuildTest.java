package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table rebuild migrations use where SQLite has no ALTER for a change ({@code CREATE TABLE t_new}, copy,
 * {@code DROP TABLE t}, {@code ALTER TABLE t_new RENAME TO t}), in one transaction as Flyway runs a migration: what the
 * driver keeps right, and the WARN that says what it does not (README, "Table rebuilds").
 */
class TableRebuildTest {
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(SchemaStatements.class.getName(), "io.corrosion.jdbc.crr.Rebuilds");

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void rebuild(Node n, String create, String copy) throws SQLException {
        n.inTransaction(create, copy, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
    }

    /**
     * SQLite names a UNIQUE constraint's index after the table; the driver's stand-in index is a named one, and index
     * names are global: the second rebuild's t_new found the first one's index (now on t) and took it for its own,
     * and the DROP of t took it away with the checks.
     */
    @Test
    void aUniqueColumnStaysUniqueAcrossRepeatedRebuildsAndItsErrorNamesTheTable() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=1")) {
            a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE)", "INSERT INTO t VALUES (1, 'a@x')");
            for (int round = 1; round <= 3; round++) {
                rebuild(a, "CREATE TABLE t_new (id INTEGER PRIMARY KEY, email TEXT UNIQUE, n" + round + " INTEGER)",
                        "INSERT INTO t_new (id, email) SELECT id, email FROM t");
                int r = round;
                assertThatThrownBy(() -> a.exec("INSERT INTO t (id, email) VALUES (" + (10 + r) + ", 'a@x')"))
                        .as("round %d", round).isInstanceOf(SQLException.class)
                        .hasMessageContaining("UNIQUE constraint failed: t.email")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
            }
            assertThat(a.rows("SELECT id, email FROM t")).containsExactly(List.of(1L, "a@x"));
        }
    }

    /** In one transaction a rebuild keeps the table's clocks (INFO); statement by statement it cannot (WARN). */
    @Test
    void aRebuildOfAReplicatedTableIsLoggedAndWarnedOfWhenItsClocksAreLost() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=1")) {
            a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'x')");
            a.exec("ALTER TABLE t RENAME TO u", "ALTER TABLE u RENAME TO t");
            assertThat(logs.events()).noneMatch(e -> e.getLevel() == Level.WARN || e.getFormattedMessage().contains("rebuilt"));

            rebuild(a, "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT '')",
                    "INSERT INTO t_new SELECT * FROM t");
            assertThat(logs.events()).noneMatch(e -> e.getLevel() == Level.WARN);
            assertThat(logs.events()).filteredOn(e -> e.getLevel() == Level.INFO && e.getFormattedMessage()
                    .contains("Table t was rebuilt")).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .contains("t_new renamed to t", "keep their clocks"));

            a.exec("CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT 'y')",
                    "INSERT INTO t_new SELECT * FROM t", "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
            assertThat(logs.events()).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("Table t was rebuilt",
                            "t_new renamed to t", "not in one transaction", "Table rebuilds"));
            assertThat(a.rows("SELECT id, v FROM t")).containsExactly(List.of(1L, "x"));
        }
    }

    /** Dropped and created again in one transaction, but not filled from a copy the driver knows: WARN after it. */
    @Test
    void aTableDroppedAndCreatedAgainWithoutACopyIsWarnedOf() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=1")) {
            a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'x')");
            a.c.setAutoCommit(false);
            a.exec("CREATE TABLE other (id INTEGER PRIMARY KEY)", "DROP TABLE t", "CREATE TABLE t (id INTEGER PRIMARY KEY,"
                    + " v TEXT NOT NULL)", "INSERT INTO t VALUES (1, 'x')");
            a.c.commit();
            a.c.setAutoCommit(true);
            a.exec("INSERT INTO other VALUES (1)");
            assertThat(logs.events()).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("Table t was dropped and created again",
                            "Table rebuilds"));
        }
    }

    /**
     * A table without a primary key gets new hidden keys when its rows are copied, so two nodes' copies would be two
     * sets of rows. Copied with their hidden keys, as the README says, each row stays one row on every node.
     */
    @Test
    void aKeylessTableCopiedWithItsHiddenKeysKeepsOneRowPerRowOnEveryNode() throws SQLException {
        String bag = "CREATE TABLE t (owner INTEGER, item TEXT)";
        String create = "CREATE TABLE t_new (owner INTEGER NOT NULL, item TEXT)";
        String copy = "INSERT INTO t_new (__corrosion_row_id, owner, item) SELECT __corrosion_row_id, owner, item FROM t";
        try (Node a = new Node(dir, "a", "node-slot=1"); Node b = new Node(dir, "b", "node-slot=2")) {
            a.exec(bag, "INSERT INTO t VALUES (1, 'x'), (1, 'y'), (2, 'z')");
            b.exec(bag);
            Node.sync(a, b);
            rebuild(a, create, copy);
            rebuild(b, create, copy);
            Node.sync(a, b);
            List<List<Object>> expected = List.of(List.of(1L, "x"), List.of(1L, "y"), List.of(2L, "z"));
            assertThat(a.rows("SELECT owner, item FROM t ORDER BY owner, item")).isEqualTo(expected);
            assertThat(b.rows("SELECT owner, item FROM t ORDER BY owner, item")).isEqualTo(expected);
        }
    }
}
