package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sqlite.Function;

/** The INSERT rewrite on text, and the rewritten statements run on plain SQLite with a stand-in key function. */
class InsertKeyRewriteTest {
    private static final String CALL = "k('t', 'id', 9, ";
    /** No column of the table takes the names of the rowid. */
    private static final Set<String> ALIASES = Set.of("rowid", "oid", "_rowid_");

    private static String rewrite(String sql) {
        return InsertKeyRewrite.rewrite(sql, "id", 0, 3, CALL, ALIASES).orElseThrow();
    }

    @Test
    void omittedKeyIsAppendedToTheColumnListAndEveryRow() {
        assertThat(rewrite("insert into t (name, age) values (?, ?)"))
                .isEqualTo("insert into t (name, age, \"id\") values (?, ?, k('t', 'id', 9, NULL))");
        assertThat(rewrite("INSERT INTO t(name) VALUES ('a'), ('b')"))
                .isEqualTo("INSERT INTO t(name, \"id\") VALUES ('a', k('t', 'id', 9, NULL)), ('b', k('t', 'id', 9, NULL))");
    }

    @Test
    void suppliedKeyIsWrappedInPlaceKeepingParameterOrder() {
        assertThat(rewrite("insert into Person (name,id) values (?,?)"))
                .isEqualTo("insert into Person (name,id) values (?,k('t', 'id', 9, ?))");
        assertThat(rewrite("insert into t (\"ID\", name) values (coalesce(?, 3), (select max(x) from u))"))
                .isEqualTo("insert into t (\"ID\", name) values (k('t', 'id', 9, coalesce(?, 3)), (select max(x) from u))");
    }

    @Test
    void withoutColumnListTheKeyIsTheItemAtItsTablePosition() {
        assertThat(InsertKeyRewrite.rewrite("insert into t values (1, 'a', 2)", "id", 1, 3, CALL, ALIASES))
                .contains("insert into t values (1, k('t', 'id', 9, 'a'), 2)");
    }

    @Test
    void upsertReplaceReturningAndLeadingWithKeepTheirClauses() {
        assertThat(rewrite("insert into t (name) values (?) on conflict (name) do update set age = excluded.age "
                + "returning id")).isEqualTo("insert into t (name, \"id\") values (?, k('t', 'id', 9, NULL)) "
                + "on conflict (name) do update set age = excluded.age returning id");
        assertThat(rewrite("REPLACE INTO t (id, name) VALUES (NULL, 'x')"))
                .isEqualTo("REPLACE INTO t (id, name) VALUES (k('t', 'id', 9, NULL), 'x')");
        assertThat(rewrite("insert or replace into main.t as x (name) values ('x')"))
                .isEqualTo("insert or replace into main.t as x (name, \"id\") values ('x', k('t', 'id', 9, NULL))");
        assertThat(rewrite("with n(v) as (select 1) insert into t (name) values ((select v from n))"))
                .isEqualTo("with n(v) as (select 1) insert into t (name, \"id\") values ((select v from n), "
                        + "k('t', 'id', 9, NULL))");
    }

    @Test
    void selectSourceBecomesANumberedCte() {
        assertThat(rewrite("insert into t (name, age) select name, age from u where age > ? union select 'z', 1"))
                .isEqualTo("insert into t (name, age, \"id\") WITH __corrosion_rows(c1, c2) AS (select name, age "
                        + "from u where age > ? union select 'z', 1) SELECT c1, c2, k('t', 'id', 9, NULL) FROM "
                        + "__corrosion_rows WHERE true");
        assertThat(rewrite("insert into t select * from u where true on conflict do nothing"))
                .isEqualTo("insert into t WITH __corrosion_rows(c1, c2, c3) AS (select * from u where true) SELECT "
                        + "k('t', 'id', 9, c1), c2, c3 FROM __corrosion_rows WHERE true on conflict do nothing");
    }

    @Test
    void defaultValuesNameTheKey() {
        assertThat(rewrite("insert into t default values"))
                .isEqualTo("insert into t (\"id\") VALUES (k('t', 'id', 9, NULL))");
    }

    @Test
    void unknownShapesAreLeftAlone() {
        assertThat(InsertKeyRewrite.rewrite("update t set a = 1", "id", 0, 1, CALL, ALIASES)).isEmpty();
        assertThat(InsertKeyRewrite.rewrite("insert into t values (1)", "id", -1, 1, CALL, ALIASES)).isEmpty();
        assertThat(InsertKeyRewrite.rewrite("insert into t (a) values (1, 2), (3)", "id", 0, 2, CALL, ALIASES)).isPresent();
        assertThat(InsertKeyRewrite.rewrite("insert into t (id, a) values (1)", "id", 0, 2, CALL, ALIASES)).isPresent();
        assertThat(InsertKeyRewrite.rewrite("insert into t (a, id) values (1)", "id", 0, 2, CALL, ALIASES)).isEmpty();
        assertThat(InsertKeyRewrite.rewrite("insert into other.t (a) values (1)", "id", 0, 2, CALL, ALIASES)).isEmpty();
        assertThat(InsertKeyRewrite.rewrite("insert into MAIN.t (a) values (1)", "id", 0, 2, CALL, ALIASES)).isPresent();
    }

