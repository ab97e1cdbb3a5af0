package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.MissingSchemaException;
import io.corrosion.jdbc.crr.PackedColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cr-sqlite's SQL surface and the Java API beside it, through jdbc:corrosion:. */
class CrrApiThroughDriverTest {
    private static final String DDL = "create table t (id integer primary key, a text, b int)";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void siteIdAndDbVersionAgreeInSqlAndJava() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL);
            assertThat(a.scalar("select hex(crsql_site_id())")).isEqualTo(HexFormat.of().withUpperCase().formatHex(a.crr.siteId()));
            assertThat(a.crr.siteId()).hasSize(16);
            assertThat(a.crr.dbVersion()).isZero();
            a.exec("insert into t values (1, 'x', 1)", "insert into t values (2, 'y', 2)");
            assertThat(a.crr.dbVersion()).isEqualTo(2).isEqualTo(a.scalar("select crsql_db_version()"));

            a.c.setAutoCommit(false);
            a.exec("update t set a = 'gone' where id = 1", "delete from t where id = 2");
            a.c.rollback();
            a.c.setAutoCommit(true);
            assertThat(a.crr.dbVersion()).as("a rollback leaves no trace").isEqualTo(2);
            assertThat(a.rows("select pk, cid, val, db_version from crsql_changes order by db_version, seq"))
                    .containsExactly(List.of("010901", "a", "x", 1L), List.of("010901", "b", 1L, 1L),
                            List.of("010902", "a", "y", 2L), List.of("010902", "b", 2L, 2L));
            a.exec("update t set b = 9 where id = 2");
            assertThat(a.crr.changes(a.crr.siteId(), 3, 3)).extracting(Change::cid, Change::val).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("b", 9L));
            assertThat(a.crr.changesSince(2)).hasSize(1);
            assertThat(a.rows("select count(*) from crsql_db_versions where db_version = 3")).containsExactly(List.of(1L));
        }
    }

    @Test
    void crsqlChangesAnswersAnyPredicate() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (1, 'x', 1), (2, 'y', 2)", "delete from t where id = 2",
                    "update t set a = 'z' where id = 1");
            assertThat(a.rows("select cid, val from crsql_changes where val like 'z%' or (cl % 2 = 0 and pk = x'010902') order by cid"))
                    .containsExactly(Arrays.asList("-1", null), List.of("a", "z"));
            assertThat(a.scalar("select count(*) from crsql_changes where site_id = crsql_site_id() and db_version between 2 and 3"))
                    .isEqualTo(2L);
        }
    }

    @Test
    void insertIntoCrsqlChangesMergesSingleRowsMultiRowValuesAndBatchesAtomically() throws SQLException {
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b"); Node c = new Node(dir, "c"); Node d = new Node(dir, "d")) {
            for (Node n : List.of(a, b, c, d)) {
                n.exec(DDL);
            }
            a.exec("insert into t values (1, 'x', 1), (2, 'y', 2)");
            List<Change> changes = a.crr.changesSince(0);

            StringBuilder values = new StringBuilder();
            for (Change ch : changes) {
                values.append(values.length() == 0 ? "" : ", ").append("('t', x'").append(HexFormat.of().formatHex(ch.pk()))
                        .append("', '").append(ch.cid()).append("', ").append(ch.val() instanceof String s ? "'" + s + "'" : ch.val())
                        .append(", ").append(ch.colVersion()).append(", ").append(ch.dbVersion()).append(", x'")
                        .append(HexFormat.of().formatHex(ch.siteId())).append("', ").append(ch.cl()).append(", ").append(ch.seq()).append(")");
            }
            b.exec("insert into crsql_changes (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq) values " + values);
            assertThat(b.rows("select * from t order by id")).isEqualTo(a.rows("select * from t order by id"));

            c.c.setAutoCommit(false);
            try (PreparedStatement p = c.c.prepareStatement(Change.INSERT_SQL)) {
                for (Change ch : changes) {
                    ch.bind(p);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).containsOnly(1).hasSize(4);
            }
            assertThat(c.scalar("select crsql_rows_impacted()")).isEqualTo(4L);
            c.c.rollback();
            assertThat(c.scalar("select count(*) from t")).as("merged in the caller's transaction").isEqualTo(0L);
            try (PreparedStatement p = c.c.prepareStatement(Change.INSERT_SQL)) {
                for (Change ch : changes) {
                    ch.bind(p);
                    assertThat(p.executeUpdate()).isEqualTo(1);
                }
            }
            c.c.commit();
            c.c.setAutoCommit(true);
            assertThat(c.crr.changesSince(0)).isEqualTo(changes);

            try (PreparedStatement p = d.c.prepareStatement(Change.INSERT_SQL)) {
                changes.get(0).bind(p);
                p.addBatch();
                p.setString(3, "no_such_column");
                p.addBatch();
                SQLException e = catchThrowableOfType(SQLException.class, p::executeBatch);
                assertThat((Object) e).isInstanceOf(MissingSchemaException.class);
                assertThat(e.getSQLState()).isEqualTo("42S22");
            }
            assertThat(d.scalar("select count(*) from t")).as("a batch is all or nothing").isEqualTo(0L);
        }
    }

    @Test
    void changesForTablesOrColumnsThisNodeLacksAreRefusedWholeAndNamed() throws SQLException {
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(DDL, "create table u (k text primary key, v text)", "alter table t add c text",
                    "insert into t values (1, 'x', 1, 'c')", "insert into u values ('k', 'v')");
            b.exec(DDL);
            MissingSchemaException e = catchThrowableOfType(MissingSchemaException.class, () -> a.sendTo(b));
            assertThat(e.missing()).containsExactly("t.c", "u");
            assertThat(e.getSQLState()).isEqualTo("42S02");
            assertThat(b.scalar("select count(*) from t")).isEqualTo(0L);
            b.exec("alter table t add column c text", "create table u (k text primary key, v text)");
            a.sendTo(b);
            assertThat(b.rows("select * from t")).containsExactly(List.of(1L, "x", 1L, "c"));
        }
    }

    @Test
    void commitListenersHearEveryLocalCommitInOrderOnceItIsDurable() throws Exception {
        try (Node a = new Node(dir, "a"); Node other = new Node(dir, "a")) {
            a.exec(DDL);
            List<CommitListener.Commit> heard = new CopyOnWriteArrayList<>();
            List<Integer> visible = new CopyOnWriteArrayList<>();
            byte[] site = a.crr.siteId();
            try (Node reader = new Node(dir, "a");
                    AutoCloseable registration = a.crr.addCommitListener(commit -> {
                        heard.add(commit);
                        try { // durable: another connection reads the version's changes
                            visible.add(reader.crr.changes(site, commit.dbVersion(), commit.dbVersion()).size());
                        } catch (SQLException e) {
                            visible.add(-1);
                        }
                    })) {
                a.exec("insert into t values (1, 'x', 1)");
                await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
                other.exec("insert into t values (2, 'y', 2), (3, 'z', 3)");
                await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
                a.c.setAutoCommit(false);
                a.exec("update t set a = 'w' where id = 1", "delete from t where id = 3");
                a.c.commit();
                a.c.setAutoCommit(true);
                a.crr.applyChanges(List.of()); // merges are not local commits
                await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 3);
            }
            assertThat(heard).extracting(CommitListener.Commit::dbVersion).containsExactly(1L, 2L, 3L);
            assertThat(keys(heard.get(1))).containsExactly("t:010902", "t:010903");
            assertThat(keys(heard.get(2))).containsExactly("t:010901", "t:010903");
            assertThat(visible).containsExactly(2, 4, 2);
        }
    }

    /**
     * The driver reports each commit finished when the call that made it returns, so the journal delivers it without
     * proving it under the write lock: listeners hear it while another process holds that lock.
     */
    @Test
    void commitListenersHearACommitWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL);
            List<Long> heard = new CopyOnWriteArrayList<>();
            try (AutoCloseable registration = a.crr.addCommitListener(commit -> heard.add(commit.dbVersion()));
                    Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                    Statement lock = holder.createStatement()) {
                a.exec("insert into t values (1, 'x', 1)");
                lock.execute("BEGIN IMMEDIATE");
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());
                } finally {
                    lock.execute("ROLLBACK");
                }
                a.c.setAutoCommit(false);
                a.exec("update t set a = 'w' where id = 1");
                a.c.commit();
                a.c.setAutoCommit(true);
                lock.execute("BEGIN IMMEDIATE");
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
                } finally {
                    lock.execute("ROLLBACK");
                }
            }
            assertThat(heard).containsExactly(1L, 2L);
        }
    }

    private static List<String> keys(CommitListener.Commit commit) {
        List<String> out = new ArrayList<>();
        commit.rows().forEach((table, pks) -> pks.forEach(pk -> out.add(table + ":" + HexFormat.of().formatHex(pk))));
        return out;
    }

    @Test
    void theDriversObjectsStayOutOfSchemaReads() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "create table bag (x int, y text)", "create table team (id integer primary key, name text unique)");
            assertThat(a.rows("select name from sqlite_master where type = 'table' order by name"))
                    .containsExactly(List.of("bag"), List.of("t"), List.of("team"));
            assertThat(a.rows("select m.type, count(*) from sqlite_schema m group by m.type order by 1"))
                    .containsExactly(List.of("index", 1L), List.of("table", 3L));
            assertThat(a.rows("select name from pragma_table_xinfo('bag')")).containsExactly(List.of("x"), List.of("y"));
            assertThat(a.rows("pragma table_info(bag)")).extracting(r -> r.get(1)).containsExactly("x", "y");
            assertThat(a.rows("pragma table_list")).extracting(r -> r.get(1))
                    .containsExactlyInAnyOrder("bag", "t", "team", "sqlite_schema", "sqlite_temp_schema");
            assertThat(a.scalar("select count(*) from sqlite_master where name = 'sqlite_master'")).isEqualTo(0L);
        }
    }

    @Test
    void packedKeysOfTheApiAreCrSqlitesEncoding() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec("create table p (x text not null, y int not null, v text, primary key (y, x))", "insert into p values ('k', 7, 'v')");
            Change change = a.crr.changesSince(0).get(0);
            assertThat(change.pk()).isEqualTo(PackedColumns.pack(7L, "k"));
            assertThat(change.table()).isEqualTo("p");
            assertThat(change.isSentinel()).isFalse();
        }
    }
}
