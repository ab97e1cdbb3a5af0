package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.ChangesSql;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.PackedColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change listeners hear the changes of other nodes that the application merges itself ({@code applyChanges},
 * {@code INSERT INTO crsql_changes}) once they commit, one event per origin version, and nothing that rolled back.
 * Node a writes; the application on node b merges a's changes.
 */
class AppMergeListenerTest {
    private static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY NOT NULL, name TEXT)";

    @TempDir
    Path dir;

    private final List<Connection> conns = new ArrayList<>();
    private final List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
    private CorrosionConnection a;
    private CorrosionConnection b;
    private String siteA;
    private int markers;

    @BeforeEach
    void twoNodes() throws SQLException {
        a = open("a");
        b = open("b");
        exec(a, ITEM);
        exec(b, ITEM);
        exec(a, "INSERT INTO item VALUES (1, 'one'), (2, 'two')"); // version 1
        exec(a, "INSERT INTO item VALUES (3, 'three')"); // version 2
        siteA = SiteId.of(a.siteId()).toString();
        b.addChangeListener(heard::add);
    }

    @AfterEach
    void shutdown() throws SQLException {
        for (Connection c : conns) {
            c.close();
        }
        CorrosionDriver.shutdownAll();
    }

    @Test
    void applyChangesInAutoCommitIsHeardOncePerOriginVersion() throws Exception {
        assertThat(b.applyChanges(a.changesSince(0))).isPositive();
        marker();
        assertThat(fromA()).containsExactly("v1 [1, 2] impacted 2", "v2 [3] impacted 1");
        assertThat(heard.stream().filter(e -> e.siteId().equals(siteA))).allMatch(e -> !e.local());

        b.applyChanges(a.changesSince(0)); // nothing new: heard, as the agent tells of it, with no row impacted
        marker();
        assertThat(fromA()).containsExactly("v1 [1, 2] impacted 2", "v2 [3] impacted 1", "v1 [1, 2] impacted 0",
                "v2 [3] impacted 0");
    }

    @Test
    void insertIntoCrsqlChangesInAutoCommitIsHeard() throws Exception {
        exec(b, ChangesSql.insert(a.changes(a.siteId(), 2, 2)));
        marker();
        assertThat(fromA()).containsExactly("v2 [3] impacted 1");
    }

    @Test
    void aMergeInATransactionIsHeardAtItsCommitApartFromTheLocalWritesBesideIt() throws Exception {
        b.setAutoCommit(false);
        exec(b, ChangesSql.insert(a.changes(a.siteId(), 1, 1)));
        exec(b, "INSERT INTO item VALUES (10, 'local')");
        b.commit();
        b.setAutoCommit(true);
        marker();
        assertThat(fromA()).containsExactly("v1 [1, 2] impacted 2");
        ChangeEvent local = heard.stream().filter(ChangeEvent::local).findFirst().orElseThrow();
        assertThat(keys(local)).as("the local commit's rows").containsExactly("10");
    }

    @Test
    void aMergeInATransactionOfSqlsOwnIsHeardAtItsCommit() throws Exception {
        exec(b, "BEGIN");
        exec(b, ChangesSql.insert(a.changes(a.siteId(), 2, 2)));
        exec(b, "COMMIT");
        marker();
        assertThat(fromA()).containsExactly("v2 [3] impacted 1");
    }

    @Test
    void aMergeInASavepointThatCommitsIsHeard() throws Exception {
        java.sql.Savepoint s = b.setSavepoint();
        b.applyChanges(a.changes(a.siteId(), 2, 2));
        b.releaseSavepoint(s);
        marker();
        assertThat(fromA()).containsExactly("v2 [3] impacted 1");
    }

    @Test
    void aMergeThatRolledBackIsNotHeard() throws Exception {
        b.setAutoCommit(false);
        b.applyChanges(a.changesSince(0));
        exec(b, ChangesSql.insert(a.changes(a.siteId(), 2, 2)));
        b.rollback();
        b.setAutoCommit(true);
        marker();
        assertThat(fromA()).isEmpty();
    }

    @Test
    void aFailedStatementsMergesAreNotHeardButTheTransactionsOthersAre() throws Exception {
        List<Change> v1 = a.changes(a.siteId(), 1, 1);
        Change bad = new Change("nosuchtable", v1.get(0).pk(), "name", "x", 1, 1, v1.get(0).siteId(), 1, 0, null);
        List<Change> failing = new ArrayList<>(a.changes(a.siteId(), 2, 2));
        failing.add(bad);
        b.setAutoCommit(false);
        exec(b, ChangesSql.insert(v1));
        assertThatThrownBy(() -> exec(b, ChangesSql.insert(failing))).isInstanceOf(SQLException.class);
        b.commit();
        b.setAutoCommit(true);
        marker();
        assertThat(fromA()).containsExactly("v1 [1, 2] impacted 2");
    }

    /** A local commit on b, heard last: everything published before it has been delivered. */
    private void marker() throws SQLException {
        String key = String.valueOf(1000 + markers++);
        exec(b, "INSERT INTO item VALUES (" + key + ", 'marker')");
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream().anyMatch(e -> keys(e).contains(key)));
        heard.removeIf(e -> e.local() && keys(e).stream().anyMatch(k -> Long.parseLong(k) >= 1000));
    }

    private List<String> fromA() {
        return heard.stream().filter(e -> e.siteId().equals(siteA))
                .map(e -> "v" + e.dbVersion() + " " + keys(e) + " impacted " + e.rowsImpacted())
                .collect(Collectors.toList());
    }

    private static List<String> keys(ChangeEvent e) {
        return e.rows().getOrDefault("item", List.of()).stream()
                .map(pk -> String.valueOf(PackedColumns.unpack(pk).get(0))).collect(Collectors.toList());
    }

    private CorrosionConnection open(String name) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db"));
        conns.add(c);
        return c.unwrap(CorrosionConnection.class);
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