    /** Every rewrite above is valid SQLite and puts the function's value in the key column of every row. */
    @Test
    void rewrittenStatementsRunOnSqlite() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement()) {
            long[] next = {100};
            Function.create(c, "k", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    if (value_type(3) == 5) {
                        result(next[0]++);
                    } else {
                        result(value_long(3));
                    }
                }
            });
            s.executeUpdate("create table t (id integer primary key, name text unique, age int)");
            s.executeUpdate("create table u (id int, name text, age int)");
            s.executeUpdate("insert into u values (7, 'u7', 70), (8, 'u8', 80)");
            List<String> statements = new ArrayList<>(List.of(
                    rewrite("insert into t (name, age) values ('a', 1), ('b', 2)"),
                    rewrite("insert into t (id, name) values (null, 'c')"),
                    rewrite("insert into t (name, age) select name, age from u union select 'z', 1"),
                    rewrite("insert into t default values"),
                    rewrite("insert into t (name) values ('a') on conflict (name) do update set age = 9"),
                    rewrite("insert into t select id + 100, name || '!', age from u where true on conflict do nothing")));
            for (String sql : statements) {
                s.executeUpdate(sql);
            }
            try (ResultSet rs = s.executeQuery("select group_concat(id || ':' || coalesce(name, '-') || ':' "
                    + "|| coalesce(age, '-'), ' ') from (select * from t order by id)")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(
                        "100:a:9 101:b:2 102:c:- 103:u7:70 104:u8:80 105:z:1 106:-:- 107:u7!:70 108:u8!:80");
            }
        }
    }

    /** A column list that names the key by a rowid alias supplies it: no key is appended to override it. */
    @Test
    void aRowidAliasInTheColumnListIsTheKey() {
        assertThat(rewrite("insert into t (rowid, a) values (5000, 'x')"))
                .isEqualTo("insert into t (rowid, a) values (k('t', 'id', 9, 5000), 'x')");
        assertThat(rewrite("insert into t (a, _ROWID_) values ('x', ?)"))
                .isEqualTo("insert into t (a, _ROWID_) values ('x', k('t', 'id', 9, ?))");
        assertThat(InsertKeyRewrite.rewriteWithAppendedParameter("insert into t (oid, a) values (?, ?)", "id", "v",
                ALIASES)).isEmpty();
        // a table with a column named oid: there it is that column, and the key is still appended
        assertThat(InsertKeyRewrite.rewrite("insert into t (oid, a) values (1, 'x')", "id", 0, 3, CALL,
                Set.of("rowid", "_rowid_"))).contains("insert into t (oid, a, \"id\") values (1, 'x', k('t', 'id', 9, NULL))");
    }

    @Test
    void preparedSingleRowInsertsGetTheKeyAsAnAppendedParameter() {
        String value = "coalesce(?, k(3, NULL))";
        assertThat(InsertKeyRewrite.rewriteWithAppendedParameter("insert into team (name) values (?)", "id", value, ALIASES))
                .contains("insert into team (name, \"id\") values (?, coalesce(?, k(3, NULL)))");
        assertThat(InsertKeyRewrite.rewriteWithAppendedParameter(
                "insert into t (a, b) values (?, lower(?)) on conflict (a) do nothing returning id", "id", value, ALIASES))
                .contains("insert into t (a, b, \"id\") values (?, lower(?), coalesce(?, k(3, NULL))) "
                        + "on conflict (a) do nothing returning id");
        assertThat(InsertKeyRewrite.parameterCount("insert into t (a, b) values (?, lower(?))")).isEqualTo(2);
        // not eligible: the key is there, several rows, parameters after the row, numbered parameters, no parameter
        for (String sql : List.of("insert into t (id, a) values (?, ?)", "insert into t (a) values (?), (?)",
                "insert into t (a) values (?) on conflict (a) do update set b = ?", "insert into t (a) values (?1)",
                "insert into t (a) values ('x')", "insert into t values (?, ?)", "insert into t (a) select ?")) {
            assertThat(InsertKeyRewrite.rewriteWithAppendedParameter(sql, "id", value, ALIASES)).as(sql).isEmpty();
        }
    }

    @Test
    void parameterCountNeverChanges() {
        for (String sql : List.of("insert into t (name, age) values (?, ?)", "insert into t (id, name) values (?, ?)",
                "insert into t (name) select ? union select ?", "insert into t values (?, ?, ?)")) {
            String rewritten = rewrite(sql);
            assertThat(count(rewritten, '?')).as(rewritten).isEqualTo(count(sql, '?'));
        }
        assertThat(Optional.of(rewrite("insert into t (name) values ('what?')"))).contains(
                "insert into t (name, \"id\") values ('what?', k('t', 'id', 9, NULL))");
    }

    private static long count(String s, char c) {
        return s.chars().filter(ch -> ch == c).count();
    }
}
