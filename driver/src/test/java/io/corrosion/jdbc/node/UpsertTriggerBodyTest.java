package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An UPSERT resolves its own rows only: a plain INSERT or UPDATE in the body of a trigger the UPSERT fires resolves a
 * collision as any statement would (the constraint's own clause, else ABORT), as in SQLite. The driver took such a
 * statement for the UPSERT itself: an UPDATE aborted (the DO UPDATE's rule), an INSERT was skipped under a targetless
 * DO NOTHING.
 */
class UpsertTriggerBodyTest extends PlainDifferentialTest {
    private static final String SCHEMA = "create table u (id integer primary key, a text unique on conflict ignore,"
            + " b text, c text unique)";
    private static final List<String> ROWS = List.of("insert into u values (1, 'a1', 'b1', 'c1'), (2, 'a2', 'b2', 'c2')");

    @Test
    void anUpdateInATriggerAnUpsertFiresTakesTheConstraintsClause() throws SQLException {
        same(List.of(SCHEMA, "create trigger u_x after insert on u when new.b = 'x' begin"
                        + " update u set a = 'a1' where id = 2; end",
                        "create trigger u_y after update of b on u when new.b = 'y' begin"
                        + " update u set a = 'a1', b = 'yy' where id = 2; end"),
                ROWS, "select * from u order by id",
                "insert into u values (3, 'a3', 'x', 'c3') on conflict (id) do update set b = 'z'",
                "insert into u values (1, 'q', 'q', 'q') on conflict (id) do update set b = 'y'",
                "insert into u values (4, 'a4', 'x', 'c4') on conflict do nothing");
    }

    @Test
    void anInsertInATriggerAnUpsertFiresIsNotSkippedByItsDoNothing() throws SQLException {
        same(List.of(SCHEMA, "create trigger u_x after insert on u when new.b = 'x' begin"
                        + " insert into u values (new.id + 10, 'n' || new.id, 'n', 'c1'); end"),
                ROWS, "select * from u order by id",
                "insert into u values (3, 'a3', 'x', 'c3') on conflict do nothing",
                "insert into u values (4, 'a4', 'x', 'c4') on conflict (id) do nothing",
                "insert into u values (5, 'a5', 'w', 'c5') on conflict do nothing");
    }

    /** A trigger format 11 left without brackets (a plain UPDATE had none) gets them when the driver opens the file. */
    @Test
    void theTriggersOfAnEarlierFormatAreBracketedOnOpen() throws SQLException {
        try (Node a = new Node(dir, "old")) {
            a.exec(SCHEMA, "create trigger u_x after insert on u when new.b = 'x' begin update u set a = 'a1' where id = 2; end")
                    .exec(ROWS.toArray(String[]::new));
        }
        CorrosionDriver.shutdownAll();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("old.db"));
                Statement s = raw.createStatement()) {
            s.execute("drop trigger u_x");
            s.execute("create trigger u_x after insert on u when new.b = 'x' begin update u set a = 'a1' where id = 2; end");
            s.execute("update crsql_master set value = 11 where key = 'corrosion_format'");
        }
        try (Node a = new Node(dir, "old")) {
            assertThat(Node.outcome(a.c, "insert into u values (3, 'a3', 'x', 'c3') on conflict (id) do update set b = 'z'"))
                    .isEqualTo("updated 1");
            assertThat(a.rows("select id, a from u order by id"))
                    .containsExactly(List.of(1L, "a1"), List.of(2L, "a2"), List.of(3L, "a3"));
        }
    }
}
