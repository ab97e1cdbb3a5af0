package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UNIQUE across table rebuilds and renames: named, composite and partial ones (from a review). */
class UniqueRebuildTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void rebuild(Node n, String create, String copy) throws SQLException {
        n.c.setAutoCommit(false);
        n.exec(create, copy, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        n.c.commit();
        n.c.setAutoCommit(true);
    }

    private static void refused(Node n, String sql, String message) {
        assertThatThrownBy(() -> n.exec(sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining(message)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((SQLException) e).getSQLState())
                        .isEqualTo("23505"));
    }

    @Test
    void aPartialUniqueIndexHoldsAcrossARenameAndNamesTheNewTable() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=1")) {
            a.exec("CREATE TABLE Person (id INTEGER PRIMARY KEY, email TEXT, active INTEGER)",
                    "CREATE UNIQUE INDEX person_active_email ON Person (email) WHERE active = 1",
                    "INSERT INTO Person VALUES (1, 'a@x', 1)");
            a.exec("ALTER TABLE Person RENAME TO People");
            refused(a, "INSERT INTO People VALUES (2, 'a@x', 1)", "UNIQUE constraint failed: People.email");
            a.exec("INSERT INTO People VALUES (3, 'a@x', 0)");
        }
    }

    @Test
    void namedAndCompositeConstraintsHoldAcrossRepeatedRebuilds() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=1")) {
            String cols = " (id INTEGER PRIMARY KEY, a TEXT, b TEXT, email TEXT, CONSTRAINT uq_ab UNIQUE (a, b),"
                    + " CONSTRAINT uq_email UNIQUE (email))";
            a.exec("CREATE TABLE other (id INTEGER PRIMARY KEY, x TEXT)", "CREATE INDEX t_new_a_b_unique ON other (x)");
            a.exec("CREATE TABLE t" + cols, "INSERT INTO t VALUES (1, 'p', 'q', 'a@x')");
            for (int round = 1; round <= 3; round++) {
                rebuild(a, "CREATE TABLE t_new" + cols, "INSERT INTO t_new SELECT * FROM t");
                refused(a, "INSERT INTO t VALUES (" + (10 + round) + ", 'p', 'q', 'new" + round + "')",
                        "UNIQUE constraint failed: t.a, t.b");
                refused(a, "INSERT INTO t VALUES (" + (20 + round) + ", 'p', 'z" + round + "', 'a@x')",
                        "UNIQUE constraint failed: t.email");
                a.exec("INSERT INTO t VALUES (" + (30 + round) + ", 'r" + round + "', 's', 'e" + round + "')");
                refused(a, "UPDATE t SET email = 'a@x' WHERE id = " + (30 + round), "UNIQUE constraint failed: t.email");
            }
        }
    }

    @Test
    void aRenamedColumnIsNamedByItsNewNameWhenItsValueCollides() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=1")) {
            a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, mail TEXT UNIQUE, k TEXT, n TEXT)",
                    "CREATE UNIQUE INDEX t_k_n ON t (k, n) WHERE k != 'z'", "INSERT INTO t VALUES (1, 'a@x', 'p', 'q')");
            a.exec("ALTER TABLE t RENAME COLUMN mail TO email", "ALTER TABLE t RENAME COLUMN n TO m");
            refused(a, "INSERT INTO t VALUES (2, 'a@x', 'r', 's')", "UNIQUE constraint failed: t.email");
            refused(a, "INSERT INTO t VALUES (3, 'b@x', 'p', 'q')", "UNIQUE constraint failed: t.k, t.m");
            a.exec("INSERT INTO t VALUES (4, 'c@x', 'z', 'q')", "INSERT INTO t VALUES (5, 'd@x', 'z', 'q')");
            refused(a, "UPDATE t SET email = 'a@x' WHERE id = 4", "UNIQUE constraint failed: t.email");
        }
    }
}
