package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowidKeyDdlTest {

    private static CreateTableShape shape(String sql) {
        return CreateTableShape.parse(sql).orElseThrow();
    }

    @Test
    void readsHibernateAndJooqTables() {
        CreateTableShape person = shape(
                "create table Person (age integer, id bigint not null, team_id bigint, name varchar(255), primary key (id))");
        assertThat(person.table()).isEqualTo("Person");
        assertThat(person.lowerCaseColumnNames()).containsExactly("age", "id", "team_id", "name");
        assertThat(person.primaryKey()).containsExactly("id");
        assertThat(person.column("NAME").orElseThrow().declaredType()).isEqualTo("varchar(255)");

        CreateTableShape jooq = shape("create table if not exists person (id int8 not null, name varchar(100) not null, "
                + "age int, constraint pk_person primary key (id))");
        assertThat(jooq.primaryKey()).containsExactly("id");
        assertThat(jooq.column("id").orElseThrow().declaredType()).isEqualTo("int8");

        CreateTableShape hte = shape("create table HTE_Person(rn_ integer not null, id bigint, "
                + "hib_sess_id char(36) not null, primary key (rn_, hib_sess_id))");
        assertThat(hte.primaryKey()).containsExactly("rn_", "hib_sess_id");
    }

    @Test
    void readsSqliteOnlySyntax() {
        CreateTableShape s = shape("CREATE TEMP TABLE IF NOT EXISTS [odd table] (\"k\" UNSIGNED BIG INT PRIMARY KEY DESC,"
                + " v ANY, g AS (v + 1)) WITHOUT ROWID, STRICT");
        assertThat(s.table()).isEqualTo("odd table");
        assertThat(s.temporary()).isTrue();
        assertThat(s.withoutRowid()).isTrue();
        assertThat(s.column("k").orElseThrow().declaredType()).isEqualTo("UNSIGNED BIG INT");
        assertThat(s.column("k").orElseThrow().primaryKeyDesc()).isTrue();
        assertThat(s.column("g").orElseThrow().generated()).isTrue();
        assertThat(shape("create table t (id, name)").column("id").orElseThrow().declaredType()).isEmpty();
        assertThat(CreateTableShape.parse("create table t as select 1 as x")).isEmpty();
        assertThat(CreateTableShape.parse("create index i on t (x)")).isEmpty();
    }

    @Test
    void convertsOnlySingleIntegerLikeKeysThatAreNotAliasesYet() {
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id bigint not null, primary key (id))"))).isPresent();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id, x, primary key (id))"))).isPresent();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id int primary key, x)"))).isPresent();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id integer primary key, x)"))).isEmpty();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id integer, x, primary key (id))"))).isEmpty();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id text primary key)"))).isEmpty();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id numeric(19,0) primary key)"))).isEmpty();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (a int, b int, primary key (a, b))"))).isEmpty();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id bigint primary key) without rowid"))).isEmpty();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id bigint primary key desc)"))).isEmpty();
        assertThat(RowidKeyDdl.convertibleKey(shape("create table t (id int primary key, x any) strict"))).isEmpty();
    }

    /** The rewritten key is a rowid alias in SQLite, and its declared type reads back from sqlite_master. */
    @Test
    void rewrittenKeysAreRowidAliasesAndRememberTheirDeclaredType() throws SQLException {
        List<String> ddl = List.of(
                "create table a (id bigint not null, name varchar(255), primary key (id))",
                "create table b (id, name, primary key (id))",
                "create table c (id int8 not null, constraint pk_c primary key (id))",
                "create table d (\"id\" int(11) primary key autoincrement, x)");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement()) {
            for (String sql : ddl) {
                CreateTableShape shape = shape(sql);
                s.executeUpdate(RowidKeyDdl.rewrite(sql, RowidKeyDdl.convertibleKey(shape).orElseThrow()));
                s.executeUpdate("insert into " + shape.table() + " (id) values (41)");
                try (ResultSet rs = s.executeQuery("select rowid, id, (select sql from sqlite_master where name = '"
                        + shape.table() + "') from " + shape.table())) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(sql).isEqualTo(41);
                    String declared = shape.column("id").orElseThrow().declaredType();
                    assertThat(RowidKeyDdl.declaredKeyTypes(rs.getString(3))).isEqualTo(Map.of("id", declared));
                }
            }
        }
        assertThat(RowidKeyDdl.declaredKeyTypes("create table t (id integer primary key)")).isEmpty();
    }
}
