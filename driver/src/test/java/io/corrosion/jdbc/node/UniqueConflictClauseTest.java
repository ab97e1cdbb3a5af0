package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A UNIQUE constraint's own {@code ON CONFLICT} clause ({@code email TEXT UNIQUE ON CONFLICT REPLACE},
 * {@code UNIQUE (c) ON CONFLICT IGNORE}) resolves collisions on a replicated table as in SQLite, where the statement has
 * no clause of its own; a statement's clause overrides it.
 */
class UniqueConflictClauseTest extends PlainDifferentialTest {
    private static final List<String> SCHEMA = List.of("create table u (id integer primary key,"
            + " a text unique on conflict ignore, b text unique on conflict replace, c text, d text,"
            + " unique (c) on conflict fail, constraint u_d unique (d) on conflict rollback)");
    private static final List<String> ROW = List.of("insert into u values (1, 'a', 'b', 'c', 'd')", "delete from u where 0");
    private static final String ROWS = "select * from u order by id";

    @Test
    void theConstraintsClauseResolvesInsertsAndUpdates() throws SQLException {
        same(SCHEMA, ROW, ROWS,
                "insert into u values (2, 'a', 'b2', 'c2', 'd2')",
                "insert into u values (3, 'a3', 'b', 'c3', 'd3')",
                "insert into u values (4, 'a4', 'b4', 'c', 'd4')",
                "insert into u values (5, 'a5', 'b5', 'c5', 'd3')",
                "update u set a = 'a3' where id = 4",
                "update u set b = 'b3' where id = 4",
                "insert into u values (6, 'a6', 'b6', 'c6', 'd6'), (7, 'a7', 'b7', 'c6', 'd7')");
    }

    @Test
    void aStatementsClauseOverridesTheConstraints() throws SQLException {
        same(SCHEMA, ROW, ROWS,
                "insert or abort into u values (2, 'a', 'b2', 'c2', 'd2')",
                "insert or ignore into u values (3, 'a3', 'b', 'c3', 'd3')",
                "insert or replace into u values (4, 'a4', 'b4', 'c', 'd4')",
                "update or ignore u set b = 'b' where id = 4");
    }

    /**
     * SQLite checks an INTEGER PRIMARY KEY before any UNIQUE index: a row whose key is taken fails (ABORT, the whole
     * statement undone) though its UNIQUE value collides too under a constraint that says IGNORE or FAIL. The driver
     * resolved the constraint's clause first: the row was ignored, or FAIL kept the statement's earlier rows (found by a
     * randomized differential test).
     */
    @Test
    void aTakenIntegerKeyFailsBeforeTheConstraintsClause() throws SQLException {
        same(List.of("create table v (id integer primary key, a text unique on conflict ignore,"
                        + " b text unique on conflict fail)"),
                List.of("insert into v values (1, 'a1', 'b1'), (2, 'a2', 'b2'), (5, 'a5', 'b5')"),
                "select * from v order by id",
                "insert into v values (1, 'a2', 'x')",
                "insert into v values (2, 'y', 'b1')",
                "update v set id = id + 3, b = 'b' where id < 3",
                "update v set id = 5, a = 'a1' where id = 2",
                "insert or ignore into v values (1, 'a2', 'z')",
                "insert into v values (3, 'a1', 'b3')");
    }

    @Test
    void theClauseSurvivesARename() throws SQLException {
        same(List.of(SCHEMA.get(0), "alter table u rename to u2"),
                List.of("insert into u2 values (1, 'a', 'b', 'c', 'd')", "delete from u2 where 0"),
                "select * from u2 order by id",
                "insert into u2 values (2, 'a', 'b2', 'c2', 'd2')",
                "insert into u2 values (3, 'a3', 'b', 'c3', 'd3')");
    }

