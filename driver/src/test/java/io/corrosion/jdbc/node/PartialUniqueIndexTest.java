package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partial UNIQUE index ({@code CREATE UNIQUE INDEX ... WHERE ...}) constrains only the rows its WHERE selects. */
class PartialUniqueIndexTest {
    private static final String DDL = "create table t (id integer primary key, email text, active int)";
    private static final String INDEX = "create unique index t_active_email on t (email) where active = 1";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void rowsOutsideThePartialIndexMayShareTheValue() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(DDL, INDEX, "insert into t values (1, 'x', 1), (2, 'x', 0), (3, 'x', 0)");
            assertDuplicate(a, "insert into t values (4, 'x', 1)");
            assertDuplicate(a, "update t set active = 1 where id = 2");
            a.exec("update t set email = 'x' where id = 3", "update t set active = 0 where id = 1",
                    "update t set active = 1 where id = 2");
            assertDuplicate(a, "update t set active = 1 where id = 3");
            a.exec("insert or ignore into t values (5, 'x', 1)", "insert or replace into t values (6, 'x', 1)");
            assertThat(a.rows("select id, active from t order by id"))
                    .containsExactly(List.of(1L, 0L), List.of(3L, 0L), List.of(6L, 1L));
        }
    }

    @Test
    void aPartialUniqueIndexOfAnExistingTableIsConvertedToo() throws SQLException {
        Path file = dir.resolve("old.db");
        try (var plain = DriverManager.getConnection("jdbc:sqlite:" + file); var s = plain.createStatement()) {
            s.execute("create table t (id integer primary key not null, email text, active int)");
            s.execute(INDEX);
        }
        try (Node a = new Node(dir, "old")) {
            assertThat(a.crr.replicatedTables()).containsExactly("t");
            a.exec("insert into t values (1, 'x', 1), (2, 'x', 0)");
            assertDuplicate(a, "insert into t values (4, 'x', 1)");
            assertThat(a.rows("select \"unique\", partial from pragma_index_list('t') where name = 't_active_email'"))
                    .containsExactly(List.of(0L, 1L));
        }
    }

    private static void assertDuplicate(Node n, String sql) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> n.exec(sql));
        assertThat((Object) e).as(sql).isNotNull();
        assertThat(e.getSQLState()).isEqualTo("23505");
    }
}
