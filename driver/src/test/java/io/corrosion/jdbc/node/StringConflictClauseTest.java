package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a string of several statements, a conflict clause ({@code OR IGNORE}, {@code OR REPLACE}, an UPSERT) resolves the
 * UNIQUE collisions of its own statement only, as in SQLite. The driver resolved every statement of the string by the
 * first clause it found in it (found by a randomized differential test).
 */
class StringConflictClauseTest extends PlainDifferentialTest {
    private static final List<String> SCHEMA = List.of("create table u (id integer primary key, a text unique)",
            "create table lg (src text, k)");
    private static final List<String> ROW = List.of("insert into u values (1, 'a')");
    private static final String ROWS = "select * from u order by id";

    @Test
    void aLaterStatementsClauseDoesNotResolveAnEarlierOnesCollision() throws SQLException {
        same(SCHEMA, ROW, ROWS,
                "insert into u values (2, 'a'); insert or ignore into lg default values",
                "insert into u values (3, 'b'), (4, 'b'); insert or replace into lg default values",
                "insert into u values (5, 'a'); insert into lg values ('x', 1) on conflict do nothing",
                "insert into u values (6, 'c'); update or ignore lg set k = 2; insert into u values (7, 'c')");
    }

    @Test
    void anEarlierStatementsClauseDoesNotResolveALaterOnesCollision() throws SQLException {
        same(SCHEMA, ROW, ROWS,
                "insert or ignore into u values (2, 'a'); insert into u values (3, 'a')",
                "insert or replace into u values (4, 'd'); insert into u values (5, 'd')",
                "insert into u values (6, 'a') on conflict do nothing; insert into u values (7, 'a')",
                "update or replace u set a = 'e' where id = 4; update u set a = 'e' where id = 1");
    }

    /** {@code execute(sql)} runs only the string's first statement (as sqlite-jdbc does): only its clause counts. */
    @Test
    void executeResolvesByTheFirstStatementsClause() throws SQLException {
        String sql = "insert into u values (2, 'a'); insert or ignore into u values (3, 'a')";
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db")); Node n = new Node(dir, "n")) {
            for (Connection c : List.of(p, n.c)) {
                try (Statement s = c.createStatement()) {
                    s.execute(SCHEMA.get(0));
                    s.execute(ROW.get(0));
                    assertThatThrownBy(() -> s.execute(sql)).as(c.getClass().getName()).isInstanceOf(SQLException.class)
                            .hasMessageContaining("UNIQUE constraint failed: u.a");
                }
                assertThat(Node.rows(c, ROWS)).as(c.getClass().getName()).isEqualTo(List.of(List.of(1L, "a")));
            }
        }
    }
}
