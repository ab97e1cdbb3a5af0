package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.SLOT;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.assertInSlot;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.longs;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trigger bodies the key rewrite must read right (columns named begin and end, odd table names, every INSERT shape),
 * and what keeps their calls naming the right table: renames (of TEMP triggers too), rollbacks, transactions.
 */
class TriggerKeysEdgeCasesTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("edges.db") + "?node-slot=" + SLOT);
    }

    private static String triggerSql(Connection c, String schema, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select sql from " + schema + ".sqlite_master where type = 'trigger'"
                        + " and name = '" + name + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void createAudit(Connection c) throws SQLException {
        exec(c, "create table audit (id integer primary key, order_id integer, action text)");
    }

    /** A column named begin (a valid identifier in SQLite) before the body does not hide the body's first INSERT. */
    @Test
    void aColumnNamedBeginInTheWhenClauseDoesNotHideTheFirstBodyInsert() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table shifts (id integer primary key, begin text, end text)");
            createAudit(c);
            exec(c, "create trigger shifts_audit after insert on shifts when new.end > new.begin begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            for (int i = 0; i < 3; i++) {
                exec(c, "insert into shifts (begin, end) values ('0" + i + "', '1" + i + "')");
            }
            assertThat(triggerSql(c, "main", "shifts_audit")).contains(KeyFunctions.TRIGGER_KEY);
            assertInSlot(longs(c, "select id from audit"), SLOT);
        }
    }

    /** Same, with the column in UPDATE OF. */
    @Test
    void aColumnNamedBeginInUpdateOfDoesNotHideTheFirstBodyInsert() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table shifts (id integer primary key, begin text, end text)");
            createAudit(c);
            exec(c, "create trigger shifts_audit after update of begin on shifts begin "
                    + "insert into audit (order_id, action) values (new.id, 'moved'); end");
            assertThat(triggerSql(c, "main", "shifts_audit")).contains(KeyFunctions.TRIGGER_KEY);
        }
    }

    /** A rename re-creates this connection's TEMP triggers with the new name too. */
    @Test
    void aTempTriggerFollowsARename() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            createAudit(c);
            exec(c, "create temp trigger orders_audit after insert on main.orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            assertThat(triggerSql(c, "temp", "orders_audit")).contains(KeyFunctions.TRIGGER_KEY + "('audit'");
            exec(c, "insert into orders (item) values ('a')");
            exec(c, "alter table audit rename to audit_log");
            exec(c, "insert into orders (item) values ('b')");
            exec(c, "insert into orders (item) values ('c')");
            String sql = triggerSql(c, "temp", "orders_audit");
            assertInSlot(longs(c, "select id from audit_log"), SLOT);
            assertThat(sql).doesNotContain("('audit',");
        }
    }

    /** After a rename, a new table takes the old name: the TEMP trigger still allocates audit_log's keys from its counter. */
    @Test
    void aTempTriggerKeepsItsTablesCounterWhenANewTableTakesTheOldName() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            createAudit(c);
            exec(c, "create temp trigger orders_audit after insert on main.orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            exec(c, "insert into orders (item) values ('a')");
            exec(c, "insert into orders (item) values ('b')");
            exec(c, "alter table audit rename to audit_log");
            exec(c, "create table audit (id integer primary key, order_id integer, action text)");
            exec(c, "insert into orders (item) values ('c')");
            assertInSlot(longs(c, "select id from audit_log"), SLOT);
            exec(c, "insert into audit_log (order_id, action) values (0, 'direct')");
            assertThat(longs(c, "select count(*) from audit_log")).containsExactly(4L);
        }
    }

    /** Rename in a transaction that rolls back: the trigger is as before. */
    @Test
    void aRenameRolledBackLeavesTheTriggerAsItWas() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            createAudit(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            String before = triggerSql(c, "main", "orders_audit");
            c.setAutoCommit(false);
            exec(c, "alter table audit rename to audit_log");
            assertThat(triggerSql(c, "main", "orders_audit")).contains("'audit_log'");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(triggerSql(c, "main", "orders_audit")).isEqualTo(before);
            exec(c, "insert into orders (item) values ('a')");
            exec(c, "insert into orders (item) values ('b')");
            assertInSlot(longs(c, "select id from audit"), SLOT);
        }
    }

    /** A table name with a quote, its rename; a table whose name is a prefix of another's. */
    @Test
    void oddNamesAndPrefixNames() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            exec(c, "create table \"it's\" (id integer primary key, v integer)");
            exec(c, "create table \"it's_2\" (id integer primary key, v integer)");
            exec(c, "create trigger t1 after insert on orders begin "
                    + "insert into \"it's\" (v) values (new.id); insert into \"it's_2\" (v) values (new.id); end");
            exec(c, "insert into orders (item) values ('a')");
            exec(c, "alter table \"it's\" rename to \"it's new\"");
            exec(c, "insert into orders (item) values ('b')");
            assertInSlot(longs(c, "select id from \"it's new\""), SLOT);
            assertInSlot(longs(c, "select id from \"it's_2\""), SLOT);
            assertThat(triggerSql(c, "main", "t1")).contains("('it''s_2',").contains("('it''s new',");
        }
    }

    /** Shapes that must keep working: OR REPLACE, REPLACE INTO, UPSERT, SELECT with ORDER BY/LIMIT, generated column. */
    @Test
    void variousBodyShapes() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            createAudit(c);
            exec(c, "create table g (id integer primary key, a integer, b integer generated always as (a * 2), c text)");
            exec(c, "create trigger t1 after insert on orders for each row when new.item not like 'BEGIN%' begin\n"
                    + "  insert or replace into audit (order_id, action) values (new.id, 'or replace');\n"
                    + "  replace into audit (order_id, action) values (new.id, 'replace');\n"
                    + "  insert into audit (order_id, action) values (new.id, 'upsert') on conflict do nothing;\n"
                    + "  insert into audit (order_id, action) select id, 'sel' from orders order by id desc limit 1;\n"
                    + "  insert into audit (order_id, action) select new.id, 'up' where true on conflict do nothing;\n"
                    + "  insert into g values (null, new.id, 'no list');\n"
                    + "  insert into g (a, c) select new.id, case when new.id > 0 then 'x' else 'y' end;\n"
                    + "  select case when new.item = 'boom' then raise(abort, 'no; END') end;\n"
                    + "end");
            exec(c, "insert into orders (item) values ('a')");
            exec(c, "insert into orders (item) values ('b')");
            assertThat(longs(c, "select count(*) from audit")).containsExactly(10L);
            assertInSlot(longs(c, "select id from audit"), SLOT);
            assertInSlot(longs(c, "select id from g"), SLOT);
            assertThat(longs(c, "select count(*) from g where b = a * 2")).containsExactly(4L);
        }
    }

    /** CREATE TRIGGER through a PreparedStatement, and IF NOT EXISTS of an existing one. */
    @Test
    void preparedCreateTriggerAndIfNotExists() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            createAudit(c);
            String sql = "create trigger if not exists orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.execute();
            }
            exec(c, sql);
            assertThat(triggerSql(c, "main", "orders_audit")).contains(KeyFunctions.TRIGGER_KEY);
            try (PreparedStatement ps = c.prepareStatement("insert into orders (item) values (?)")) {
                for (int i = 0; i < 3; i++) {
                    ps.setString(1, "p" + i);
                    ps.executeUpdate();
                }
            }
            assertInSlot(longs(c, "select id from audit"), SLOT);
        }
    }

    /** A keyless table (hidden key) that gained a column: the hidden key is no longer last; the rewrite lists the columns. */
    @Test
    void anInsertSelectIntoAKeylessTableThatGainedAColumn() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            exec(c, "create table log (order_id integer, what text)");
            exec(c, "alter table log add column note text");
            exec(c, "create trigger orders_log after insert on orders begin "
                    + "insert into log select new.id, 'select', 'n'; end");
            exec(c, "insert into orders (item) values ('a')");
            assertInSlot(longs(c, "select __corrosion_row_id from log"), SLOT);
        }
    }

    /** The same with VALUES. */
    @Test
    void aValuesInsertIntoAKeylessTableThatGainedAColumnWorks() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table orders (id integer primary key, item text)");
            exec(c, "create table log (order_id integer, what text)");
            exec(c, "alter table log add column note text");
            exec(c, "create trigger orders_log after insert on orders begin "
                    + "insert into log values (new.id, 'values', 'n'); end");
            exec(c, "insert into orders (item) values ('a')");
            assertInSlot(longs(c, "select __corrosion_row_id from log"), SLOT);
        }
    }

    /** Table and trigger created in one transaction, then a trigger created and rolled back. */
    @Test
    void createTriggerInATransaction() throws SQLException {
        try (Connection c = open()) {
            c.setAutoCommit(false);
            exec(c, "create table orders (id integer primary key, item text)");
            createAudit(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            exec(c, "insert into orders (item) values ('a')");
            c.commit();
            exec(c, "create trigger orders_audit2 after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'two'); end");
            c.rollback();
            c.setAutoCommit(true);
            exec(c, "insert into orders (item) values ('b')");
            assertThat(triggerSql(c, "main", "orders_audit2")).isNull();
            assertInSlot(longs(c, "select id from audit"), SLOT);
            assertThat(longs(c, "select count(*) from audit")).containsExactly(2L);
        }
    }
}
