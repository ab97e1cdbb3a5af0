package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code CREATE UNIQUE INDEX} on a replicated table whose rows already collide fails as in SQLite: the driver enforces
 * the index with checks of later writes, and the rows already there must pass them too, or the application (a Flyway or
 * Liquibase migration, Hibernate's schema update) goes on believing in a uniqueness its data does not have.
 */
class UniqueIndexOnExistingRowsTest extends PlainDifferentialTest {
    private static final List<String> SCHEMA =
            List.of("create table t (id integer primary key, email text, active int, note text, name text, a int, b int)");
    /** Two rows share an email, a name but for case, and (a, b); the last statement leaves changes() at 0. */
    private static final List<String> ROWS = List.of(
            "insert into t values (1, 'x', 0, null, 'A', 1, 1), (2, 'x', 0, null, 'a', 1, 2), (3, 'y', 1, null, 'b', 1, 1)",
            "delete from t where 0");

    @Test
    void aUniqueIndexOverCollidingRowsFailsAndLeavesNoCheckBehind() throws SQLException {
        same(SCHEMA, ROWS, "select id, email, name from t order by id",
                "create unique index t_email on t (email)",
                "insert into t (id, email, active) values (10, 'x', 1)",
                "create unique index t_name on t (name collate nocase)",
                "insert into t (id, name) values (11, 'B')",
                "create unique index t_ab on t (a, b)",
                "insert into t (id, a, b) values (12, 1, 1)");
    }

    @Test
    void nullsAndRowsOutsideAPartialIndexDoNotCollide() throws SQLException {
        same(SCHEMA, ROWS, "select id, email, active from t order by id",
                "create unique index t_active_email on t (email) where active = 1",
                "create unique index t_note on t (note)",
                "create unique index t_name on t (name)",
                "insert into t (id, email, active) values (10, 'x', 1)",
                "insert into t (id, email, active) values (11, 'y', 1)",
                "insert into t (id, email, active) values (12, 'y', 0)");
    }

    @Test
    void ifNotExistsKeepsAnIndexWhoseRowsCollideAfterAMerge() throws SQLException {
        String index = "create unique index if not exists t_email on t (email)";
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(SCHEMA.get(0), index, "insert into t (id, email) values (1, 'x')");
            b.exec(SCHEMA.get(0), index, "insert into t (id, email) values (2, 'x')");
            Node.sync(a, b);
            a.exec(index); // a migration tool running its changes again on start: a no-op, as in SQLite
            assertThat(a.rows("select id from t where email = 'x' order by id")).containsExactly(List.of(1L), List.of(2L));
            SQLException e = catchThrowableOfType(SQLException.class, () -> a.exec("create unique index t_email2 on t (email)"));
            assertThat(e.getSQLState()).isEqualTo("23505"); // a new one must hold for the rows, merged ones too
            assertThat(a.scalar("select count(*) from sqlite_master where name like 't_email2%'")).isEqualTo(0L);
        }
    }

    /**
     * IF NOT EXISTS that finds an index of that name, a plain one or another table's, leaves it as it is, as in
     * SQLite: no check of the rows, and the table's writes stay unchecked.
     */
    @Test
    void ifNotExistsKeepsAPlainIndexOfThatNameAsItIs() throws SQLException {
        List<String> schema = List.of(SCHEMA.get(0), "create table s (id integer primary key, name text)",
                "create index t_email on t (email)", "create index t_name on s (name)");
        same(schema, ROWS, "select id, email, name from t order by id",
                "create unique index if not exists t_email on t (email)",
                "create unique index if not exists t_name on t (name)",
                "insert into t (id, email) values (10, 'x')",
                "insert into t (id, name) values (11, 'b')");
    }

    /**
     * An index dropped earlier in the same string is not there for IF NOT EXISTS: the unique index made in its place is
     * enforced, as in SQLite. It was taken for the index found there, and duplicates went in.
     */
    @Test
    void ifNotExistsAfterADropOfThatNameInOneStringMakesTheIndex() throws SQLException {
        List<String> schema = List.of(SCHEMA.get(0), "create index t_email on t (email)", "create index t_note on t (note)");
        same(schema, ROWS, "select id, email, note from t order by id",
                "drop index t_email; create unique index if not exists t_email on t (email)",
                "insert into t (id, email) values (10, 'x')",
                "drop index if exists t_note; create unique index if not exists t_note on t (note);"
                        + " insert into t (id, note) values (11, 'n')",
                "insert into t (id, note) values (12, 'n')",
                "update t set note = 'n' where id = 1");
    }

    /** A TEMP table is never replicated: its UNIQUE index is SQLite's own, over the rows there and later writes. */
    @Test
    void aUniqueIndexOnATempTableIsSQLitesOwn() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec(SCHEMA.get(0), "create temp table tt (id integer primary key, a text, b text)",
                    "insert into tt values (1, 'a', 'x'), (2, 'a', 'y')");
            assertThat(Node.outcome(a.c, "create unique index tt_a on tt (a)")).isEqualTo("failed: UNIQUE constraint failed: tt.a");
            a.exec("create unique index tt_b on tt (b)");
            assertThat(Node.outcome(a.c, "insert into tt values (3, 'b', 'x')")).isEqualTo("failed: UNIQUE constraint failed: tt.b");
            assertThat(a.rows("select name, \"unique\" from pragma_index_list('tt')")).containsExactly(List.of("tt_b", 1L));
        }
    }
}
