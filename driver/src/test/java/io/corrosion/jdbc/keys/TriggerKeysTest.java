package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.SLOT;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.assertInSlot;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.longs;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows a trigger inserts get keys from the node's range as the application's own INSERTs do: an audit trigger's rows,
 * an {@code INSTEAD OF} view's. With SQLite's {@code max(rowid) + 1} two nodes would write audit rows with equal keys,
 * which replication merges into one row.
 */
class TriggerKeysTest {
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(KeyStatementHook.class);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection open(String properties) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("triggers.db") + "?node-slot=" + SLOT
                + properties);
    }

    private static void createOrders(Connection c) throws SQLException {
        exec(c, "create table orders (id integer primary key, item text)");
        exec(c, "create table audit (id integer primary key, order_id integer, action text)");
    }

    private static void insertOrders(Connection c, int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            exec(c, "insert into orders (item) values ('item " + i + "')");
        }
    }

    private static String triggerSql(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select sql from sqlite_master where type = 'trigger' and name = '"
                        + name + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void anAuditTriggersRowsGetTheNodesKeys() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            insertOrders(c, 3);
            assertInSlot(longs(c, "select id from audit"), SLOT);
            assertThat(longs(c, "select order_id from audit order by id")).isEqualTo(longs(c,
                    "select id from orders order by id"));
        }
    }

    @Test
    void everyInsertOfATriggerBodyGetsTheNodesKeysAndOtherStatementsStayAsWritten() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create table counts (id integer primary key, n integer)");
            exec(c, "insert into counts (id, n) values (1, 0)");
            exec(c, "create trigger orders_audit after update of item on orders "
                    + "when case when new.item <> old.item then 1 else 0 end begin\n"
                    + "  insert into audit (order_id, action) values (new.id, 'was; ' || old.item);\n"
                    + "  update counts set n = n + 1 where id = 1; -- a comment; with a semicolon\n"
                    + "  insert into audit values (null, new.id, 'now ' || new.item);\n"
                    + "end;");
            insertOrders(c, 2);
            exec(c, "update orders set item = item || '!'");
            assertInSlot(longs(c, "select id from audit"), SLOT);
            assertThat(longs(c, "select count(*) from audit where action like 'was; item %'")).containsExactly(2L);
            assertThat(one(c, "select n from counts")).isEqualTo(2);
        }
    }

    @Test
    void anInsertSelectInATriggerThatLeavesTheKeyOutGetsTheNodesKeys() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) select new.id, 'a' union all select new.id, 'b'; end");
            insertOrders(c, 2);
            List<Long> ids = longs(c, "select id from audit");
            assertThat(ids).hasSize(4);
            assertInSlot(ids, SLOT);
        }
    }

    @Test
    void anInsteadOfTriggerOnAViewGivesTheNodesKeys() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create view order_entry as select id, item from orders");
            exec(c, "create trigger order_entry_insert instead of insert on order_entry begin "
                    + "insert into orders (item) values (new.item); "
                    + "insert into audit (order_id, action) values (last_insert_rowid(), 'entry'); end");
            exec(c, "insert into order_entry (item) values ('x'), ('y')");
            assertInSlot(longs(c, "select id from orders"), SLOT);
            assertInSlot(longs(c, "select id from audit"), SLOT);
        }
    }

    @Test
    void aTableWithoutAPrimaryKeyGetsTheNodesKeysFromATrigger() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create table log (order_id integer, what text)");
            exec(c, "create trigger orders_log after insert on orders begin "
                    + "insert into log values (new.id, 'values'); "
                    + "insert into log select new.id, 'select'; end");
            insertOrders(c, 2);
            assertThat(longs(c, "select count(*) from log")).containsExactly(4L);
            assertInSlot(longs(c, "select __corrosion_row_id from log"), SLOT);
        }
    }

    @Test
    void aKeyTheTriggerSuppliesIsStoredAsGiven() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (id, order_id, action) values (new.id + 7, new.id, 'given'); end");
            insertOrders(c, 1);
            assertThat(one(c, "select id from audit")).isEqualTo(one(c, "select id from orders") + 7);
        }
    }

    @Test
    void aRenamedTableKeepsGettingTheNodesKeysFromItsTriggers() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            insertOrders(c, 2);
            long before = one(c, "select max(id) from audit");
            exec(c, "alter table audit rename to audit_log");
            insertOrders(c, 2);
            List<Long> ids = longs(c, "select id from audit_log");
            assertThat(ids).hasSize(4);
            assertInSlot(ids, SLOT);
            assertThat(one(c, "select max(id) from audit_log")).isGreaterThan(before);
            assertThat(triggerSql(c, "orders_audit")).contains("'audit_log'").doesNotContain("'audit'");
        }
    }

    @Test
    void triggerKeysGoOnAfterARestart() throws SQLException {
        long before;
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            insertOrders(c, 2);
            before = one(c, "select max(id) from audit");
            exec(c, "delete from audit where id = " + before);
        }
        CorrosionDriver.shutdownAll();
        try (Connection c = open("")) {
            insertOrders(c, 1);
            assertInSlot(longs(c, "select id from audit"), SLOT);
            assertThat(one(c, "select max(id) from audit")).isGreaterThan(before);
        }
    }

    @Test
    void aLocalTableKeepsSQLitesKeysInATrigger() throws SQLException {
        try (Connection c = open("&local-tables=audit")) {
            createOrders(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (order_id, action) values (new.id, 'insert'); end");
            insertOrders(c, 2);
            assertThat(longs(c, "select id from audit order by id")).containsExactly(1L, 2L);
            assertThat(triggerSql(c, "orders_audit")).doesNotContain(KeyFunctions.TRIGGER_KEY);
        }
    }

    @Test
    void anInsertWhoseShapeKeepsSQLitesKeysIsNamedInAWarning() throws SQLException {
        try (Connection c = open("")) {
            createOrders(c);
            exec(c, "create trigger orders_audit after insert on orders begin "
                    + "insert into audit (id, order_id, action) select null, new.id, 'x'; end");
            insertOrders(c, 1);
            assertThat(longs(c, "select count(*) from audit")).containsExactly(1L);
        }
        assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("Trigger orders_audit", "INSERT into audit keeps SQLite's own keys"));
    }
}
