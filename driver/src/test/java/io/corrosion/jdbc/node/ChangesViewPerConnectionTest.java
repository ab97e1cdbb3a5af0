package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crsql_changes} is a TEMP view each connection makes when it uses it, not an object of the file's schema that
 * every connection parses on open; it follows the CRRs whoever changed them.
 */
class ChangesViewPerConnectionTest {
    private static final String DDL = "create table t (id integer primary key, a text)";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void theFileHasNoChangesViewAndTheDriverStillReadsIt() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (1, 'x')");
            assertThat(a.rows("select cid, val from crsql_changes where cid = 'a'")).containsExactly(List.of("a", "x"));
            assertThat(a.rows("select name from sqlite_temp_master")).as("the driver's own objects are left out").isEmpty();
            try (java.sql.ResultSet tables = a.c.getMetaData().getTables(null, null, "%", null)) {
                List<String> names = new java.util.ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString("TABLE_NAME"));
                }
                assertThat(names).contains("t").doesNotContain("crsql_changes", "crsql_changes__crsql_insert");
            }
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"))) {
                assertThat(Node.rows(plain, "select name from sqlite_master where name like 'crsql\\_changes%' escape '\\'"))
                        .isEmpty();
            }
        }
    }

    @Test
    void aConnectionOpenedBeforeAnotherChangedTheCrrsReadsAndMergesTheNewColumnsAndTables() throws SQLException {
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b");
             Connection other = DriverManager.getConnection(a.url)) {
            a.exec(DDL, "insert into t values (1, 'x')");
            PreparedStatement read = a.c.prepareStatement("select \"table\", cid, val from crsql_changes"
                    + " where cid <> '-1' order by \"table\", cid");
            assertThat(JdbcRowsOf.rows(read)).containsExactly(List.of("t", "a", "x"));
            try (Statement s = other.createStatement()) {
                s.execute("alter table t add column b text");
                s.execute("update t set b = 'new' where id = 1");
                s.execute("create table u (id integer primary key, c text)");
                s.execute("insert into u values (1, 'y')");
            }
            assertThat(JdbcRowsOf.rows(read)).as("prepared before the change")
                    .containsExactly(List.of("t", "a", "x"), List.of("t", "b", "new"), List.of("u", "c", "y"));

            b.exec(DDL, "alter table t add column b text", "create table u (id integer primary key, c text)",
                    "insert into u values (2, 'from b')");
            a.sendTo(b); // read through a's view, merged through b's INSERT INTO crsql_changes
            b.sendTo(a);
            assertThat(b.rows("select id, a, b from t")).containsExactly(List.of(1L, "x", "new"));
            assertThat(a.rows("select id, c from u order by id")).containsExactly(List.of(1L, "y"), List.of(2L, "from b"));
        }
    }

    @Test
    void anAlterTableFindsNoViewOfColumnsAnotherConnectionDropped() throws SQLException {
        try (Node a = new Node(dir, "a"); Connection other = DriverManager.getConnection(a.url)) {
            a.exec("create table t (id integer primary key, a text, b text)", "insert into t values (1, 'x', 'y')");
            assertThat(a.scalar("select count(*) from crsql_changes")).isEqualTo(2L);
            try (Statement s = other.createStatement()) {
                s.execute("alter table t drop column b");
            }
            // SQLite checks every view of the connection, TEMP ones too, against a renamed column
            a.exec("create temp table scratch (x int)", "alter table scratch rename column x to y");
            assertThat(a.rows("select cid, val from crsql_changes")).containsExactly(List.of("a", "x"));
        }
    }

    @Test
    void makingTheViewLeavesLastInsertRowidAlone() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (41, 'x')");
            assertThat(a.scalar("select last_insert_rowid()")).isEqualTo(41L);
            a.exec("insert into t values (42, 'y')");
            try (PreparedStatement p = a.c.prepareStatement("select count(*) from crsql_changes")) {
                p.executeQuery().close();
            }
            assertThat(a.scalar("select last_insert_rowid()")).isEqualTo(42L);
        }
    }

    @Test
    void aRolledBackTransactionOrSavepointThatMadeTheViewLeavesItUsable() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (1, 'x')");
            PreparedStatement count = a.c.prepareStatement("select count(*) from crsql_changes");
            a.c.setAutoCommit(false);
            assertThat(a.scalar("select count(*) from crsql_changes")).isEqualTo(1L);
            a.c.rollback();
            assertThat(JdbcRowsOf.rows(count)).containsExactly(List.of(1L));
            a.c.rollback();
            Savepoint sp = a.c.setSavepoint("before");
            a.exec("create table u (id integer primary key, c text)", "insert into u values (1, 'y')");
            assertThat(JdbcRowsOf.rows(count)).containsExactly(List.of(2L));
            a.c.rollback(sp);
            assertThat(JdbcRowsOf.rows(count)).containsExactly(List.of(1L));
            a.c.commit();
            a.c.setAutoCommit(true);
            assertThat(a.scalar("select count(*) from crsql_changes")).isEqualTo(1L);
        }
    }

    @Test
    void aReadOnlyConnectionReadsChanges() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (1, 'x')");
            Properties readOnly = new Properties();
            readOnly.setProperty("open_mode", "1");
            try (Connection ro = DriverManager.getConnection(a.url, readOnly)) {
                assertThat(ro.isReadOnly()).isTrue();
                assertThat(Node.rows(ro, "select val from crsql_changes where cid = 'a'")).containsExactly(List.of("x"));
                assertThat(ro.unwrap(CorrosionConnection.class).changesSince(0)).extracting(Change::cid)
                        .containsExactly("a");
            }
        }
    }

    @Test
    void aQueryOnlyConnectionReadsChanges() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (1, 'x')");
            try (Connection q = DriverManager.getConnection(a.url)) {
                q.createStatement().execute("pragma query_only = 1");
                assertThat(Node.rows(q, "select val from crsql_changes where cid = 'a'")).containsExactly(List.of("x"));
            }
        }
    }

    @Test
    void aFileOfTheOlderFormatLosesItsChangesViewOnUpgrade() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (1, 'x')");
        }
        CorrosionDriver.shutdownAll();
        String file = "jdbc:sqlite:" + dir.resolve("a.db");
        try (Connection plain = DriverManager.getConnection(file); Statement s = plain.createStatement()) {
            s.execute("create view crsql_changes as select 1 as stale");
            s.execute("update crsql_master set value = 9 where key = 'corrosion_format'");
        }
        try (Node a = new Node(dir, "a")) {
            assertThat(a.rows("select val from crsql_changes where cid = 'a'")).containsExactly(List.of("x"));
        }
        CorrosionDriver.shutdownAll();
        try (Connection plain = DriverManager.getConnection(file)) {
            assertThat(Node.rows(plain, "select name from sqlite_master where name = 'crsql_changes'")).isEmpty();
        }
    }

    @Test
    void aViewOfTheFileCannotNameChangesATempViewCan() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, "insert into t values (1, 'x')");
            SQLException refused = catchThrowableOfType(SQLException.class,
                    () -> a.exec("create view mine as select cid, val from crsql_changes"));
            assertThat(refused.getSQLState()).isEqualTo("0A000");
            assertThat(refused.getMessage()).contains("CREATE TEMP VIEW");
            assertThat(catchThrowableOfType(SQLException.class, () -> a.exec("create trigger tt after insert on t begin"
                    + " insert into crsql_changes (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq)"
                    + " select 't', pk, cid, val, col_version, db_version, site_id, cl, seq from crsql_changes; end"))
                    .getSQLState()).isEqualTo("0A000");
            a.exec("create temp view mine as select cid, val from crsql_changes where cid <> '-1'");
            assertThat(a.rows("select * from mine")).containsExactly(List.of("a", "x"));
        }
    }

    /**
     * cr-sqlite users sync two files with {@code ATTACH} and {@code other.crsql_changes}; here each connection's view is
     * TEMP and of its own file, so a schema-qualified name is refused with the way round, which merges the same rows.
     */
    @Test
    void anAttachedFilesCrsqlChangesIsRefusedWithTheWayRound() throws SQLException {
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(DDL, "insert into t values (1, 'x')");
            b.exec(DDL, "attach '" + dir.resolve("a.db") + "' as other");
            for (String sql : List.of("select * from other.crsql_changes",
                    "insert into crsql_changes select * from other.crsql_changes where db_version > 0",
                    "select count(*) from \"main\".crsql_changes")) {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> b.exec(sql));
                assertThat((Throwable) refused).as(sql).isNotNull();
                assertThat(refused.getSQLState()).as(sql).isEqualTo("0A000");
                assertThat(refused.getMessage()).as(sql).contains(".crsql_changes does not exist", "applyChanges");
            }
            assertThat(b.rows("select count(*) from temp.crsql_changes")).containsExactly(List.of(0L));
            assertThat(b.rows("select a from other.t")).as("the attached file's tables read as in SQLite")
                    .containsExactly(List.of("x"));
            try (PreparedStatement read = a.c.prepareStatement("select * from crsql_changes where db_version > ?");
                    PreparedStatement merge = b.c.prepareStatement(Change.INSERT_SQL)) {
                read.setLong(1, 0);
                try (java.sql.ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        for (int i = 1; i <= 10; i++) {
                            merge.setObject(i, rs.getObject(i));
                        }
                        merge.addBatch();
                    }
                }
                assertThat(merge.executeBatch()).containsOnly(1);
            }
            assertThat(b.rows("select id, a from t")).containsExactly(List.of(1L, "x"));
        }
    }

    /** Rows of a prepared query, run again. */
    private static final class JdbcRowsOf {
        static List<List<Object>> rows(PreparedStatement p) throws SQLException {
            List<List<Object>> out = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = p.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new java.util.ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof Integer n32 ? (Object) (long) n32 : v);
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }
}
