package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.JdbcRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Not as SQLite (ProbeKnown.DANGLING_FOREIGN_KEY, random schema probe, seed 9211): a FOREIGN KEY that names a key its
 * parent table does not have (the parent dropped and made again without it, here keyless: the node gives it a hidden
 * key). SQLite looks for the parent key when a row goes into the parent only in a statement that may write more than
 * one row (a trigger on the table, an INSERT ... SELECT or of several rows); there it fails with {@code foreign key
 * mismatch}. A CRR's capture triggers make every INSERT such a statement, so a one-row INSERT fails on the node where
 * plain SQLite runs it, and fails there too as soon as the table has a trigger of its own.
 */
class ForeignKeyMismatchTest extends PlainDifferentialTest {
    private static final List<String> SCHEMA = List.of("PRAGMA foreign_keys = ON",
            "CREATE TABLE c (k TEXT PRIMARY KEY, f INTEGER REFERENCES p (id))", "CREATE TABLE p (c0 TEXT, c1 NUMERIC)");
    private static final String ONE_ROW = "INSERT INTO p (c1) VALUES (1)";
    private static final String MISMATCH = "failed: [SQLITE_ERROR] SQL error or missing database (foreign key mismatch - \"c\" referencing \"p\")";

    @Test
    void aOneRowInsertIntoTheParentFailsAsWithATriggerOnIt() throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
                Node node = new Node(dir, "node")) {
            JdbcRows.exec(plain, SCHEMA.toArray(String[]::new));
            node.exec(SCHEMA.toArray(String[]::new));
            assertThat(Node.outcome(plain, ONE_ROW)).isEqualTo("updated 1");
            assertThat(Node.outcome(node.c, ONE_ROW)).startsWith(MISMATCH);
            assertThat(Node.outcome(plain, "INSERT INTO p (c1) VALUES (2), (3)")).isEqualTo(MISMATCH);
            assertThat(Node.outcome(node.c, "INSERT INTO p (c1) VALUES (2), (3)")).startsWith(MISMATCH);
            JdbcRows.exec(plain, "CREATE TABLE log (x)", "CREATE TRIGGER tr AFTER INSERT ON p BEGIN INSERT INTO log VALUES (NEW.c1); END");
            assertThat(Node.outcome(plain, ONE_ROW)).isEqualTo(MISMATCH);
            assertThat(node.rows("SELECT count(*) FROM p")).containsExactly(List.of(0L));
        }
    }

    /**
     * Not as SQLite: a FOREIGN KEY that refers to a UNIQUE column besides the parent's primary key. The node enforces
     * the UNIQUE by checks, with a plain index, and SQLite wants a unique index for a parent key: with foreign keys on,
     * every write to either table fails ({@code foreign key mismatch}), and says what to do; nothing is written.
     */
    @Test
    void aForeignKeyToAUniqueColumnBesidesTheKeyFailsAndSaysWhatToDo() throws SQLException {
        List<String> schema = List.of("PRAGMA foreign_keys = ON", "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, code TEXT REFERENCES p (code))");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
                Node node = new Node(dir, "node")) {
            JdbcRows.exec(plain, schema.toArray(String[]::new));
            node.exec(schema.toArray(String[]::new));
            assertThat(Node.outcome(plain, "INSERT INTO p VALUES (1, 'a')")).isEqualTo("updated 1");
            for (String write : List.of("INSERT INTO p VALUES (1, 'a')", "INSERT INTO c VALUES (1, 'a')", "DELETE FROM p")) {
                assertThat(Node.outcome(node.c, write)).startsWith(MISMATCH)
                        .contains("there a FOREIGN KEY can refer only to the primary key");
            }
            assertThat(node.rows("SELECT count(*) FROM p")).containsExactly(List.of(0L));
        }
    }
}
