package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application writer that waits for the write lock while the agent applies a batch goes first: the agent ends its
 * transaction after the changeset at hand, wakes the writer, and begins the next one after it.
 */
class WritersFirstTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @AfterEach
    void defaults() {
        TransactionGate.writerFirstMillis = TransactionGate.WRITER_FIRST_MILLIS;
        TransactionGate.writerStaleNanos = TransactionGate.WRITER_STALE_NANOS;
    }

    @Test
    void aWriterWaitingForTheLockIsSeenUntilItsStatementIsThrough() {
        TransactionGate gate = new TransactionGate();
        assertThat(gate.writerWaiting()).isFalse();
        gate.waiting(true);
        gate.waiting(false);
        assertThat(gate.writerWaiting()).isTrue();
        gate.settled(TimeUnit.MICROSECONDS.toNanos(700));
        assertThat(gate.writerWaiting()).isFalse();
        assertThat(gate.writerWaits()).containsExactly(1, 700_000);
        TransactionGate.OPEN.waiting(true);
        assertThat(TransactionGate.OPEN.writerWaiting()).isFalse();
    }

    @Test
    void aWaitingWriterThatStopsRetryingIsForgotten() {
        TransactionGate.writerStaleNanos = TimeUnit.MILLISECONDS.toNanos(50);
        TransactionGate gate = new TransactionGate();
        gate.waiting(true); // and never settled: a statement whose end the driver did not see
        await().atMost(PATIENCE).until(() -> !gate.writerWaiting());
    }

    @Test
    void aWriterPausingWhileTheAgentAppliesWakesWhenTheApplyEnds() throws Exception {
        TransactionGate gate = new TransactionGate();
        gate.applyStarting();
        Thread writer = new Thread(() -> gate.pause(TimeUnit.SECONDS.toNanos(60)), "paused-writer");
        writer.start();
        await().atMost(PATIENCE).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
        gate.applyEnded();
        writer.join(PATIENCE.toMillis());
        assertThat(writer.isAlive()).as("woken by the end of the apply, not by its 60 s pause").isFalse();
    }

    @Test
    void anApplyBeginsAfterTheWaitingWriterIsThrough() throws Exception {
        TransactionGate.writerFirstMillis = TimeUnit.MINUTES.toMillis(1);
        TransactionGate.writerStaleNanos = TimeUnit.MINUTES.toNanos(1);
        TransactionGate gate = new TransactionGate();
        gate.waiting(true);
        AtomicBoolean began = new AtomicBoolean();
        Thread agent = new Thread(() -> {
            gate.applyStarting();
            began.set(true);
        }, "agent");
        agent.start();
        await().atMost(PATIENCE).until(() -> agent.getState() == Thread.State.TIMED_WAITING);
        assertThat(began).isFalse();
        gate.settled(1);
        await().atMost(PATIENCE).untilTrue(began);
        gate.applyEnded();
    }

    @Test
    void anApplyBeginsAnywayOnceTheWriterHadItsTurn() {
        TransactionGate.writerFirstMillis = 30;
        TransactionGate.writerStaleNanos = TimeUnit.MINUTES.toNanos(1);
        TransactionGate gate = new TransactionGate();
        gate.waiting(true); // waits for someone else's lock, say, and will not be through soon
        long started = System.nanoTime();
        gate.applyStarting();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        gate.applyEnded();
    }

    @Test
    void aBatchCommitsAfterEachChangesetWhileAWriterWaits() throws SQLException {
        TransactionGate.writerFirstMillis = 0;
        TransactionGate.writerStaleNanos = TimeUnit.MINUTES.toNanos(1);
        String person = "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT)";
        try (StoreNode a = new StoreNode(dir.resolve("a.db"), person);
                StoreNode b = new StoreNode(dir.resolve("b.db"), person)) {
            a.crr.schema().asCrr("person");
            b.crr.schema().asCrr("person");
            for (int i = 1; i <= 8; i++) {
                a.exec("INSERT INTO person VALUES (" + i + ", 'p" + i + "')");
            }
            List<Changeset> changesets = a.publish();
            assertThat(changesets).hasSize(8);

            b.gate.waiting(true);
            assertThat(b.store.apply(changesets.subList(0, 5))).containsOnly(ApplyOutcome.NEW);
            assertThat(b.counters.applyTransactions.sum()).as("one transaction per changeset").isEqualTo(5);
            assertThat(b.counters.applyYields.sum()).isEqualTo(4);

            b.gate.settled(1);
            assertThat(b.store.apply(changesets.subList(3, 8))).containsExactly(ApplyOutcome.DUPLICATE,
                    ApplyOutcome.DUPLICATE, ApplyOutcome.NEW, ApplyOutcome.NEW, ApplyOutcome.NEW);
            assertThat(b.counters.applyTransactions.sum()).as("the batch in one transaction again").isEqualTo(6);
            assertThat(b.counters.applyYields.sum()).isEqualTo(4);
            String all = "SELECT id, name FROM person ORDER BY id";
            assertThat(b.rows(all)).isEqualTo(a.rows(all));
            assertThat(b.changes()).isEqualTo(a.changes());
        }
    }

    @Test
    void anApplicationStatementWaitingForTheLockTellsTheGateAndIsCounted() throws Exception {
        String url = "jdbc:corrosion:" + dir.resolve("w.db") + "?bind=127.0.0.1:0&tls.insecure=true";
        try (Connection app = DriverManager.getConnection(url);
                Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("w.db"))) {
            exec(app, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            TransactionGate gate = TestAccess.transactionGate(url);
            exec(holder, "BEGIN IMMEDIATE");
            CompletableFuture<Integer> insert = CompletableFuture.supplyAsync(() -> {
                try (Statement s = app.createStatement()) {
                    return s.executeUpdate("INSERT INTO t VALUES (1, 'x')");
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            await().atMost(PATIENCE).until(gate::writerWaiting);
            exec(holder, "COMMIT");
            assertThat(insert.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(gate.writerWaiting()).as("through its statement").isFalse();
            ReplicationStats stats = app.unwrap(CorrosionConnection.class).replicationStats().orElseThrow();
            assertThat(stats.writerLockWaits()).isGreaterThanOrEqualTo(1);
        } finally {
            CorrosionDriver.shutdown(url);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
