package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * A deferred foreign key refuses the commit and leaves the transaction open (SQLite): the application rolls it
     * back, nothing of it reaches the peer or a change listener, and both nodes go on replicating. Switching
     * auto-commit on to commit used to leave the connection in auto-commit with the transaction open: the rollback
     * was refused and the transaction kept the file's write lock.
     */
    @ParameterizedTest
    @ValueSource(strings = {"commit()", "COMMIT", "setAutoCommit(true)"})
    void aCommitADeferredForeignKeyRefusesLeavesTheTransactionToRollBack(String how) throws Exception {
        try (Connection a = node("a", ""); Connection b = node("b", address(a))) {
            for (Connection c : List.of(a, b)) {
                c.createStatement().execute("CREATE TABLE pet (id INTEGER PRIMARY KEY,"
                        + " owner_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED, name TEXT)");
            }
            CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
            CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> ca.members().size() == 1 && cb.members().size() == 1);
            List<String> heard = new CopyOnWriteArrayList<>();
            ca.addChangeListener(commit -> heard.add(String.join(",", commit.rows().keySet())));

            a.setAutoCommit(false);
            a.createStatement().execute("INSERT INTO parent VALUES (5, 'kept out')");
            a.createStatement().execute("INSERT INTO pet VALUES (10, 99, 'no such owner')");
            assertThatThrownBy(() -> {
                switch (how) {
                    case "commit()" -> a.commit();
                    case "COMMIT" -> a.createStatement().execute("COMMIT");
                    default -> a.setAutoCommit(true);
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            assertThat(a.getAutoCommit()).isFalse();
            a.rollback();
            a.setAutoCommit(true);

            a.createStatement().execute("INSERT INTO parent VALUES (7, 'after')");
            b.createStatement().execute("INSERT INTO parent VALUES (8, 'from b')");
            assertThat(cb.awaitVersion(ca.lastCommitToken(), Duration.ofSeconds(30))).isTrue();
            assertThat(ca.awaitVersion(cb.lastCommitToken(), Duration.ofSeconds(30))).isTrue();
            for (Connection c : List.of(a, b)) {
                assertThat(Rows.query(c, "SELECT (SELECT group_concat(id) FROM parent), (SELECT count(*) FROM pet)"))
                        .containsExactly(List.of("7,8", 0L));
            }
            // a heard its own commit and b's, and nothing of the transaction rolled back
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.size() >= 2);
            assertThat(heard).containsExactly("parent", "parent");
        }
    }

    /**
     * The application repairs a transaction a deferred foreign key refused (inserts the parent) while the agent waits
     * to apply a peer's change: the transaction holds the write lock, so it must still count at the gate, or its next
     * statement waits for the agent's apply, which waits for that lock, until the gate gives up (5 s).
     */
    @Test
    void repairingARefusedCommitWhileTheAgentWaitsToApplyDoesNotStall() throws Exception {
        try (Connection a = node("a", ""); Connection b = node("b", address(a))) {
            for (Connection c : List.of(a, b)) {
                c.createStatement().execute("CREATE TABLE pet (id INTEGER PRIMARY KEY,"
                        + " owner_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED, name TEXT)");
            }
            CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
            CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> ca.members().size() == 1 && cb.members().size() == 1);

            a.setAutoCommit(false);
            a.createStatement().execute("INSERT INTO pet VALUES (10, 5, 'waits for its owner')");
            assertThatThrownBy(a::commit).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            long busyBefore = ca.replicationStats().orElseThrow().busyRetries();
            b.createStatement().execute("INSERT INTO parent VALUES (8, 'from b')");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ca.replicationStats().orElseThrow().busyRetries() > busyBefore);

            long started = System.nanoTime();
            a.createStatement().execute("INSERT INTO parent VALUES (5, 'the owner')");
            a.commit();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            a.setAutoCommit(true);
            assertThat(tookMillis).as("the repair and its commit, while the agent waits for the lock")
                    .isLessThan(TransactionGate.START_WAIT_MILLIS / 2);
            assertThat(ca.awaitVersion(cb.lastCommitToken(), Duration.ofSeconds(30))).isTrue();
            assertThat(Rows.query(a, "SELECT group_concat(id) FROM (SELECT id FROM parent ORDER BY id)"))
                    .containsExactly(List.of("5,8"));
        }
    }

    private static String address(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
    }
}
