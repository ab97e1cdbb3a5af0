package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partial unique indexes on a replicated table across schema changes and odd WHERE clauses: the checks name only the
 * columns the index and its WHERE use, so any other column can be dropped, as in SQLite.
 */
class PartialUniqueIndexSchemaChangesTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static String outcome(Node n, String... sql) {
        try {
            n.exec(sql);
            return "ok";
        } catch (SQLException e) {
            return "failed " + e.getSQLState() + " " + e.getMessage();
        }
    }

    /** SQLite drops a column no index uses; with a full unique index the driver does too. */
    @Test
    void dropAnUnrelatedColumnOfATableWithAPartialUniqueIndex() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec("create table t (id integer primary key, email text, active int, note text)",
                    "create unique index t_active_email on t (email) where active = 1",
                    "insert into t values (1, 'x', 1, 'n')");
            String drop = outcome(a, "alter table t drop column note");
            String insert = outcome(a, "insert into t (id, email, active) values (2, 'y', 1)");
            assertThat(drop + " / " + insert).isEqualTo("ok / ok");
        }
    }

    @Test
    void renameTheColumnTheWhereUses() throws SQLException {
        try (Node a = new Node(dir, "b")) {
            a.exec("create table t (id integer primary key, email text, active int)",
                    "create unique index t_active_email on t (email) where active = 1",
                    "insert into t values (1, 'x', 1)");
            String rename = outcome(a, "alter table t rename column active to is_active");
            String insertOk = outcome(a, "insert into t values (2, 'x', 0)");
            String dup = outcome(a, "insert into t values (3, 'x', 1)");
            assertThat(rename + " / " + insertOk + " / " + dup.startsWith("failed 23505"))
                    .isEqualTo("ok / ok / true");
        }
    }

    @Test
    void whereWithQuotedQualifiedColumnsAndFunctions() throws SQLException {
        try (Node a = new Node(dir, "c"); Node b = new Node(dir, "d")) {
            for (Node n : List.of(a, b)) {
                n.exec("create table \"my t\" (id integer primary key, \"e mail\" text, \"Active\" int, data text)",
                        "create unique index ix on \"my t\" (\"e mail\") where \"my t\".\"Active\" = 1 and"
                                + " coalesce(json_extract(data, '$.k'), 0) <> 2 and lower(\"e mail\") like '%@%'");
            }
            a.exec("insert into \"my t\" values (1, 'a@x', 1, '{}')");
            b.exec("insert into \"my t\" values (2, 'a@x', 1, '{}')");
            String dupLocal = outcome(a, "insert into \"my t\" values (3, 'a@x', 1, '{}')");
            String outside = outcome(a, "insert into \"my t\" values (4, 'a@x', 1, '{\"k\":2}')");
            Node.sync(a, b);
            assertThat(dupLocal.startsWith("failed 23505") + " / " + outside).isEqualTo("true / ok");
            assertThat(a.rows("select id from \"my t\" order by id")).isEqualTo(b.rows("select id from \"my t\" order by id"));
        }
    }
}
