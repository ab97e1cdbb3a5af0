package io.corrosion.jdbc.apps.liquibase;

import static io.corrosion.jdbc.JdbcRows.column;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquibase 4 on a cluster, upgraded one node at a time: each node keeps its own changelog and lock, so the node
 * upgraded second still runs the new changeset (a replicated changelog told it the changeset had run).
 */
class LiquibaseClusterTest {
    @TempDir
    Path dir;

    @SuppressWarnings("deprecation") // Liquibase's own facade; the command API needs more set-up for the same
    private static void update(String url, String changelog) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            try (Liquibase liquibase = new Liquibase(changelog, new ClassLoaderResourceAccessor(), database)) {
                liquibase.update("");
            }
        }
    }

    @Test
    void aRollingUpgradeRunsTheNewChangesetOnEveryNode() throws Exception {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "liquibase", 2)) {
            for (int i = 0; i < 2; i++) {
                update(cluster.url(i), "liquibase/v1/changelog.sql");
            }
            update(cluster.url(0), "liquibase/v2/changelog.sql");
            try (Statement s = cluster.corrosion(0).createStatement()) {
                s.executeUpdate("insert into orders (item) values ('from node 0')");
            }
            cluster.awaitReplicatedFrom(0);

            update(cluster.url(1), "liquibase/v2/changelog.sql");
            for (int i = 0; i < 2; i++) {
                Connection c = cluster.corrosion(i);
                assertThat(column(c, "select id from databasechangelog order by orderexecuted"))
                        .as("changelog of node %d", i).containsExactly("1", "2");
                assertThat(column(c, "select name from sqlite_master where type = 'table' and name = 'audit'"))
                        .as("node %d ran changeset 2", i).containsExactly("audit");
                assertThat(column(c, "select locked from databasechangeloglock")).as("lock of node %d", i)
                        .containsExactly("0");
            }
        }
    }

    /**
     * A change SQLite's ALTER TABLE cannot make (addDefaultValue): Liquibase renames the table away, creates it again,
     * copies the rows and drops the old one, in the changeset's transaction. The new table keeps the old one's clocks:
     * the copy, which changed no value, sends nothing, and updates made before it and, on the node not upgraded yet,
     * after it win on both nodes.
     */
    @Test
    void aRebuildByLiquibaseKeepsUpdatesMadeAroundIt() throws Exception {
        try (LoopbackCluster cluster = LoopbackCluster.start(dir, "liquibase-rebuild", 2)) {
            for (int i = 0; i < 2; i++) {
                update(cluster.url(i), "liquibase/rebuild/v1.xml");
            }
            Connection n0 = cluster.corrosion(0);
            Connection n1 = cluster.corrosion(1);
            try (Statement s = n0.createStatement()) {
                s.executeUpdate("insert into stock (id, item, qty) values (1, 'apple', 5), (2, 'pear', null), (3, 'fig', 7)");
            }
            cluster.awaitReplicatedFrom(0);
            try (Statement s = n1.createStatement()) {
                s.executeUpdate("update stock set qty = qty + 1 where id = 1"); // col_version 2, node 1
            }
            cluster.awaitReplicatedFrom(1);

            long before = cluster.corrosion(0).dbVersion();
            update(cluster.url(0), "liquibase/rebuild/v2.xml");
            try (Statement s = n1.createStatement()) {
                s.executeUpdate("update stock set item = 'figs' where id = 3"); // node 1, not upgraded yet
            }
            cluster.awaitAllReplicated();
            assertThat(column(n0, "select crsql_internal_pk_part(pk, 0) || ':' || cid || '=' || val from crsql_changes"
                    + " where site_id = crsql_site_id() and db_version > " + before + " and \"table\" = 'stock'"))
                    .as("what node 0's rebuild sent").isEmpty();

            update(cluster.url(1), "liquibase/rebuild/v2.xml");
            cluster.awaitAllReplicated();
            for (int i = 0; i < 2; i++) {
                assertThat(column(cluster.corrosion(i), "select id || ':' || item || ':' || coalesce(qty, 'null') from stock"
                        + " order by id")).as("node %d", i).containsExactly("1:apple:6", "2:pear:null", "3:figs:7");
                assertThat(column(cluster.corrosion(i), "select dflt_value from pragma_table_info('stock') where name = 'qty'"))
                        .containsExactly("0");
            }
        }
    }
}
