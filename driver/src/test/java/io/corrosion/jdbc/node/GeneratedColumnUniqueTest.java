package io.corrosion.jdbc.node;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UNIQUE over a generated column of a replicated table holds as in SQLite: the column changes with the columns it is
 * computed from, which an UPDATE never names it by. The driver checked it only for INSERTs, and refused a partial
 * UNIQUE index on it with a syntax error (found by a randomized differential test).
 */
class GeneratedColumnUniqueTest extends PlainDifferentialTest {
    private static final String ROWS = "select * from t order by id";
    private static final List<String> TWO_ROWS = List.of("insert into t (id, a) values (1, 'x'), (2, 'y')");

    @Test
    void anUpdateOfTheSourceColumnIsChecked() throws SQLException {
        for (String kind : List.of("virtual", "stored")) {
            same(List.of("create table t (id integer primary key, a text, g text generated always as (upper(a)) " + kind
                            + " unique)"),
                    TWO_ROWS, ROWS,
                    "update t set a = 'X' where id = 2",
                    "update or ignore t set a = 'X' where id = 2",
                    "update or replace t set a = 'X' where id = 2",
                    "insert into t (id, a) values (3, 'x')");
        }
    }

    @Test
    void aUniqueIndexOnAGeneratedColumnChecksUpdates() throws SQLException {
        same(List.of("create table t (id integer primary key, a text, g text generated always as (upper(a)) stored)",
                        "create unique index t_g on t (g)"),
                TWO_ROWS, ROWS,
                "update t set a = 'X' where id = 2",
                "update t set a = 'z' where id = 2");
    }

    @Test
    void aPartialUniqueIndexOnAGeneratedColumnWorks() throws SQLException {
        same(List.of("create table t (id integer primary key, a text, b int, g text generated always as (upper(a)) virtual)",
                        "create unique index t_g on t (g) where g is not null and b = 1"),
                List.of("insert into t (id, a, b) values (1, 'x', 1), (2, 'y', 1), (3, 'x', 0)"), ROWS,
                "insert into t (id, a, b) values (4, 'X', 1)",
                "update t set a = 'X' where id = 2",
                "update t set b = 1 where id = 3",
                "update t set a = 'q', b = 1 where id = 3");
    }
}
