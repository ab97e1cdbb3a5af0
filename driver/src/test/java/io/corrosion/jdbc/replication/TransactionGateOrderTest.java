package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gate's order, without SQLite: a waiting apply holds new transactions back, so it waits only for open ones. */
class TransactionGateOrderTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        TransactionGate.applyWaitMillis = TransactionGate.APPLY_WAIT_MILLIS;
        threads.shutdownNow();
    }

    @Test
    void aNewTransactionWaitsBehindAWaitingApplyAndTheApplyWaitsOnlyForTheOpenOne() throws Exception {
        TransactionGate.applyWaitMillis = 60_000; // the test ends the transactions, not the clock
        TransactionGate gate = new TransactionGate();
        CompletableFuture<Void> firstEnds = new CompletableFuture<>();
        threads.submit(() -> {
            gate.transactionStarted();
            firstEnds.join();
            gate.transactionEnded();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.openTransactions() == 1);

        AtomicReference<Thread> agent = new AtomicReference<>();
        CompletableFuture<Void> applied = CompletableFuture.runAsync(() -> {
            agent.set(Thread.currentThread());
            gate.applyStarting();
        }, threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.get() != null
                && agent.get().getState() == Thread.State.TIMED_WAITING);

        AtomicReference<Thread> late = new AtomicReference<>();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            late.set(Thread.currentThread());
            gate.transactionStarted();
        }, threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> late.get() != null
                && late.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(second).as("a transaction that came while the apply waits").isNotDone();
        firstEnds.complete(null);
        applied.get(10, TimeUnit.SECONDS);
        assertThat(second).as("still held back while the apply runs").isNotDone();
        assertThat(gate.openTransactions()).isZero();

        gate.applyEnded();
        second.get(10, TimeUnit.SECONDS);
        assertThat(gate.openTransactions()).isEqualTo(1);
    }
}
