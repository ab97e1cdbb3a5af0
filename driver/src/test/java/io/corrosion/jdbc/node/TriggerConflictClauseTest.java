package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.JdbcRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A conflict clause ({@code INSERT OR IGNORE}, {@code REPLACE INTO}, {@code UPDATE OR ...}) or an UPSERT on a statement
 * in a trigger's body resolves that statement's collisions on a UNIQUE column of a replicated table, as in plain
 * SQLite: the statement that fired the trigger decides instead if it has a clause of its own, the outermost clause of
 * nested triggers wins (TriggerConflictRewrite, UniqueChecks). Each write has the same outcome and leaves the same rows
 * as on plain sqlite-jdbc, and the rows reach a second node unchanged.
 */
class TriggerConflictClauseTest extends PlainDifferentialTest {
    private static final List<String> TAGS = List.of("CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT UNIQUE)",
            "CREATE TABLE post (id INTEGER PRIMARY KEY, tag TEXT)");
    /** The posts and the tags, without the keys the driver allocates. */
    private static final String POSTS_AND_TAGS =
            "SELECT 'post', tag FROM post UNION ALL SELECT 'tag', name FROM tag ORDER BY 1, 2";

    private static List<String> with(List<String> schema, String... more) {
        return Stream.concat(schema.stream(), Stream.of(more)).toList();
    }

    @Test
    void anInsertOrIgnoreInATriggerBodySkipsTheTagThatIsThere() throws SQLException {
        assertThat(same(with(TAGS, "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN"
                        + " INSERT OR IGNORE INTO tag (name) VALUES (new.tag); END"), List.of(), POSTS_AND_TAGS,
                "INSERT INTO post (tag) VALUES ('a')", "INSERT INTO post (tag) VALUES ('a')",
                "INSERT INTO post (tag) VALUES ('b')"))
                .containsExactly(List.of("post", "a"), List.of("post", "a"), List.of("post", "b"), List.of("tag", "a"),
                        List.of("tag", "b"));
    }

    @Test
    void anUpsertDoNothingInATriggerBodySkipsTheTagThatIsThere() throws SQLException {
        assertThat(same(with(TAGS, "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN"
                        + " INSERT INTO tag (name) VALUES (new.tag) ON CONFLICT DO NOTHING; END"), List.of(), POSTS_AND_TAGS,
                "INSERT INTO post (tag) VALUES ('a')", "INSERT INTO post (tag) VALUES ('a')"))
                .containsExactly(List.of("post", "a"), List.of("post", "a"), List.of("tag", "a"));
    }

    /** The bracket names the UPSERT's table in a string, which SQLite's rename does not change: the driver does. */
    @Test
    void anUpsertInATriggerBodyFollowsItsTablesRename() throws SQLException {
        assertThat(same(with(TAGS, "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN"
                        + " INSERT INTO tag (name) VALUES (new.tag) ON CONFLICT DO NOTHING; END",
                        "ALTER TABLE tag RENAME TO tags"), List.of(), POSTS_AND_TAGS.replace("FROM tag ", "FROM tags "),
                "INSERT INTO post (tag) VALUES ('a')", "INSERT INTO post (tag) VALUES ('a')"))
                .containsExactly(List.of("post", "a"), List.of("post", "a"), List.of("tag", "a"));
    }

    /** SQLite resolves the key of an UPSERT's row first: the row's other values are not checked then. */
    @Test
    void anUpsertDoUpdateInATriggerBodyResolvesATakenKey() throws SQLException {
        List<String> schema = List.of("CREATE TABLE tag (name TEXT PRIMARY KEY, n INTEGER, code TEXT UNIQUE)",
                "CREATE TABLE post (id INTEGER PRIMARY KEY, tag TEXT, code TEXT)",
                "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN INSERT INTO tag (name, n, code)"
                        + " VALUES (new.tag, 1, new.code) ON CONFLICT (name) DO UPDATE SET n = n + 1; END");
        assertThat(same(schema, List.of("INSERT INTO tag VALUES ('a', 1, 'A'), ('b', 1, 'B')"),
                "SELECT name, n, code FROM tag ORDER BY name",
                "INSERT INTO post (tag, code) VALUES ('a', 'B')", "INSERT INTO post (tag, code) VALUES ('c', 'B')"))
                .containsExactly(List.of("a", 2L, "A"), List.of("b", 1L, "B"));
    }

