package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application triggers on a cluster, as in cr-sqlite: they fire for local writes and again when changes of other nodes
 * merge, and what they write during a merge stays on that node. So a trigger that keeps local derived data (a full-text
 * index) fires everywhere, and one that writes a replicated table (an audit log) is guarded with
 * {@code crsql_internal_sync_bit() = 0}: the node that took the write writes the audit row, replication carries it.
 */
class ApplicationTriggersTest {
    private static final int NODES = 2;
    private static final int ORDERS_PER_NODE = 3;

    @TempDir
    Path dir;

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void aGuardedAuditTriggerAndAFullTextIndexTriggerGiveEveryNodeTheSameAuditAndAFullIndex() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "triggers", NODES)) {
            for (int i = 0; i < NODES; i++) {
                Connection c = cluster.corrosion(i);
                exec(c, "create table orders (id integer primary key, item text)");
                exec(c, "create table audit (id integer primary key, order_id integer, action text)");
                exec(c, "create trigger orders_audit after insert on orders when crsql_internal_sync_bit() = 0 begin "
                        + "insert into audit (order_id, action) values (new.id, 'insert'); end");
                exec(c, "create virtual table orders_fts using fts5 (item)");
                exec(c, "create trigger orders_index after insert on orders begin "
                        + "insert into orders_fts (rowid, item) values (new.id, new.item); end");
            }
            for (int k = 0; k < ORDERS_PER_NODE; k++) {
                for (int i = 0; i < NODES; i++) {
                    exec(cluster.corrosion(i), "insert into orders (item) values ('widget " + i + " " + k + "')");
                }
            }
            cluster.awaitAllReplicated();

            List<String> audit = rows(cluster.corrosion(0), "select id, order_id from audit order by id");
            List<String> orders = rows(cluster.corrosion(0), "select id, id from orders order by id");
            assertThat(orders).hasSize(NODES * ORDERS_PER_NODE);
            assertThat(audit).as("one audit row per order, written where the order was").hasSize(orders.size());
            assertThat(rows(cluster.corrosion(0), "select count(distinct order_id), count(*) from audit"))
                    .containsExactly(orders.size() + "|" + orders.size());
            for (int i = 0; i < NODES; i++) {
                Connection c = cluster.corrosion(i);
                assertThat(rows(c, "select id, order_id from audit order by id")).as("audit of node %d", i)
                        .isEqualTo(audit);
                assertThat(rows(c, "select rowid, item from orders_fts where orders_fts match 'widget' order by rowid"))
                        .as("full-text index of node %d", i)
                        .isEqualTo(rows(c, "select id, item from orders order by id"));
            }
        }
    }

    @Test
    void aValidationTriggerRefusesMergedRowsUnlessItSkipsMerges() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "validation", NODES)) {
            for (int i = 0; i < NODES; i++) {
                exec(cluster.corrosion(i), "create table guarded (id integer primary key, v text)");
                exec(cluster.corrosion(i), "create table unguarded (id integer primary key, v text)");
            }
            Connection b = cluster.corrosion(1);
            exec(b, "create trigger guarded_check before insert on guarded"
                    + " when crsql_internal_sync_bit() = 0 and new.v = 'bad' begin select raise(abort, 'bad'); end");
            exec(b, "create trigger unguarded_check before insert on unguarded"
                    + " when new.v = 'bad' begin select raise(abort, 'bad'); end");
            Connection a = cluster.corrosion(0);
            exec(a, "insert into guarded (id, v) values (1, 'bad')");
            exec(a, "insert into unguarded (id, v) values (1, 'bad')");
            exec(a, "insert into unguarded (id, v) values (2, 'good')");

            await().atMost(LoopbackCluster.PATIENCE).until(() -> rows(b, "select id, v from unguarded").contains("2|good")
                    && rows(b, "select id, v from guarded").contains("1|bad"));
            assertThat(rows(b, "select id, v from unguarded")).as("the row the unguarded trigger refused in the merge")
                    .containsExactly("2|good");
            assertThat(catchThrowableOfType(SQLException.class, () -> exec(b, "insert into guarded (id, v)"
                    + " values (2, 'bad')")).getMessage()).as("the guarded trigger still checks local writes")
                    .contains("bad");
        }
    }
}
