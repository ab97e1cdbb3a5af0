package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.JdbcRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UPSERTs ({@code INSERT ... ON CONFLICT}) on replicated tables with a UNIQUE column besides the key, whose uniqueness
 * the driver checks with triggers (UniqueChecks): the same outcome as plain SQLite, which resolves the key's conflict
 * before it checks anything else (found by a randomized differential test: the checks failed such upserts with 23505).
 */
class UpsertUniqueTest {
    private static final String USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, n INTEGER)";
    private static final String TWO_USERS = "INSERT INTO users VALUES (1, 'a@x', 0), (2, 'b@x', 0)";
    private static final String ALL_USERS = "SELECT id, email, n FROM users ORDER BY id";

    @TempDir
    Path dir;
    private int runs;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }


    /**
     * Runs the setup and then the upserts on plain sqlite-jdbc and on a node; the upserts' outcomes and the rows must be
     * the same; then the node's rows must reach a second node unchanged. Returns the outcomes.
     */
    private List<String> same(String ddl, String setup, String rows, String... upserts) throws SQLException {
        runs++;
        List<String> plain = new ArrayList<>();
        List<List<Object>> plainRows;
        try (Connection p = plain("plain" + runs)) {
            JdbcRows.exec(p, ddl, setup);
            for (String u : upserts) {
                plain.add(Node.outcome(p, u));
            }
            plainRows = Node.rows(p, rows);
        }
        try (Node a = new Node(dir, "a" + runs); Node b = new Node(dir, "b" + runs)) {
            a.exec(ddl, setup);
            b.exec(ddl);
            List<String> driver = new ArrayList<>();
            for (String u : upserts) {
                driver.add(Node.outcome(a.c, u));
            }
            for (String other : List.of(setup, String.join("\n", upserts))) {
                for (String statement : other.split("\n")) {
                    if (statement.startsWith("CREATE TABLE")) { // the second node's schema too
                        b.exec(statement);
                    }
                }
            }
            assertThat(driver).as("outcomes through the driver").isEqualTo(plain);
            assertThat(a.rows(rows)).as("rows through the driver").isEqualTo(plainRows);
            a.sendTo(b);
            assertThat(b.rows(rows)).as("rows on a second node").isEqualTo(plainRows);
        }
        return plain;
    }

    private Connection plain(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name + ".db"));
    }

    @Test
    void doNothingOnTheKeyLeavesARowWhoseOtherValueCollides() throws SQLException {
        assertThat(same(USERS, TWO_USERS, ALL_USERS,
                "INSERT INTO users VALUES (1, 'b@x', 5) ON CONFLICT (id) DO NOTHING")).containsExactly("updated 0");
    }

    @Test
    void doUpdateOnTheKeyOfAnotherColumnIgnoresTheProposedCollidingValue() throws SQLException {
        assertThat(same(USERS, TWO_USERS, ALL_USERS,
                "INSERT INTO users VALUES (1, 'b@x', 5) ON CONFLICT (id) DO UPDATE SET n = excluded.n"))
                .containsExactly("updated 1");
    }

    @Test
    void doNothingWithoutATargetSkipsARowThatCollidesOnTheUniqueColumn() throws SQLException {
        assertThat(same(USERS, TWO_USERS, ALL_USERS,
                "INSERT INTO users VALUES (3, 'a@x', 5) ON CONFLICT DO NOTHING",
                "INSERT INTO users VALUES (3, 'a@x', 5), (4, 'c@x', 6), (1, 'z@x', 7) ON CONFLICT DO NOTHING"))
                .containsExactly("updated 0", "updated 1");
    }

    @Test
    void aFreeKeyWhoseUniqueValueCollidesStillFails() throws SQLException {
        assertThat(same(USERS, TWO_USERS, ALL_USERS,
                "INSERT INTO users VALUES (3, 'a@x', 5) ON CONFLICT (id) DO UPDATE SET n = excluded.n",
                "INSERT INTO users VALUES (3, 'a@x', 5) ON CONFLICT (id) DO NOTHING"))
                .containsExactly("failed: UNIQUE constraint failed: users.email",
                        "failed: UNIQUE constraint failed: users.email");
    }

    @Test
    void anUpdateOfTheUpsertThatCollidesFails() throws SQLException {
        assertThat(same(USERS, TWO_USERS, ALL_USERS,
                "INSERT INTO users VALUES (1, 'q@x', 5) ON CONFLICT (id) DO UPDATE SET email = 'b@x'",
                "INSERT INTO users VALUES (1, 'q@x', 5) ON CONFLICT (id) DO UPDATE SET email = excluded.email"))
                .containsExactly("failed: UNIQUE constraint failed: users.email", "updated 1");
    }

    /**
     * The UPSERT's resolution stays with its own table: an INSERT its trigger makes into another table collides as any
     * (from a review: a targetless DO NOTHING skipped the trigger's row and the statement went through).
     */
    @Test
    void aTriggersInsertIntoAnotherTableIsNoUpsert() throws SQLException {
        assertThat(same("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, n INTEGER)",
                "CREATE TABLE audit (id INTEGER PRIMARY KEY, tag TEXT UNIQUE)",
                "SELECT 'a', id, tag FROM audit ORDER BY 2",
                "CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN INSERT INTO audit (id, tag) VALUES (NEW.id, 'same');"
                        + " END",
                "INSERT INTO audit VALUES (9, 'same')",
                "INSERT INTO users VALUES (2, 'b@x', 0) ON CONFLICT DO NOTHING"))
                .containsExactly("updated 0", "updated 1", "failed: UNIQUE constraint failed: audit.tag");
    }

    /** A DO UPDATE that collides fails, whatever a last targetless DO NOTHING says (it covers the INSERT only). */
    @Test
    void aDoUpdateThatCollidesFailsUnderALastDoNothing() throws SQLException {
        assertThat(same(USERS, TWO_USERS, ALL_USERS,
                "INSERT INTO users VALUES (1, 'q@x', 5) ON CONFLICT (id) DO UPDATE SET email = 'b@x' ON CONFLICT DO NOTHING",
                "INSERT INTO users VALUES (3, 'a@x', 5) ON CONFLICT (id) DO UPDATE SET n = 1 ON CONFLICT DO NOTHING"))
                .containsExactly("failed: UNIQUE constraint failed: users.email", "updated 0");
    }

    @Test
    void aTextKeyAndACompositeKey() throws SQLException {
        same("CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL, a INTEGER UNIQUE)", "INSERT INTO t VALUES ('A', 0), ('B', 1)",
                "SELECT k, a FROM t ORDER BY k",
                "INSERT INTO t (k, a) VALUES ('A', 1) ON CONFLICT (k) DO NOTHING",
                "INSERT INTO t (k, a) VALUES ('A', 1) ON CONFLICT (k) DO UPDATE SET a = 7");
        same("CREATE TABLE t (x INTEGER NOT NULL, y TEXT NOT NULL, a TEXT UNIQUE, PRIMARY KEY (x, y)) WITHOUT ROWID",
                "INSERT INTO t VALUES (1, 'p', 'u'), (1, 'q', 'v')", "SELECT x, y, a FROM t ORDER BY x, y",
                "INSERT INTO t VALUES (1, 'p', 'v') ON CONFLICT (x, y) DO NOTHING",
                "INSERT INTO t VALUES (2, 'p', 'v') ON CONFLICT (x, y) DO NOTHING",
                "INSERT INTO t VALUES (2, 'p', 'v') ON CONFLICT DO NOTHING");
    }

    @Test
    void aBatchOfPreparedUpserts() throws SQLException {
        String upsert = "INSERT INTO users (id, email, n) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET n = excluded.n";
        List<List<Object>> expected = null;
        for (boolean driver : new boolean[] {false, true}) {
            runs++;
            try (Connection n = driver ? new Node(dir, "batch" + runs).c : plain("batch" + runs)) {
                JdbcRows.exec(n, USERS, TWO_USERS);
                try (PreparedStatement p = n.prepareStatement(upsert)) {
                    for (Object[] row : new Object[][] {{1, "b@x", 10}, {2, "a@x", 20}, {3, "c@x", 30}}) {
                        for (int i = 0; i < row.length; i++) {
                            p.setObject(i + 1, row[i]);
                        }
                        p.addBatch();
                    }
                    assertThat(Arrays.stream(p.executeBatch()).sum()).isEqualTo(3);
                }
                List<List<Object>> rows = Node.rows(n, ALL_USERS);
                if (expected == null) {
                    expected = rows;
                } else {
                    assertThat(rows).isEqualTo(expected);
                }
            }
        }
        assertThat(expected).containsExactly(List.of(1L, "a@x", 10L), List.of(2L, "b@x", 20L), List.of(3L, "c@x", 30L));
    }

    /** A file whose checks an earlier version made (metadata format 6) gets them made again when the driver opens it. */
    @Test
    void theChecksOfAnEarlierFormatAreMadeAgain() throws SQLException {
        Path file = dir.resolve("old.db");
        try (Node a = new Node(dir, "old")) {
            a.exec(USERS, TWO_USERS);
        }
        CorrosionDriver.shutdownAll();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
            String trigger;
            String sql;
            try (var rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                    + " AND sql LIKE '%crsql_internal_upsert(%'")) {
                assertThat(rs.next()).isTrue();
                trigger = rs.getString(1);
                sql = rs.getString(2);
            }
            String old = sql.replaceFirst(" AND NOT \\(crsql_internal_upsert\\('users'\\) > 0 AND EXISTS \\(SELECT 1 FROM"
                    + " [^)]*\\)\\)", "");
            assertThat(old).isNotEqualTo(sql);
            s.execute("DROP TRIGGER \"" + trigger + "\"");
            s.execute(old);
            s.execute("UPDATE crsql_master SET value = 6 WHERE key = 'corrosion_format'");
        }
        try (Node a = new Node(dir, "old")) {
            assertThat(Node.outcome(a.c, "INSERT INTO users VALUES (1, 'b@x', 5) ON CONFLICT (id) DO UPDATE SET n = excluded.n"))
                    .isEqualTo("updated 1");
            assertThat(Node.outcome(a.c, "INSERT INTO users VALUES (3, 'b@x', 5)"))
                    .isEqualTo("failed: UNIQUE constraint failed: users.email");
            assertThat(a.rows(ALL_USERS)).containsExactly(List.of(1L, "a@x", 5L), List.of(2L, "b@x", 0L));
        }
    }
}