    /**
     * SQLite checks a constraint declared ON CONFLICT REPLACE after the others: a row another one ignores, fails or
     * aborts deletes nothing, whatever order the constraints are declared in.
     */
    @Test
    void aReplaceConstraintIsCheckedAfterTheOthers() throws SQLException {
        same(List.of("create table u (id integer primary key, a text unique on conflict ignore, b text unique on conflict"
                        + " replace, c text unique on conflict fail, d text unique, e text, unique (a, e) on conflict replace)",
                        "alter table u rename column e to e2"),
                List.of("insert into u values (1, 'a', 'x', 'c', 'd', 'e'), (2, 'y', 'b', 'y', 'y', 'y')",
                        "delete from u where 0"),
                "select * from u order by id",
                "insert into u values (3, 'a', 'b', 'q', 'q', 'q')",
                "insert into u values (4, 'r', 'b', 'c', 'r', 'r')",
                "insert into u values (5, 's', 'b', 's', 'd', 's')",
                "insert into u values (6, 'a', 's', 's', 's', 'e')",
                "update u set b = 'x', d = 'd' where id = 2",
                "update u set b = 'x', c = 'c' where id = 2");
    }

    /** An UPSERT's DO UPDATE aborts on a collision, as in SQLite: neither the constraint's clause nor the statement's applies. */
    @Test
    void anUpsertsDoUpdateAborts() throws SQLException {
        same(List.of("create table u (id integer primary key, a text unique on conflict ignore, b text unique on conflict"
                        + " replace, c text unique)"),
                List.of("insert into u values (1, 'a', 'b', 'c'), (5, 'a5', 'b5', 'c5')", "delete from u where 0"),
                "select * from u order by id",
                "insert into u values (5, 'a5', 'b5', 'c5') on conflict (id) do update set b = 'b'",
                "insert into u values (5, 'a5', 'b5', 'c5') on conflict (id) do update set a = 'a'",
                "insert or replace into u values (5, 'a5', 'b5', 'c5') on conflict (id) do update set c = 'c'",
                "insert or ignore into u values (5, 'a5', 'b5', 'c5') on conflict (id) do update set c = 'c'",
                "insert into u values (2, 'q', 'b', 'q') on conflict (id) do update set c = 'c'");
    }

    /**
     * Not as SQLite, refused: a REPLACE constraint beside a NOT NULL or PRIMARY KEY constraint that skips or stops the
     * row. SQLite checks REPLACE last, so a row the other skips deletes nothing; the driver's checks run first and would
     * delete the rows it collides with. Without the REPLACE, or with ABORT on the other, the table is as in SQLite.
     */
    @Test
    void aReplaceConstraintBesideASkippingNotNullOrKeyIsRefused() throws SQLException {
        try (Node n = new Node(dir, "refused")) {
            for (String table : List.of(
                    "create table u (id integer primary key, a text not null on conflict ignore, b text unique on conflict replace)",
                    "create table u (id integer primary key on conflict fail, b text unique on conflict replace)",
                    "create table u (id integer, k text, b text, primary key (id, k) on conflict ignore,"
                            + " unique (b) on conflict replace)")) {
                assertThatThrownBy(() -> n.exec(table)).as(table).isInstanceOf(SQLException.class)
                        .hasMessageContaining("ON CONFLICT REPLACE")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
                assertThat(n.rows("select name from sqlite_master where name = 'u'")).as("nothing created").isEmpty();
            }
        }
        try (Node n = new Node(dir, "altered")) {
            n.exec("create table u (id integer primary key, b text unique on conflict replace)",
                    "insert into u values (1, 'b'), (2, 'c')");
            for (String alter : List.of("alter table u add column c text not null on conflict ignore default 'c'",
                    "alter table u add d text constraint d_set not null on conflict fail default 'd'")) {
                assertThatThrownBy(() -> n.exec(alter)).as(alter).isInstanceOf(SQLException.class)
                        .hasMessageContaining("ON CONFLICT REPLACE")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
                assertThat(n.rows("select name from pragma_table_info('u')")).as("nothing added")
                        .containsExactly(List.of("id"), List.of("b"));
            }
            n.exec("alter table u add column c text not null default 'c'", "insert into u values (3, 'b', 'x')");
            assertThat(n.rows("select * from u order by id"))
                    .containsExactly(List.of(2L, "c", "c"), List.of(3L, "b", "x"));
        }
        same(List.of("create table u (id integer primary key, a text not null on conflict abort, b text unique on conflict"
                        + " replace, c text not null unique)"),
                List.of("insert into u values (1, 'a', 'b', 'c')", "delete from u where 0"),
                "select * from u order by id",
                "insert into u values (2, null, 'b', 'c2')",
                "insert into u values (3, 'a3', 'b', 'c3')",
                "insert into u values (4, 'a4', 'b4', null)");
    }
}
