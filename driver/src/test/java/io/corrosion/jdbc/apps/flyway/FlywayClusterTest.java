package io.corrosion.jdbc.apps.flyway;

import static io.corrosion.jdbc.JdbcRows.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionDataSource;
import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway 13 on a cluster, upgraded one node at a time. Each node runs its own migrations, so each keeps its own
 * migration history: replicated, a node upgraded later found the new migration recorded as applied by another node,
 * skipped it, and never had its tables.
 */
class FlywayClusterTest {
    @TempDir
    Path dir;

    private static int migrate(String url, String... locations) {
        return Flyway.configure().dataSource(new CorrosionDataSource(url)).locations(locations).load().migrate()
                .migrationsExecuted;
    }

    @Test
    void aRollingUpgradeMigratesEveryNode() throws SQLException {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "flyway", 2)) {
            for (int i = 0; i < 2; i++) {
                assertThat(migrate(cluster.url(i), "classpath:flyway/v1")).isEqualTo(1);
            }
            assertThat(migrate(cluster.url(0), "classpath:flyway/v1", "classpath:flyway/v2")).isEqualTo(1);
            try (Statement s = cluster.corrosion(0).createStatement()) {
                s.executeUpdate("insert into orders (item) values ('from node 0')");
            }
            cluster.awaitReplicatedFrom(0);

            assertThat(migrate(cluster.url(1), "classpath:flyway/v1", "classpath:flyway/v2")).as("node 1 runs V2")
                    .isEqualTo(1);
            try (Statement s = cluster.corrosion(1).createStatement()) {
                s.executeUpdate("insert into orders (item) values ('from node 1')");
            }
            cluster.awaitAllReplicated();
            for (int i = 0; i < 2; i++) {
                Connection c = cluster.corrosion(i);
                assertThat(column(c, "select version from flyway_schema_history order by installed_rank"))
                        .as("history of node %d", i).containsExactly("1", "2");
                // node 0's audit row reached node 1 before its audit table: kept, it merges once V2 made the table
                await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> assertThat(column(c,
                        "select o.item from orders o join audit a on a.order_id = o.id order by o.item"))
                        .as("orders and their audit rows").containsExactly("from node 0", "from node 1"));
            }
        }
    }
}