    /** The row an OR REPLACE in a body takes away is a captured delete: it replicates. */
    @Test
    void anInsertOrReplaceInATriggerBodyDeletesTheOtherRowAndTheDeleteReplicates() throws SQLException {
        List<String> schema = List.of("CREATE TABLE t1 (id INTEGER PRIMARY KEY, b TEXT UNIQUE)",
                "CREATE TABLE t2 (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER g AFTER INSERT ON t2 BEGIN INSERT OR REPLACE INTO t1 (id, b) VALUES (new.id, new.v); END",
                "CREATE TRIGGER h AFTER UPDATE ON t2 BEGIN REPLACE INTO t1 (id, b) VALUES (new.id, new.v); END");
        assertThat(same(schema, List.of("INSERT INTO t1 VALUES (5, 'x'), (6, 'y'), (7, 'z')"), "SELECT * FROM t1 ORDER BY id",
                "INSERT INTO t2 VALUES (1, 'x')", "INSERT INTO t2 VALUES (2, 'w')", "UPDATE t2 SET v = 'y' WHERE id = 2"))
                .containsExactly(List.of(1L, "x"), List.of(2L, "y"), List.of(7L, "z"));
        try (Node a = new Node(dir, "run" + runs + "-a")) {
            assertThat(a.rows("SELECT cl FROM crsql_changes WHERE \"table\" = 't1' AND cid = '-1'"
                    + " AND pk IN (crsql_pack_columns(5), crsql_pack_columns(6)) ORDER BY pk"))
                    .containsExactly(List.of(2L), List.of(2L));
        }
    }

