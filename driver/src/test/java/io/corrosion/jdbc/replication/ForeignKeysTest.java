package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foreign_keys=true} checks the application's writes, never merges: a parent deleted on one node while a child
 * of it is inserted on another must replicate both ways (the child stays, an orphan) instead of stopping replication,
 * as it did while the agent's connections checked foreign keys too.
 */
class ForeignKeysTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection node(String name, String seeds) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db")
                + "?bind=127.0.0.1:0&seeds=" + seeds + "&tls.insecure=true&foreign_keys=true&sync-interval=500ms");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), name TEXT)");
        }
        return c;
    }

    @Test
    void aParentDeletedOnOneNodeWhileAChildIsInsertedOnAnotherReplicatesBothWays() throws Exception {
        try (Connection a = node("a", ""); Connection b = node("b", address(a))) {
            CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
            CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> ca.members().size() == 1 && cb.members().size() == 1);
            a.createStatement().execute("INSERT INTO parent VALUES (1, 'parent')");
            assertThat(cb.awaitVersion(ca.lastCommitToken(), Duration.ofSeconds(30))).isTrue();

            // concurrent: a's transaction reads the parent, b deletes it, a inserts a child of it (checked against
            // a's snapshot, where the parent is) and commits; b's delete waits for a's open transaction (the gate)
            TransactionGate.applyWaitMillis = 60_000;
            try {
                a.setAutoCommit(false);
                assertThat(Rows.query(a, "SELECT count(*) FROM parent")).containsExactly(List.of(1L));
                b.createStatement().execute("DELETE FROM parent WHERE id = 1");
                a.createStatement().execute("INSERT INTO child VALUES (10, 1, 'child')");
                a.commit();
                a.setAutoCommit(true);
            } finally {
                TransactionGate.applyWaitMillis = TransactionGate.APPLY_WAIT_MILLIS;
            }

            assertThat(cb.awaitVersion(ca.lastCommitToken(), Duration.ofSeconds(30))).as("b has a's child").isTrue();
            assertThat(ca.awaitVersion(cb.lastCommitToken(), Duration.ofSeconds(30))).as("a has b's delete").isTrue();
            for (Connection c : List.of(a, b)) {
                assertThat(Rows.query(c, "SELECT (SELECT count(*) FROM parent), (SELECT count(*) FROM child)"))
                        .containsExactly(List.of(0L, 1L));
            }
            // the application's own writes are still checked
            try (Statement s = b.createStatement()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> s.execute("INSERT INTO child VALUES (11, 99, 'no such parent')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            }
        }
    }

    private static String address(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
    }
}
