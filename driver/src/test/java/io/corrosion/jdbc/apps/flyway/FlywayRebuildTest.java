package io.corrosion.jdbc.apps.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDataSource;
import io.corrosion.jdbc.JdbcRows;
import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flyway migration that rebuilds a table (V2__item_rebuild.sql: create item_new, copy, drop item, rename,
 * re-create the index; Flyway runs it in one transaction), applied node by node in a rolling upgrade while the
 * application keeps writing on both nodes.
 */
class FlywayRebuildTest {
    private static final String ROWS = "select id || ':' || name || ':' || qty from item order by id";

    @TempDir
    Path dir;

    private static int migrate(String url, String... locations) {
        return Flyway.configure().dataSource(new CorrosionDataSource(url)).locations(locations).load().migrate()
                .migrationsExecuted;
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        }
    }

    @Test
    void aRollingUpgradeThatRebuildsATableKeepsEveryWrite() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "rebuild", 2)) {
            CorrosionConnection n0 = cluster.corrosion(0);
            CorrosionConnection n1 = cluster.corrosion(1);
            for (int i = 0; i < 2; i++) {
                assertThat(migrate(cluster.url(i), "classpath:flyway-rebuild/v1")).isEqualTo(1);
            }
            exec(n0, "insert into item (name, qty) values ('apple', 1), ('pear', 2), ('plum', 3), ('fig', 4)");
            cluster.awaitReplicatedFrom(0);
            // the application edits each row now and then, on both nodes (col_version 3)
            exec(n1, "update item set qty = qty + 10");
            cluster.awaitReplicatedFrom(1);
            exec(n0, "update item set qty = qty + 10");
            cluster.awaitReplicatedFrom(0);
            List<Long> ids = new ArrayList<>();
            for (String id : JdbcRows.column(n0, "select id from item order by id")) {
                ids.add(Long.parseLong(id));
            }

            assertThat(migrate(cluster.url(0), "classpath:flyway-rebuild/v1", "classpath:flyway-rebuild/v2"))
                    .as("node 0 runs V2").isEqualTo(1);
            exec(n0, "update item set qty = 5 where id = " + ids.get(0)); // node 0, migrated
            exec(n1, "update item set qty = 6 where id = " + ids.get(1)); // node 1, not migrated yet
            exec(n1, "delete from item where id = " + ids.get(3));
            cluster.awaitAllReplicated();

            assertThat(migrate(cluster.url(1), "classpath:flyway-rebuild/v1", "classpath:flyway-rebuild/v2"))
                    .as("node 1 runs V2").isEqualTo(1);
            exec(n1, "update item set qty = 7 where id = " + ids.get(2)); // node 1, migrated
            exec(n0, "insert into item (name) values ('kiwi')");
            exec(n1, "insert into item (name) values ('lime')");
            cluster.awaitAllReplicated();

            List<String> expected = List.of(ids.get(0) + ":apple:5", ids.get(1) + ":pear:6", ids.get(2) + ":plum:7");
            for (int i = 0; i < 2; i++) {
                Connection c = cluster.corrosion(i);
                int node = i;
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    List<String> rows = JdbcRows.column(c, ROWS);
                    assertThat(rows).as("node %d", node).containsAll(expected).hasSize(5)
                            .noneMatch(r -> r.startsWith(ids.get(3) + ":"));
                    assertThat(new HashSet<>(JdbcRows.column(c, "select id from item"))).hasSize(5);
                });
            }
            assertThat(JdbcRows.column(n1, ROWS)).isEqualTo(JdbcRows.column(n0, ROWS));
        }
    }
}