    @Test
    void anUpdateOrIgnoreInATriggerBodyLeavesTheRow() throws SQLException {
        List<String> schema = List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE)",
                "CREATE TABLE cmd (id INTEGER PRIMARY KEY, target INTEGER, u TEXT)",
                "CREATE TRIGGER g AFTER INSERT ON cmd BEGIN UPDATE OR IGNORE t SET u = new.u WHERE id = new.target; END");
        assertThat(same(schema, List.of("INSERT INTO t VALUES (1, 'a'), (2, 'b')"),
                "SELECT 't', id, u FROM t UNION ALL SELECT 'cmd', id, u FROM cmd ORDER BY 1, 2",
                "INSERT INTO cmd VALUES (1, 2, 'a')", "INSERT INTO cmd VALUES (2, 2, 'c')"))
                .containsExactly(List.of("cmd", 1L, "a"), List.of("cmd", 2L, "c"), List.of("t", 1L, "a"),
                        List.of("t", 2L, "c"));
    }

    @Test
    void updateOrFailRollbackAndAbortInATriggerBodyFailAsInSqlite() throws SQLException {
        for (String clause : List.of("FAIL", "ROLLBACK", "ABORT", "REPLACE")) {
            List<String> schema = List.of("CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE)",
                    "CREATE TABLE cmd (id INTEGER PRIMARY KEY, v TEXT)",
                    "CREATE TRIGGER g AFTER INSERT ON cmd BEGIN UPDATE OR " + clause + " t"
                            + " SET u = CASE id WHEN 2 THEN new.v ELSE 'a' END WHERE id >= 2; END");
            same(schema, List.of("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"),
                    "SELECT 't', id, u FROM t UNION ALL SELECT 'cmd', id, v FROM cmd ORDER BY 1, 2",
                    "INSERT INTO cmd VALUES (1, 'x')", "INSERT OR IGNORE INTO cmd VALUES (2, 'y')");
        }
    }

    /** The clause of the statement that fired the trigger wins over the body's, as SQLite's documentation says. */
    @Test
    void theFiringStatementsClauseOverridesTheBodys() throws SQLException {
        List<String> ignoring = with(TAGS, "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN"
                + " INSERT OR IGNORE INTO tag (name) VALUES (new.tag); END");
        List<String> plain = with(TAGS, "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN"
                + " INSERT INTO tag (name) VALUES (new.tag); END");
        List<String> setup = List.of("INSERT INTO tag (id, name) VALUES (100, 'a')");
        String rows = "SELECT 'post', id, tag FROM post UNION ALL SELECT 'tag', id = 100, name FROM tag ORDER BY 1, 2";
        assertThat(same(ignoring, setup, rows, "INSERT OR ABORT INTO post (id, tag) VALUES (1, 'a')",
                "INSERT OR REPLACE INTO post (id, tag) VALUES (2, 'a')"))
                .containsExactly(List.of("post", 2L, "a"), List.of("tag", 0L, "a"));
        assertThat(same(plain, setup, rows, "INSERT INTO post (id, tag) VALUES (1, 'a')",
                "INSERT OR IGNORE INTO post (id, tag) VALUES (2, 'a')", "INSERT OR FAIL INTO post (id, tag) VALUES (3, 'a')"))
                .containsExactly(List.of("post", 2L, "a"), List.of("post", 3L, "a"), List.of("tag", 1L, "a")); // FAIL keeps
    }

    /** Nested triggers: the outermost explicit clause of the chain that led to the write resolves it. */
    @Test
    void theOutermostClauseOfNestedTriggersWins() throws SQLException {
        List<String> schema = List.of("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE c (id INTEGER PRIMARY KEY, u TEXT UNIQUE)",
                "CREATE TABLE d (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER ta AFTER INSERT ON a BEGIN INSERT OR IGNORE INTO b VALUES (new.id, new.v); END",
                "CREATE TRIGGER tb AFTER INSERT ON b BEGIN INSERT OR REPLACE INTO c VALUES (new.id, new.v); END",
                // a plain statement after a bracketed one: its frame is gone, so it fails
                "CREATE TRIGGER td AFTER INSERT ON d BEGIN INSERT OR IGNORE INTO b VALUES (new.id, new.v);"
                        + " INSERT INTO c VALUES (new.id + 1000, 'x'); END");
        assertThat(same(schema, List.of("INSERT INTO c VALUES (100, 'x')"),
                "SELECT 'b', id, v FROM b UNION ALL SELECT 'c', id, u FROM c ORDER BY 1, 2",
                "INSERT INTO a VALUES (1, 'x')", "INSERT INTO b VALUES (2, 'x')", "INSERT INTO d VALUES (3, 'q')"))
                .containsExactly(List.of("b", 1L, "x"), List.of("b", 2L, "x"), List.of("c", 2L, "x"));
    }

    /** The brackets run in merges too (application triggers fire there): the merge goes through. */
    @Test
    void aBracketedTriggerFiresInAMerge() throws SQLException {
        String[] schema = with(TAGS, "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN"
                + " INSERT OR IGNORE INTO tag (name) VALUES (new.tag); END").toArray(String[]::new);
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(schema).exec("INSERT INTO post (tag) VALUES ('a')", "INSERT INTO post (tag) VALUES ('a')");
            b.exec(schema);
            assertThat(a.sendTo(b)).isPositive();
            assertThat(b.rows("SELECT tag FROM post")).containsExactly(List.of("a"), List.of("a"));
            assertThat(Node.outcome(b.c, "INSERT INTO post (tag) VALUES ('a')")).isEqualTo("updated 1");
        }
    }

    /**
     * A RAISE(IGNORE) in a nested trigger's bracketed statement skips that statement's pop, and the trigger that fired
     * it goes on with its next statement: the pop of its own bracket takes both frames, and its plain INSERT after that
     * fails as in SQLite instead of resolving by the clause that ended.
     */
    @Test
    void aRaiseIgnoreInANestedTriggerLeavesNoClauseBehind() throws SQLException {
        List<String> schema = List.of("CREATE TABLE src (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE mid (id INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE c (id INTEGER PRIMARY KEY, u TEXT UNIQUE)",
                "CREATE TABLE log (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER ts AFTER INSERT ON src BEGIN INSERT OR IGNORE INTO mid VALUES (new.id, new.v);"
                        + " INSERT INTO c VALUES (new.id, new.v); END",
                "CREATE TRIGGER tm AFTER INSERT ON mid BEGIN INSERT OR REPLACE INTO log SELECT new.id, new.v"
                        + " WHERE new.v != 'skip' OR RAISE(IGNORE); END");
        assertThat(same(schema, List.of("INSERT INTO c VALUES (100, 'skip'), (101, 'keep')"),
                "SELECT 'c', id, u FROM c UNION ALL SELECT 'mid', id, v FROM mid ORDER BY 1, 2",
                "INSERT INTO src VALUES (1, 'skip')", "INSERT INTO src VALUES (2, 'keep')", "INSERT INTO src VALUES (3, 'new')"))
                .containsExactly(List.of("c", 3L, "new"), List.of("c", 100L, "skip"), List.of("c", 101L, "keep"),
                        List.of("mid", 3L, "new"));
    }

    /**
     * A body statement that fails leaves its clause behind (its pop does not run): the next statement, in the same
     * transaction, resolves by its own clause, not by the failed one's.
     */
    @Test
    void aFailedBodyStatementsClauseDoesNotOutliveItsStatement() throws SQLException {
        String[] schema = {"CREATE TABLE t1 (id INTEGER PRIMARY KEY, b TEXT UNIQUE)",
                "CREATE TABLE t2 (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TRIGGER guard BEFORE INSERT ON t1 WHEN new.b = 'bad' BEGIN SELECT RAISE(ABORT, 'bad value'); END",
                "CREATE TRIGGER g AFTER INSERT ON t2 BEGIN INSERT OR IGNORE INTO t1 (id, b) VALUES (new.id, new.v); END",
                "INSERT INTO t1 VALUES (5, 'x')"};
        String[] writes = {"INSERT INTO t2 VALUES (1, 'bad')", "INSERT INTO t1 VALUES (6, 'x')",
                "INSERT INTO t1 VALUES (7, 'y'), (8, 'x')"};
        List<String> plain = new ArrayList<>();
        List<List<Object>> plainRows;
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            JdbcRows.exec(p, schema);
            plain.addAll(inTransaction(p, writes));
            plainRows = Node.rows(p, "SELECT * FROM t1 ORDER BY id");
        }
        assertThat(plain.get(0)).contains("bad value");
        assertThat(plain.subList(1, 3)).containsOnly("failed: UNIQUE constraint failed: t1.b");
        try (Node a = new Node(dir, "a")) {
            a.exec(schema);
            List<String> driver = inTransaction(a.c, writes);
            assertThat(driver.get(0)).contains("bad value");
            assertThat(driver.subList(1, 3)).isEqualTo(plain.subList(1, 3));
            assertThat(a.rows("SELECT * FROM t1 ORDER BY id")).isEqualTo(plainRows).containsExactly(List.of(5L, "x"));
        }
    }

    private static List<String> inTransaction(Connection c, String... writes) throws SQLException {
        c.setAutoCommit(false);
        List<String> out = new ArrayList<>();
        for (String w : writes) {
            out.add(Node.outcome(c, w));
        }
        c.commit();
        c.setAutoCommit(true);
        return out;
    }

    /**
     * A file an earlier version made (metadata format 8) has triggers without the brackets: opening it brackets them,
     * keeps the order the application's triggers fire in, and the driver's capture still fires first.
     */
    @Test
    void theTriggersOfAnEarlierFormatSeeTheirClausesAfterTheUpgrade() throws SQLException {
        List<String> schema = with(TAGS, "CREATE TABLE log (v TEXT PRIMARY KEY, n INTEGER)",
                "CREATE TRIGGER post_tag AFTER INSERT ON post BEGIN INSERT OR IGNORE INTO tag (name) VALUES (new.tag);"
                        + " INSERT INTO log VALUES ('tag ' || new.id, (SELECT count(*) FROM log)); END",
                "CREATE TRIGGER post_log AFTER INSERT ON post BEGIN"
                        + " INSERT INTO log VALUES ('log ' || new.id, (SELECT count(*) FROM log)); END");
        String[] writes = {"INSERT INTO post (id, tag) VALUES (1, 'a')", "INSERT INTO post (id, tag) VALUES (2, 'a')"};
        String rows = POSTS_AND_TAGS.replace(" ORDER BY", " UNION ALL SELECT v, n FROM log ORDER BY");
        List<String> plain = new ArrayList<>();
        List<List<Object>> plainRows;
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            JdbcRows.exec(p, schema.toArray(String[]::new));
            for (String w : writes) {
                plain.add(Node.outcome(p, w));
            }
            plainRows = Node.rows(p, rows);
        }
        try (Node a = new Node(dir, "old")) {
            a.exec(schema.toArray(String[]::new));
        }
        CorrosionDriver.shutdownAll();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("old.db"));
                Statement s = raw.createStatement()) {
            // the triggers of post as format 8 made them, in the same order: the application's without the brackets
            List<List<Object>> triggers = Node.rows(raw, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                    + " AND tbl_name = 'post' ORDER BY rowid");
            assertThat(triggers.stream().map(t -> (String) t.get(1)).filter(sql -> sql.contains("crsql_internal_conflict_push")))
                    .as("every write of a body bracketed").hasSize(2);
            for (List<Object> t : triggers) {
                s.execute("DROP TRIGGER \"" + t.get(0) + "\"");
            }
            for (List<Object> t : triggers) {
                s.execute(((String) t.get(1)).replaceAll("SELECT crsql_internal_conflict_push\\([^)]*\\); ", "")
                        .replaceAll("; SELECT crsql_internal_conflict_pop\\([^)]*\\)", ""));
            }
            assertThat(Node.rows(raw, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%crsql_internal_conflict_p%'"))
                    .containsExactly(List.of(0L));
            s.execute("UPDATE crsql_master SET value = 8 WHERE key = 'corrosion_format'");
        }
        try (Node a = new Node(dir, "old"); Node b = new Node(dir, "b")) {
            b.exec(TAGS.toArray(String[]::new)).exec("CREATE TABLE log (v TEXT PRIMARY KEY, n INTEGER)");
            List<String> driver = new ArrayList<>();
            for (String w : writes) {
                driver.add(Node.outcome(a.c, w));
            }
            assertThat(driver).isEqualTo(plain).containsOnly("updated 1");
            assertThat(a.rows(rows)).isEqualTo(plainRows);
            a.sendTo(b);
            assertThat(b.rows(rows)).as("captured and merged").isEqualTo(plainRows);
        }
    }

    /**
     * The outer statement's clause reaches a trigger's body through INSERTs and UPDATEs, not through a DELETE: SQLite
     * fires the DELETE's triggers with their own clauses (random schema probe, seed 32589).
     */
    @Test
    void aDeleteInATriggerBodyPassesNoClauseToTheTriggersItFires() throws SQLException {
        List<String> schema = List.of("CREATE TABLE t0 (id INTEGER PRIMARY KEY, c1 TEXT UNIQUE)", "CREATE TABLE t4 (c0 INTEGER)",
                "CREATE TABLE t14 (id INTEGER PRIMARY KEY, c0 TEXT)",
                "CREATE TRIGGER tr6 AFTER DELETE ON t4 BEGIN INSERT OR REPLACE INTO t0 (id, c1) VALUES (100 + OLD.c0, 'd'); END",
                "CREATE TRIGGER tr18 BEFORE INSERT ON t14 BEGIN DELETE FROM t4 WHERE c0 = NEW.c0; END",
                "CREATE TRIGGER tr19 AFTER UPDATE ON t14 BEGIN INSERT OR REPLACE INTO t0 (id, c1) VALUES (200, 'd'); END");
        assertThat(same(schema, List.of("INSERT INTO t0 VALUES (4, 'd')", "INSERT INTO t4 VALUES (1), (2)"),
                "SELECT * FROM t0 ORDER BY id", "INSERT OR IGNORE INTO t14 VALUES (1, 1)", "UPDATE OR IGNORE t14 SET c0 = 5",
                "INSERT OR ABORT INTO t14 VALUES (2, 2)")).containsExactly(List.of(102L, "d"));
    }
}
