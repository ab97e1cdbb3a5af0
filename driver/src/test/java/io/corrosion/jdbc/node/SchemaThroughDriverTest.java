package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to the schemas applications create through jdbc:corrosion:, and to the tables a file already had. */
class SchemaThroughDriverTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void hibernateAndJooqDdlFromTheStackNotesWorksUnchanged() throws SQLException {
        try (Node h = new Node(dir, "hibernate"); Node j = new Node(dir, "jooq")) {
            h.exec("drop table if exists Person",
                    "create table Person (age integer, id bigint not null, team_id bigint, version bigint not null,"
                            + " name varchar(255), primary key (id))",
                    "create table team (id integer, name varchar(255) not null unique, primary key (id))",
                    "create table HTE_Person(age integer, id bigint, rn_ integer not null, hib_sess_id char(36) not null,"
                            + " primary key (rn_, hib_sess_id))",
                    "create table Person_SEQ (next_val bigint)",
                    "insert into Person_SEQ values ( 1 )");
            assertThat(h.crr.replicatedTables()).containsExactlyInAnyOrder("Person", "team");
            h.exec("insert into team (name) values ('red')", "insert into Person (id, version, name) values (7, 0, 'ada')");
            assertThat(h.rows("select \"table\", cid, val from crsql_changes order by 1, 2"))
                    .containsExactly(Arrays.asList("Person", "age", null), List.of("Person", "name", "ada"),
                            Arrays.asList("Person", "team_id", null), List.of("Person", "version", 0L), List.of("team", "name", "red"));

            j.exec("create table if not exists person (id int8 not null, name varchar(100) not null, age int,"
                    + " constraint pk_person primary key (id))", "alter table person add email varchar(200)",
                    "insert into person (id, name, email) values (1, 'grace', 'g@x')");
            assertThat(j.rows("select cid, val from crsql_changes where \"table\" = 'person' order by cid"))
                    .containsExactly(Arrays.asList("age", null), List.of("email", "g@x"), List.of("name", "grace"));
        }
    }

    @Test
    void uniqueIsEnforcedForLocalWritesAndNeverStopsAMerge() throws SQLException {
        String ddl = "create table team (id integer, name varchar(255) not null unique, city text, primary key (id))";
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(ddl, "insert into team (id, name, city) values (1, 'red', 'a')");
            b.exec(ddl, "insert into team (id, name, city) values (2, 'red', 'b')");
            SQLException duplicate = catchThrowableOfType(SQLException.class,
                    () -> a.exec("insert into team (id, name) values (3, 'red')"));
            assertThat(duplicate.getSQLState()).isEqualTo("23505");
            assertThat(duplicate.getMessage()).contains("UNIQUE constraint failed: team.name");

            Node.sync(a, b);
            List<List<Object>> both = List.of(List.of(1L, "red", "a"), List.of(2L, "red", "b"));
            assertThat(a.rows("select id, name, city from team order by id")).as("the merge kept both").isEqualTo(both);
            assertThat(b.rows("select id, name, city from team order by id")).isEqualTo(both);

            a.exec("insert or ignore into team (id, name) values (4, 'red')");
            assertThat(a.scalar("select count(*) from team")).isEqualTo(2L);
            a.exec("insert into team (id, name) values (5, 'blue')", "update team set city = 'c' where name = 'red'");
            SQLException renamed = catchThrowableOfType(SQLException.class,
                    () -> a.exec("update team set name = 'blue' where id = 1"));
            assertThat(renamed.getSQLState()).isEqualTo("23505");
            a.exec("insert or replace into team (id, name, city) values (6, 'blue', 'new')");
            assertThat(a.rows("select id, city from team where name = 'blue'")).containsExactly(List.of(6L, "new"));
            a.sendTo(b);
            assertThat(b.rows("select id from team order by id")).as("the replaced row's delete replicates")
                    .containsExactly(List.of(1L), List.of(2L), List.of(6L));

            a.exec("insert into team (id, name) values (8, 'red') on conflict (name) do update set city = 'x'");
            // the merge left two rows named red: the UPSERT updates the one with the lowest key
            List<List<Object>> updated = List.of(List.of(1L, "x"), List.of(2L, "c"));
            assertThat(a.rows("select id, city from team where name = 'red' order by id")).isEqualTo(updated);
            a.sendTo(b);
            assertThat(b.rows("select id, city from team where name = 'red' order by id")).isEqualTo(updated);
            SQLException upsert = catchThrowableOfType(SQLException.class, () -> a.exec(
                    "insert into team (id, name) values (8, 'red') on conflict (city) do update set city = 'x'"));
            assertThat(upsert.getSQLState()).isEqualTo("0A000");
            assertThat(upsert.getMessage()).contains("ON CONFLICT can name the primary key or one UNIQUE constraint");
        }
    }

    @Test
    void createUniqueIndexOnAReplicatedTableBecomesAChecked() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec("create table t (id integer primary key, code text, v int)", "create unique index t_code on t (code)",
                    "insert into t (id, code) values (1, 'x')");
            assertThat(catchThrowableOfType(SQLException.class, () -> a.exec("insert into t (id, code) values (2, 'x')"))
                    .getSQLState()).isEqualTo("23505");
            assertThat(a.rows("select \"unique\" from pragma_index_list('t') where name = 't_code'")).containsExactly(List.of(0L));
            a.exec("drop index t_code", "insert into t (id, code) values (2, 'x')");
            assertThat(a.scalar("select count(*) from t")).isEqualTo(2L);
        }
    }

    @Test
    void notNullColumnsWithoutDefaultStayNotNullLocallyAndMergesFillThem() throws SQLException {
        String ddl = "create table item (id integer primary key, name varchar(50) not null, qty int not null,"
                + " price real not null, status varchar(10) not null check (status in ('NEW', 'OLD')))";
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b")) {
            a.exec(ddl, "insert into item values (1, 'pen', 3, 1.5, 'NEW')");
            b.exec(ddl);
            assertThat(catchThrowableOfType(SQLException.class, () -> a.exec("insert into item (id, qty) values (2, 1)"))
                    .getSQLState()).as("NOT NULL holds for local writes").isEqualTo("23502");

            List<Change> all = a.crr.changesSince(0);
            List<Change> qtyOnly = all.stream().filter(ch -> ch.cid().equals("qty")).toList();
            try (MergeConnection m = merger(b)) {
                m.apply(qtyOnly); // the row is created before its other columns' changes arrive
                assertThat(b.rows("select name, qty, price, status from item")).containsExactly(List.of("", 3L, 0.0, ""));
                m.apply(all);
            }
            assertThat(b.rows("select * from item")).isEqualTo(a.rows("select * from item"));
        }
    }

    @Test
    void foreignKeysStayDeclaredAndMergesDoNotEnforceThem() throws SQLException {
        String[] ddl = {"create table author (id int8 not null, name varchar(100) not null, constraint pk_author primary key (id))",
            "create table book (id int not null, author_id int8 not null, title varchar(200), constraint pk_book primary key (id),"
                    + " constraint fk_author foreign key (author_id) references author (id))"};
        try (Node a = new Node(dir, "a"); Node b = new Node(dir, "b", "foreign_keys=true")) {
            a.exec(ddl);
            b.exec(ddl);
            assertThat(b.crr.replicatedTables()).contains("author", "book");
            try (ResultSet fks = b.c.getMetaData().getImportedKeys(null, null, "book")) {
                assertThat(fks.next()).as("the foreign key is declared").isTrue();
                assertThat(fks.getString("PKTABLE_NAME")).isEqualTo("author");
            }
            assertThat(catchThrowableOfType(SQLException.class,
                    () -> b.exec("insert into book (id, author_id) values (1, 99)")).getSQLState())
                    .as("local writes on a connection with foreign_keys=true are checked").isEqualTo("23503");

            a.exec("insert into author values (1, 'x')", "insert into book values (1, 1, 't')", "delete from author");
            try (MergeConnection m = merger(b)) {
                m.apply(a.crr.changesSince(0).stream().filter(ch -> ch.table().equals("book")).toList());
            }
            assertThat(b.rows("select id, author_id from book")).as("a merge never gets stuck on a dangling reference")
                    .containsExactly(List.of(1L, 1L));
        }
    }

    @Test
    void autoincrementKeysAreAcceptedAndNodePrivate() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=3"); Node b = new Node(dir, "b", "node-slot=4")) {
            for (Node n : List.of(a, b)) {
                n.exec("create table if not exists author (id integer primary key autoincrement not null,"
                        + " name varchar(100) not null, email varchar(100), constraint uk_email unique (email))",
                        "insert into author (name) values ('n')");
            }
            Node.sync(a, b);
            assertThat(a.rows("select id % 1024 from author order by 1")).containsExactly(List.of(4L), List.of(5L));
            assertThat(b.rows("select * from author order by id")).isEqualTo(a.rows("select * from author order by id"));
        }
    }

    @Test
    void tablesWithoutAPrimaryKeyGetAHiddenNodePrivateOneAndKeepEveryRow() throws SQLException {
        String ddl = "create table Player_bag (Player_id bigint not null, bag varchar(255))";
        // Each node its own slot: the hidden keys are node-private keys, and two local nodes never see each other's
        // slot claims, so 1 run in 1024 both picked one slot by hash and their first rows merged into one.
        try (Node a = new Node(dir, "a", "node-slot=1"); Node b = new Node(dir, "b", "node-slot=2")) {
            a.exec(ddl, "insert into Player_bag (Player_id, bag) values (1, 'x')", "insert into Player_bag values (1, 'x')",
                    "insert into Player_bag select 2, 'y'");
            b.exec(ddl, "insert into Player_bag values (1, 'x')");
            Node.sync(a, b);
            assertThat(b.rows("select Player_id, bag from Player_bag order by 1, 2"))
                    .containsExactly(List.of(1L, "x"), List.of(1L, "x"), List.of(1L, "x"), List.of(2L, "y"));
            assertThat(columns(a.c, "Player_bag")).containsExactly("Player_id", "bag");
            assertThat(a.rows("select name from pragma_table_info('Player_bag')")).containsExactly(List.of("Player_id"), List.of("bag"));
            a.exec("delete from Player_bag where Player_id = 1"); // Hibernate's way to rewrite a bag: delete all, insert
            b.exec("insert into Player_bag values (1, 'z')");     // concurrently, on the other node
            Node.sync(a, b);
            assertThat(b.rows("select Player_id, bag from Player_bag order by 1")).as("deletes hit the rows seen, not the new one")
                    .containsExactly(List.of(1L, "z"), List.of(2L, "y"));
            assertThat(a.rows("select Player_id, bag from Player_bag order by 1")).isEqualTo(b.rows("select Player_id, bag from Player_bag order by 1"));
        }
    }

    @Test
    void aTableThatCannotBeACrrIsRefusedAndNotCreated() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.exec("create table src (id integer primary key, v text)");
            // a column of the name of the hidden key the driver would give the table
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> a.exec("create table copy as select v as __corrosion_row_id from src"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("copy").contains("__corrosion_row_id");
            assertThat(a.scalar("select count(*) from sqlite_master where name = 'copy'")).isEqualTo(0L);

            a.c.setAutoCommit(false);
            a.exec("insert into src values (1, 'kept')");
            SQLException refused = catchThrowableOfType(SQLException.class,
                    () -> a.exec("create table copy2 as select v as __corrosion_row_id from src"));
            assertThat(refused.getSQLState()).isEqualTo("0A000");
            a.c.commit();
            a.c.setAutoCommit(true);
            assertThat(a.rows("select v from src")).as("the application's transaction went on").containsExactly(List.of("kept"));
        }
        try (Node local = new Node(dir, "local", "local-tables=copy*")) {
            local.exec("create table src (id integer primary key, v text)", "create table copy as select v from src");
            assertThat(local.crr.replicatedTables()).containsExactly("src");
        }
    }

    @Test
    void alterTableInEveryFormKeepsCaptureAndMergesRight() throws SQLException {
        String ddl = "create table t (id integer primary key, a text, b int)";
        String[] migrations = {"alter table t add c text", "alter table t add column d int default 7",
            "alter table t drop column b", "alter table t rename column a to aa", "alter table t rename to tt"};
        try (Node x = new Node(dir, "x"); Node y = new Node(dir, "y")) {
            x.exec(ddl, "insert into t values (1, 'one', 1)");
            y.exec(ddl);
            x.exec(migrations);
            y.exec(migrations);
            assertThat(x.crr.replicatedTables()).containsExactly("tt");
            x.exec("update tt set c = 'see', d = 8 where id = 1", "insert into tt (id, aa) values (2, 'two')");
            Node.sync(x, y);
            assertThat(y.rows("select * from tt order by id")).isEqualTo(x.rows("select * from tt order by id"))
                    .containsExactly(List.of(1L, "one", "see", 8L), Arrays.asList(2L, "two", null, 7L));
            x.exec("drop table tt");
            assertThat(x.crr.replicatedTables()).isEmpty();
            assertThat(x.crr.changesSince(0)).isEmpty();
        }
    }

    /**
     * A local table renamed to a name the local-tables property does not match replicates from the rename on, as
     * the next open would make it (back-filled): it stayed local until a restart, which then sent all its rows.
     */
    @Test
    void aLocalTableRenamedToAReplicatedNameReplicatesFromTheRename() throws SQLException {
        try (Node x = new Node(dir, "x", "local-tables=scratch_*", "node-slot=5"); Node y = new Node(dir, "y")) {
            x.exec("create table scratch_users (id integer primary key, name text)",
                    "insert into scratch_users values (1, 'ann')");
            y.exec("create table users (id integer primary key, name text)");
            x.exec("alter table scratch_users rename to users");
            assertThat(x.crr.replicatedTables()).containsExactly("users");
            x.exec("insert into users values (2, 'bob')", "update users set name = 'anna' where id = 1");
            Node.sync(x, y);
            assertThat(y.rows("select * from users order by id")).containsExactly(List.of(1L, "anna"), List.of(2L, "bob"));

            x.c.setAutoCommit(false); // in a transaction too, with a temporary name that stays local
            x.exec("create table scratch_orders (id integer primary key, item text)",
                    "insert into scratch_orders values (1, 'pen')", "alter table scratch_orders rename to orders");
            x.c.commit();
            x.c.setAutoCommit(true);
            assertThat(x.crr.replicatedTables()).containsExactlyInAnyOrder("users", "orders");
            assertThat(x.rows("select cid, val from crsql_changes where \"table\" = 'orders'"))
                    .containsExactly(List.of("item", "pen"));

            // The other way is refused: the table would go on replicating with SQLite's keys (max + 1), which another
            // node generates too.
            SQLException e = catchThrowableOfType(SQLException.class, () -> x.exec("alter table orders rename to scratch_orders"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("orders").contains("scratch_orders").contains("local");
            x.exec("insert into orders (item) values ('ink')");
            assertThat(x.rows("select item from orders order by item")).containsExactly(List.of("ink"), List.of("pen"));
            assertThat(x.scalar("select id % 1024 from orders where item = 'ink'")).as("a key of slot 5").isEqualTo(6L);
        }
    }

    /**
     * A TEMP table with the name of a replicated table hides it from SQL that names no schema, the driver's reads of
     * the replicated tables' columns among them: creating any other table then failed with an
     * ArrayIndexOutOfBoundsException (the hidden table's key read as the TEMP table's, which has none).
     */
    @Test
    void aTempTableWithTheNameOfAReplicatedTableLeavesItsSetupAlone() throws SQLException {
        try (Node x = new Node(dir, "x"); Node y = new Node(dir, "y")) {
            for (Node n : List.of(x, y)) {
                n.exec("create table bag (owner int, item text)", "create table pet (id integer primary key, name text)");
            }
            x.exec("insert into bag values (1, 'ball')", "create temp table bag (note text)",
                    "create temp table pet (note text)");
            x.exec("create table toy (id integer primary key, name text unique)");
            y.exec("create table toy (id integer primary key, name text unique)");
            x.exec("insert into main.bag values (2, 'bone')", "insert into toy (id, name) values (1, 'rope')",
                    "insert into main.pet (id, name) values (1, 'rex')");
            assertThat(x.crr.replicatedTables()).containsExactlyInAnyOrder("bag", "pet", "toy");
            x.sendTo(y); // not back: a merge into x, whose TEMP tables hide bag and pet, is refused (test below)
            assertThat(y.rows("select owner, item from bag order by owner"))
                    .containsExactly(List.of(1L, "ball"), List.of(2L, "bone"));
            assertThat(y.rows("select name from toy")).containsExactly(List.of("rope"));
            assertThat(y.rows("select name from pet")).containsExactly(List.of("rex"));
        }
    }

    /**
     * A merge on a connection whose TEMP table hides a replicated table of its name is refused: its writes went into
     * the TEMP table (gone with the connection), and the change counted as merged, so no sync brought it again.
     */
    @Test
    void aMergeIntoAReplicatedTableThatATempTableHidesIsRefused() throws SQLException {
        try (Node x = new Node(dir, "x"); Node y = new Node(dir, "y")) {
            for (Node n : List.of(x, y)) {
                n.exec("create table t (id integer primary key, v text)");
            }
            x.exec("insert into t (id, v) values (1, 'one')");
            y.exec("create temp table t (id integer primary key, v text)");
            SQLException e = catchThrowableOfType(SQLException.class, () -> x.sendTo(y));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("TEMP t");
            SQLException viaSql = catchThrowableOfType(SQLException.class, () -> y.exec("insert into crsql_changes"
                    + " (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq)"
                    + " values ('t', x'010902', 'v', 'two', 1, 9, zeroblob(16), 1, 0)"));
            assertThat(viaSql.getSQLState()).isEqualTo("0A000");
            assertThat(y.rows("select count(*) from temp.t")).containsExactly(List.of(0L));
            y.exec("drop table temp.t");
            x.sendTo(y);
            assertThat(y.rows("select id, v from t")).containsExactly(List.of(1L, "one"));
        }
    }

    @Test
    void schemaChangesInsideATransactionRollBackWithIt() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            a.c.setAutoCommit(false);
            a.exec("create table t (id integer primary key, v text)", "insert into t values (1, 'x')");
            assertThat(a.crr.replicatedTables()).containsExactly("t");
            a.c.rollback();
            a.c.setAutoCommit(true);
            assertThat(a.crr.replicatedTables()).isEmpty();
            assertThat(a.scalar("select count(*) from sqlite_master where name like 't%'")).isEqualTo(0L);
            a.exec("create table t (id integer primary key, v text)", "insert into t values (1, 'y')");
            assertThat(a.rows("select cid, val, db_version from crsql_changes")).containsExactly(List.of("v", "y", 1L));
        }
    }

    /**
     * Capture is off for a table while it is altered, and a table dropped and created again must be set up again: SQL
     * that would put writes beside such DDL is refused before anything of it runs; the same statements one by one
     * replicate.
     */
    @Test
    void writesBesideAlterOrDropAndCreateInOneStringOrBatchAreRefusedWhole() throws SQLException {
        try (Node x = new Node(dir, "x"); Node y = new Node(dir, "y")) {
            for (Node n : List.of(x, y)) {
                n.exec("create table t (id integer primary key, name text)", "create table other (id integer primary key)");
            }
            x.exec("insert into t values (1, 'one'), (2, 'two')");
            Node.sync(x, y);
            List<List<Object>> before = x.rows("select * from t order by id");

            try (Statement s = x.c.createStatement()) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeUpdate(
                        "update t set name = 'changed' where id = 1; alter table t add column c text"));
                assertThat(e.getSQLState()).isEqualTo("0A000");
                e = catchThrowableOfType(SQLException.class, () -> s.execute(
                        "update t set name = 'exec' where id = 1; alter table t add column c text"));
                assertThat(e.getSQLState()).isEqualTo("0A000");
                s.addBatch("update t set name = 'batched' where id = 2");
                s.addBatch("alter table t add column d text");
                e = catchThrowableOfType(SQLException.class, s::executeBatch);
                assertThat(e.getSQLState()).isEqualTo("0A000");
                assertThat(s.executeBatch()).as("the refused batch is cleared, as a batch that ran").isEmpty();
                e = catchThrowableOfType(SQLException.class, () -> s.executeUpdate(
                        "drop table t; create table t (id integer primary key, name text)"));
                assertThat(e.getSQLState()).isEqualTo("0A000");
            }
            assertThat(x.rows("select * from t order by id")).as("nothing of the refused SQL ran").isEqualTo(before);
            assertThat(x.rows("select name from pragma_table_info('t') order by cid")).containsExactly(List.of("id"),
                    List.of("name"));

            // Beside writes to other tables, and as statements of their own, it runs and replicates.
            try (Statement s = x.c.createStatement()) {
                s.executeUpdate("insert into other values (1); alter table t add column c text");
                s.executeUpdate("alter table t add column d text; alter table t add column e text");
            }
            y.exec("alter table t add column c text", "alter table t add column d text", "alter table t add column e text");
            x.exec("update t set name = 'changed', c = 'see' where id = 1");
            Node.sync(x, y);
            assertThat(y.rows("select * from t order by id")).isEqualTo(x.rows("select * from t order by id"));
            assertThat(y.rows("select * from other")).containsExactly(List.of(1L));
        }
    }

    @Test
    void recursiveTriggersAreRefused() throws SQLException {
        for (String value : List.of("true", "on", "1")) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> new Node(dir, "url", "recursive_triggers=" + value).close());
            assertThat((Object) e).as(value).isNotNull();
            assertThat(e.getMessage()).contains("recursive_triggers");
            assertThat(e.getSQLState()).isNotNull();
        }
        try (Node off = new Node(dir, "off", "recursive_triggers=false")) {
            assertThat(off.scalar("PRAGMA recursive_triggers")).isEqualTo(0L);
        }
        try (Node a = new Node(dir, "a")) {
            for (String sql : List.of("PRAGMA recursive_triggers = ON", "pragma recursive_triggers=1", "PRAGMA main.recursive_triggers(true)")) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> a.exec(sql));
                assertThat(e.getSQLState()).as(sql).isEqualTo("0A000");
            }
            a.exec("PRAGMA recursive_triggers = OFF");
            assertThat(a.scalar("PRAGMA recursive_triggers")).isEqualTo(0L);
        }
    }

    @Test
    void tablesThatExistedBeforeAreUpgradedOnOpenOrLeftLocal() throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("old.db"));
                Statement s = plain.createStatement()) {
            s.execute("create table t (id integer primary key, v text, n int not null)");
            s.execute("insert into t values (1, 'a', 1), (2, 'b', 2)");
            s.execute("create table coded (id integer primary key, code text)");
            s.execute("create unique index coded_code on coded (code)");
            s.execute("create table constrained (id integer primary key, email text unique)");
            s.execute("create table log (at int, msg text)");
        }
        try (Node a = new Node(dir, "old")) {
            assertThat(a.crr.replicatedTables()).containsExactlyInAnyOrder("t", "coded");
            assertThat(a.rows("select pk, cid, val from crsql_changes where \"table\" = 't' order by pk, cid"))
                    .as("back-filled").hasSize(4);
            a.exec("insert into coded values (1, 'x')");
            assertThat(catchThrowableOfType(SQLException.class, () -> a.exec("insert into coded values (2, 'x')"))
                    .getSQLState()).isEqualTo("23505");
            a.exec("insert into constrained values (1, 'e')", "insert into log values (1, 'm')");
            assertThat(a.rows("select distinct \"table\" from crsql_changes order by 1")).as("left-local tables are not replicated")
                    .containsExactly(List.of("coded"), List.of("t"));
        }
    }

    @Test
    void mergeEqualValuesPropertyBecomesTheEngineSetting() throws SQLException {
        try (Node a = new Node(dir, "a", "merge-equal-values=true")) {
            assertThat(a.scalar("SELECT crsql_config_get('merge-equal-values')")).isEqualTo(1L);
        }
        CorrosionDriver.shutdownAll();
        try (Node a = new Node(dir, "a")) {
            assertThat(a.scalar("SELECT crsql_config_get('merge-equal-values')")).isEqualTo(0L);
        }
    }

    private static MergeConnection merger(Node n) throws SQLException {
        return ((NodeExtension) extension(n)).openMergeConnection();
    }

    private static Object extension(Node n) throws SQLException {
        return io.corrosion.jdbc.TestAccess.extension(n.url);
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        return out;
    }
}
