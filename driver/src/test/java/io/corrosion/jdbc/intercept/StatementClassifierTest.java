package io.corrosion.jdbc.intercept;

import static io.corrosion.jdbc.intercept.StatementKind.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.insert.Insert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementClassifierTest {

    private static boolean parses(String sql) {
        try {
            return Interceptor.parse(sql) != null;
        } catch (Exception e) {
            return false;
        }
    }

    static StatementPlan plan(String sql) {
        SqlPlan p = Interceptor.classify(sql);
        assertThat(p.statements()).as(sql).hasSize(1);
        return p.first();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        // reads
        "select * from person where id = ?|READ|",
        "SELECT p.name FROM person p JOIN team t ON p.team_id = t.id|READ|",
        "with recent as (select * from person) select * from recent|READ|",
        "values (1, 2)|READ|",
        "explain query plan select 1|READ|",
        "(select 1) union (select 2)|READ|",
        // inserts
        "insert into person (id, name) values (?, ?)|INSERT|person",
        "INSERT INTO \"Person\" (\"id\") VALUES (1)|INSERT|Person",
        "insert into `person` (`id`) values (1)|INSERT|person",
        "insert into [person] ([id]) values (1)|INSERT|person",
        "insert into main.person (id) values (1)|INSERT|person",
        "insert or ignore into person (id) values (1)|INSERT|person",
        "insert or abort into person (id) values (1)|INSERT|person",
        "insert into person default values|INSERT|person",
        "with x as (select 1 as id) insert into person (id) select id from x|INSERT|person",
        "insert into person (id) values (1) on conflict (id) do update set name = excluded.name|UPSERT|person",
        "insert into person (id) values (1) on conflict do nothing|UPSERT|person",
        "insert or replace into person (id, name) values (1, 'a')|REPLACE|person",
        "replace into person (id, name) values (1, 'a')|REPLACE|person",
        "insert into crsql_changes (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?)|INSERT|crsql_changes",
        // update / delete
        "update person set name = ? where id = ?|UPDATE|person",
        "update or ignore person set name = 'x'|UPDATE|person",
        "update person set age = t.age from team t where t.id = person.team_id returning *|UPDATE|person",
        "delete from person where id = ?|DELETE|person",
        "DELETE FROM \"person\" WHERE id IN (SELECT id FROM gone)|DELETE|person",
        "with gone as (select 1) delete from person where id in gone|DELETE|person",
        // DDL
        "create table person (id integer primary key, name text)|CREATE_TABLE|person",
        "create table if not exists person (id int8 not null, constraint pk_person primary key (id))|CREATE_TABLE|person",
        "create table kv (k text primary key, v any) strict|CREATE_TABLE|kv",
        "create table kv (k text primary key, v text) without rowid|CREATE_TABLE|kv",
        "alter table person add email varchar(200)|ALTER_TABLE|person",
        "alter table person add column email text|ALTER_TABLE|person",
        "alter table person rename to people|ALTER_TABLE|person",
        "drop table if exists person|DROP_TABLE|person",
        "DROP TABLE person|DROP_TABLE|person",
        "create unique index if not exists person_name on person (name)|CREATE_INDEX|person",
        "create index idx on [person] (name)|CREATE_INDEX|person",
        "drop index if exists person_name|DROP_INDEX|",
        // transaction control, pragmas, other
        "begin|TRANSACTION|",
        "BEGIN IMMEDIATE|TRANSACTION|",
        "begin exclusive transaction|TRANSACTION|",
        "commit|TRANSACTION|",
        "end|TRANSACTION|",
        "rollback|TRANSACTION|",
        "rollback to savepoint sp1|TRANSACTION|",
        "savepoint sp1|TRANSACTION|",
        "release sp1|TRANSACTION|",
        "pragma journal_mode = wal|PRAGMA|",
        "PRAGMA main.table_info(person)|PRAGMA|",
        "create view v as select * from person|OTHER|",
        "create trigger t after insert on person begin update person set age = 1; end|OTHER|person",
        "create virtual table docs using fts5(body)|OTHER|",
        "vacuum|OTHER|",
        "attach database 'x.db' as x|OTHER|",
        "analyze|OTHER|",
        "backup to /tmp/x.db|OTHER|",
    })
    void classifiesKindAndTargetTable(String sql, StatementKind kind, String table) {
        StatementPlan p = plan(sql);
        assertThat(p.kind()).as(sql).isEqualTo(kind);
        if (table == null) {
            assertThat(p.table()).as(sql).isEmpty();
        } else {
            assertThat(p.table()).as(sql).contains(table);
        }
    }

    @Test
    void insertColumnsAreUnquotedInOrder() {
        assertThat(plan("insert into t (\"id\", `Name`, [age], plain) values (?, ?, ?, ?)").insertColumns())
                .containsExactly("id", "Name", "age", "plain");
        assertThat(plan("insert into t values (1, 2)").insertColumns()).isEmpty();
        StatementPlan p = plan("insert into team (name) values (?)");
        assertThat(p.insertsColumn("NAME")).isTrue();
        assertThat(p.insertsColumn("id")).isFalse();
    }

    @Test
    void insertFlagsOnConflictOrReplaceAndReturning() {
        StatementPlan upsert = plan("insert into t (id, v) values (?, ?) on conflict (id) do update set v = excluded.v returning id");
        assertThat(upsert.onConflict()).isTrue();
        assertThat(upsert.returning()).isTrue();
        assertThat(upsert.orAction()).isEqualTo(ConflictResolution.NONE);

        StatementPlan replace = plan("insert or replace into t (id) values (1)");
        assertThat(replace.orAction()).isEqualTo(ConflictResolution.REPLACE);
        assertThat(replace.onConflict()).isFalse();
        assertThat(replace.returning()).isFalse();

        assertThat(plan("replace into t (id) values (1)").orAction()).isEqualTo(ConflictResolution.REPLACE);
        assertThat(plan("insert or ignore into t (id) values (1)").orAction()).isEqualTo(ConflictResolution.IGNORE);
        // a join's ON in the SELECT part is not ON CONFLICT
        assertThat(plan("insert into t (id) select a.id from a join b on a.id = b.id").onConflict()).isFalse();
        // RETURNING inside a string or a subquery does not count
        assertThat(plan("insert into t (v) values ('returning')").returning()).isFalse();
    }

    @Test
    void onConflictIgnoresAnyWhenItsLastClauseIsDoNothingWithoutATarget() {
        assertThat(plan("insert into t values (1) on conflict do nothing").onConflictIgnoresAny()).isTrue();
        assertThat(plan("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET v = 1 ON CONFLICT DO NOTHING;")
                .onConflictIgnoresAny()).isTrue();
        assertThat(plan("insert into t values (1) on conflict (id) do nothing").onConflictIgnoresAny()).isFalse();
        assertThat(plan("insert into t values (1) on conflict do nothing on conflict (id) do update set v = 2")
                .onConflictIgnoresAny()).isFalse();
        assertThat(plan("insert into t select * from a join b on a.id = b.id where true on conflict (id) do nothing")
                .onConflictIgnoresAny()).isFalse();
        assertThat(plan("insert into t values (1)").onConflictIgnoresAny()).isFalse();
    }

    @Test
    void hooksParseTheirOwnCopy() throws Exception {
        assertThat(Interceptor.parse("insert into person (id, name) values (?, ?)")).isInstanceOf(Insert.class);
        assertThat(Interceptor.parse("create table person (id integer primary key autoincrement, name text)"))
                .isInstanceOfSatisfying(CreateTable.class, ct -> assertThat(ct.getColumnDefinitions()).hasSize(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "insert or ignore into person (id) values (1)",
        "create table kv (k text primary key, v text) without rowid",
        "create table kv (k text primary key, v any) strict",
        "delete from [person] where id = 1",
    })
    void statementsJsqlparserRejectsArePlannedByTheirKeywords(String sql) {
        assertThatThrownBy(() -> Interceptor.parse(sql)).isNotNull();
        assertThat(plan(sql).table()).isPresent();
    }

    @Test
    void plainReadsAreNeitherParsedNorHooked() {
        SqlPlan read = Interceptor.classify("select * from person where id = ?");
        assertThat(read.plainRead()).isTrue();
        assertThat(read.first().tables()).isEmpty(); // not parsed: JSqlParser would name person
    }

    @Test
    void readsOfCrsqlRelationsAreParsedAndHooked() {
        SqlPlan changes = Interceptor.classify("select \"table\", pk, cid, val from crsql_changes where db_version > ?");
        assertThat(changes.plainRead()).isFalse();
        assertThat(changes.first().mentionsInternal()).isTrue();
        assertThat(changes.first().tables()).containsExactly("crsql_changes");
        SqlPlan siteId = Interceptor.classify("SELECT crsql_site_id()");
        assertThat(siteId.plainRead()).isFalse();
    }

    @Test
    void multiStatementStringsClassifyEachStatement() {
        SqlPlan p = Interceptor.classify("create table a (id integer primary key); insert into a (id) values (1);"
                + " -- comment; not a statement\n select ';' from a; ;");
        assertThat(p.statements()).extracting(StatementPlan::kind).containsExactly(CREATE_TABLE, INSERT, READ);
        assertThat(p.isMultiStatement()).isTrue();
        assertThat(p.plainRead()).isFalse();
        assertThat(p.statements().get(2).sql()).isEqualTo("select ';' from a");
    }

    @Test
    void triggerBodiesDoNotSplit() {
        SqlPlan p = Interceptor.classify("create trigger t after update on person begin "
                + "update person set age = case when new.age > 1 then 1 else 2 end; insert into log (x) values (1); end;"
                + " insert into person (id) values (1)");
        assertThat(p.statements()).extracting(StatementPlan::kind).containsExactly(OTHER, INSERT);
        assertThat(p.first().objectName()).isEqualTo("t");
    }

    @Test
    void columnsNamedBeginAndEndDoNotEndATriggerBody() {
        SqlPlan p = Interceptor.classify("create trigger t after update of begin on shifts when new.end > new.begin begin "
                + "update shifts set end = new.begin where id = new.id; insert into log (x) values (new.end); end;"
                + " insert into shifts (id) values (1)");
        assertThat(p.statements()).extracting(StatementPlan::kind).containsExactly(OTHER, INSERT);
        assertThat(p.first().sql()).endsWith("values (new.end); end");
    }

    @Test
    void tempTablesAreMarked() {
        assertThat(plan("create temp table scratch (id integer primary key)").temporary()).isTrue();
        assertThat(plan("create temporary table if not exists scratch (id int)").temporary()).isTrue();
        assertThat(plan("insert into temp.scratch (id) values (1)").temporary()).isTrue();
        assertThat(plan("create table person (id int)").temporary()).isFalse();
    }

    @Test
    void blankAndCommentOnlyStringsHaveNoStatements() {
        assertThat(Interceptor.classify("   ").statements()).isEmpty();
        assertThat(Interceptor.classify("-- nothing\n/* at all */").statements()).isEmpty();
        assertThat(Interceptor.classify("").plainRead()).isFalse();
    }

    @Test
    void namesOfIndexesAndPragmasAreKept() {
        assertThat(plan("create index if not exists \"by name\" on person (name)").objectName()).isEqualTo("by name");
        assertThat(plan("drop index person_name").objectName()).isEqualTo("person_name");
        assertThat(plan("pragma foreign_keys = on").objectName()).isEqualTo("foreign_keys");
    }

    /** Exactly what STACK.md records Hibernate 7 (SQLiteDialect) and jOOQ 3.19 (SQLDialect.SQLITE) send. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "drop table if exists Person|DROP_TABLE|Person",
        "create table Person (age integer, id bigint not null, team_id bigint, version bigint not null, name varchar(255), primary key (id))|CREATE_TABLE|Person",
        "create table team (id integer, name varchar(255) not null unique, primary key (id))|CREATE_TABLE|team",
        "create table HTE_Person(age integer, id bigint, rn_ integer not null, hib_sess_id char(36) not null, primary key (rn_, hib_sess_id))|CREATE_TABLE|HTE_Person",
        "create table Person_SEQ (next_val bigint)|CREATE_TABLE|Person_SEQ",
        "select next_val as id_val from Person_SEQ|READ|",
        "update Person_SEQ set next_val= ? where next_val=?|UPDATE|Person_SEQ",
        "insert into team (name) values (?)|INSERT|team",
        "select last_insert_rowid()|READ|",
        "select id, name from person where _rowid_ = last_insert_rowid()|READ|",
        "insert into person (id, name) values (?, ?)|INSERT|person",
        "create table if not exists person (id int8 not null, name varchar(100) not null, age int, constraint pk_person primary key (id))|CREATE_TABLE|person",
        "alter table person add email varchar(200)|ALTER_TABLE|person",
        "insert into Person (age,name,team_id,version,id) values (?,?,?,?,?)|INSERT|Person",
        "update Person set age=?,name=?,team_id=?,version=? where id=? and version=?|UPDATE|Person",
        "delete from Person where id=? and version=?|DELETE|Person",
        "select p1_0.id,p1_0.age,p1_0.name from Person p1_0 where p1_0.name=? limit ? offset ?|READ|",
        "insert into \"person\" (\"id\", \"name\") values (?, ?) returning \"id\"|INSERT|person",
    })
    void classifiesFrameworkSql(String sql, StatementKind kind, String table) {
        StatementPlan p = plan(sql);
        assertThat(p.kind()).isEqualTo(kind);
        if (table != null) {
            assertThat(p.table()).contains(table);
        }
        if (kind != READ) { // for the hooks that rewrite a statement: they parse it
            assertThat(parses(sql)).as("JSqlParser parses what frameworks send: " + sql).isTrue();
        }
    }

    @Test
    void hibernateInsertColumnsTellWhetherTheKeyIsSupplied() {
        assertThat(plan("insert into Person (age,name,team_id,version,id) values (?,?,?,?,?)").insertsColumn("id"))
                .isTrue();
        assertThat(plan("insert into team (name) values (?)").insertsColumn("id")).isFalse();
    }

    @Test
    void keywordPlanAgreesWithJsqlparserOnTablesAndColumns() throws Exception {
        for (String sql : List.of("insert into \"P\" (\"a\", b) values (1, 2)", "update `t` set a = 1",
                "delete from main.t where 1", "insert into t (x) select 1 on conflict do nothing")) {
            StatementPlan p = plan(sql);
            var parsed = Interceptor.parse(sql);
            var names = new net.sf.jsqlparser.util.TablesNamesFinder<Void>().getTables(parsed);
            assertThat(names.stream().map(n -> Identifiers.unquote(n.substring(n.lastIndexOf('.') + 1))))
                    .as(sql).contains(p.table().orElseThrow());
        }
    }
}
