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

/**
 * The gate's order, without SQLite: a waiting apply holds new transactions back, so it waits only for open ones; a
 * transaction that waited for an apply goes before the next one; a transaction may end on any thread.
 */
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
            TransactionGate.Opened first = gate.transactionStarted();
            firstEnds.join();
            gate.transactionEnded(first);
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

    /**
     * A node catching up (after a partition) applies batch after batch, each apply starting the instant the last one
     * ended. A transaction that waited for one of them must start before the next, not wait out its whole start bound
     * and then begin in the middle of an apply (its write would then fail with 40001 when the apply commits).
     */
    @Test
    void aTransactionThatWaitedForAnApplyStartsBeforeTheNextApplyRunBackToBack() throws Exception {
        TransactionGate.applyWaitMillis = 60_000; // the test ends the transaction, not the clock
        TransactionGate gate = new TransactionGate();
        gate.applyStarting();

        AtomicReference<Thread> app = new AtomicReference<>();
        CompletableFuture<Void> appEnds = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        threads.submit(() -> {
            app.set(Thread.currentThread());
            TransactionGate.Opened transaction = gate.transactionStarted();
            started.complete(null);
            appEnds.join();
            gate.transactionEnded(transaction);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> app.get() != null
                && app.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(started).as("waits while the apply runs").isNotDone();

        CompletableFuture<Void> nextApply = CompletableFuture.runAsync(() -> {
            // The next batch at once, before the woken transaction runs (as on a loaded machine): holding the gate's
            // monitor across both calls is that schedule, every time.
            synchronized (gate) {
                gate.applyEnded();
                gate.applyStarting();
            }
        }, threads);
        started.get(3, TimeUnit.SECONDS); // well within the transaction's own bound of START_WAIT_MILLIS
        assertThat(gate.openTransactions()).isEqualTo(1);
        assertThat(nextApply).as("the next apply waits for the transaction that went first").isNotDone();

        appEnds.complete(null);
        nextApply.get(10, TimeUnit.SECONDS);
        assertThat(gate.openTransactions()).isZero();
    }

    /**
     * A transaction ended on another thread than the one that started it (a pool's housekeeping, abort's executor):
     * the starting thread has none open any more, so its next transaction waits for an apply like any other.
     */
    @Test
    void aTransactionEndedOnAnotherThreadLeavesItsStarterWaitingAtTheGateAgain() throws Exception {
        TransactionGate gate = new TransactionGate();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Thread starterThread = starter.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            TransactionGate.Opened first = starter.submit(gate::transactionStarted).get(10, TimeUnit.SECONDS);
            gate.transactionEnded(first); // on this thread
            assertThat(gate.openTransactions()).isZero();

            gate.applyStarting();
            var next = starter.submit(gate::transactionStarted);
            await().atMost(Duration.ofSeconds(10)).until(() -> starterThread.getState() == Thread.State.TIMED_WAITING);
            assertThat(next).as("the starter's next transaction waits while the agent applies").isNotDone();
            gate.applyEnded();
            next.get(10, TimeUnit.SECONDS);
            assertThat(gate.openTransactions()).isEqualTo(1);
        } finally {
            starter.shutdownNow();
        }
    }
}
