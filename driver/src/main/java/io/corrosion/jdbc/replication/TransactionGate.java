package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.LockWait;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the agent's apply transactions out of the application's open transactions on the same file.
 *
 * <p>In WAL mode an application transaction reads from the snapshot of its first statement. If the agent commits a
 * merge after that and the transaction then writes, SQLite refuses the write with {@code SQLITE_BUSY_SNAPSHOT}
 * (SQLState 40001) at once: the snapshot cannot be upgraded. Hibernate's load-modify-flush and most service methods
 * read before they write, so without this gate every remote change arriving during such a transaction failed it.
 *
 * <p>So: an application transaction {@linkplain #transactionStarted() starts} at its first statement (waiting while
 * the agent applies) and {@linkplain #transactionEnded() ends} at commit, rollback or close; the agent waits before
 * it applies until no transaction is open, at most {@link #APPLY_WAIT_MILLIS} (a transaction left open must not stop
 * replication: after that the agent applies anyway, and a transaction that reads then writes across the apply gets
 * 40001, to be retried). While the agent waits, new application transactions wait too (at most until it has applied),
 * so a steady stream of overlapping transactions cannot hold replication back for the whole bound: the agent waits
 * only for the transactions already open. The other way round, the transactions that waited for an apply go first
 * when it ends: the next apply waits for them to start (and, as for any open one, to end), so a backlog of applies
 * run back to back (a node catching up after a partition) cannot hold the application back for the whole
 * {@link #START_WAIT_MILLIS} either, after which it would start in the middle of an apply and likely fail with 40001.
 * A thread that already has a transaction open on the file never waits here (Hibernate's "isolated work" opens a
 * second one in the middle of the first).
 *
 * <p>Auto-commit writes do not pass the gate: they meet an apply only at SQLite's write lock. Their connections'
 * {@link LockWait} reports to the gate ({@link LockWait.Contention}) while they wait for it, so that the apply
 * transaction holding it ends after the changeset at hand ({@link #writerWaiting()}), the writer wakes when it ends (the
 * agent's thread then yields, so the writer may run first), and the next apply lets the writer through first (at most
 * {@link #WRITER_FIRST_MILLIS}). An application write that meets an apply so waits for one changeset's merge and a
 * commit, not for the whole batch.
 */
public final class TransactionGate implements LockWait.Contention {
    /** How long an apply waits for open application transactions to end. */
    static final long APPLY_WAIT_MILLIS = 500;
    /** For tests in this JVM: the wait actually used. */
    static volatile long applyWaitMillis = APPLY_WAIT_MILLIS;
    /** How long an application transaction waits for an apply to end before it starts anyway. */
    static final long START_WAIT_MILLIS = 5_000;
    /** How long an apply lets application writers that wait for the write lock go first before it begins anyway. */
    static final long WRITER_FIRST_MILLIS = 5;
    /** For tests in this JVM: the wait actually used. */
    static volatile long writerFirstMillis = WRITER_FIRST_MILLIS;
    /**
     * A waiting writer retries at least this often; a count no retry refreshed for this long is a statement whose end
     * the driver did not see (its result read by a raw connection, say), not a writer still waiting.
     */
    static final long WRITER_STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** For tests in this JVM: the staleness actually used. */
    static volatile long writerStaleNanos = WRITER_STALE_NANOS;

    /** A gate that never waits: databases that do not replicate. */
    public static final TransactionGate OPEN = new TransactionGate();

    /**
     * An application transaction the gate counts, with the count of open transactions of the thread that started it:
     * the transaction may end on another thread (a pool's housekeeping, {@code abort}'s executor), and the thread that
     * started it must then count one fewer, or it would never wait at the gate again.
     */
    public static final class Opened {
        private final AtomicInteger ofStartingThread;

        private Opened(AtomicInteger ofStartingThread) {
            this.ofStartingThread = ofStartingThread;
        }
    }

    /** What the {@link #OPEN} gate hands out: it counts nothing. */
    private static final Opened NOT_COUNTED = new Opened(new AtomicInteger());

    private final ThreadLocal<AtomicInteger> openOnThisThread = ThreadLocal.withInitial(AtomicInteger::new);
    private int open;
    private boolean applying;
    /** The agent waits for the open transactions to end: new ones wait behind it. */
    private boolean applyWaiting;
    /** Applies ended so far: a transaction that waited while one ended goes before the next. */
    private long appliesEnded;
    /** Transactions waiting in {@link #transactionStarted}. */
    private int waiting;
    /** Of those, the ones an apply's end let in ahead of the next apply, not started yet. */
    private int admitted;
    /** Application writers waiting for the write lock, not through their statement yet. */
    private int writersWaiting;
    /** When one of them last retried. */
    private long writerRetriedAt;
    /** Application statements that waited for the write lock, and how long in all. */
    private long writerWaits;
    private long writerWaitNanos;

    /** An application transaction's first statement is about to run; end it with {@link #transactionEnded}. */
    public Opened transactionStarted() {
        if (this == OPEN) {
            return NOT_COUNTED;
        }
        AtomicInteger mine = openOnThisThread.get();
        synchronized (this) {
            if (mine.get() == 0) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_WAIT_MILLIS);
                long arrived = appliesEnded;
                waiting++;
                try {
                    waitWhile(() -> applying || (applyWaiting && appliesEnded == arrived), deadline);
                } finally {
                    waiting--;
                    if (appliesEnded != arrived && admitted > 0) {
                        admitted--;
                    }
                }
            }
            open++;
        }
        mine.incrementAndGet();
        return new Opened(mine);
    }

    /**
     * An application transaction that took the write lock at its BEGIN ({@code IMMEDIATE}, {@code EXCLUSIVE}) runs its
     * first statement: it is counted (its thread does not wait for it when it opens another), but does not wait for an
     * apply, which cannot come between its read and its write, and which would be waiting for its lock.
     */
    public Opened transactionHoldingWriteLock() {
        if (this == OPEN) {
            return NOT_COUNTED;
        }
        AtomicInteger mine = openOnThisThread.get();
        synchronized (this) {
            open++;
        }
        mine.incrementAndGet();
        return new Opened(mine);
    }

    /** An application transaction ended (commit, rollback, auto-commit switched on, connection closed): any thread. */
    public void transactionEnded(Opened transaction) {
        if (this == OPEN) {
            return;
        }
        transaction.ofStartingThread.updateAndGet(n -> Math.max(0, n - 1));
        synchronized (this) {
            open = Math.max(0, open - 1);
            notifyAll();
        }
    }

    @Override
    public void waiting(boolean first) {
        if (this == OPEN) {
            return;
        }
        synchronized (this) {
            if (first) {
                writersWaiting++;
            }
            writerRetriedAt = System.nanoTime();
        }
    }

    @Override
    public void settled(long waitedNanos) {
        if (this == OPEN) {
            return;
        }
        synchronized (this) {
            writersWaiting = Math.max(0, writersWaiting - 1);
            writerWaits++;
            writerWaitNanos += waitedNanos;
            notifyAll();
        }
    }

    /** While the agent applies, the writer waits on this monitor, which {@link #applyEnded} wakes. */
    @Override
    public void pause(long nanos) {
        if (this != OPEN) {
            synchronized (this) {
                if (applying) {
                    long deadline = System.nanoTime() + nanos;
                    long ended = appliesEnded;
                    waitWhile(() -> appliesEnded == ended, deadline);
                    return;
                }
            }
        }
        LockSupport.parkNanos(nanos);
    }

    /** An application writer waits for the write lock (and retried lately). */
    synchronized boolean writerWaiting() {
        return writersWaiting > 0 && System.nanoTime() - writerRetriedAt < writerStaleNanos;
    }

    /** Application statements that waited for the write lock so far, and how long they waited in all. */
    synchronized long[] writerWaits() {
        return new long[] {writerWaits, writerWaitNanos};
    }

    /**
     * The agent is about to begin a transaction: waits (bounded) until no application transaction is open, nor about
     * to start after waiting for the last apply, and until the application writers waiting for the lock are through
     * (bounded more tightly: they may be waiting for someone else).
     */
    synchronized void applyStarting() {
        long now = System.nanoTime();
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(applyWaitMillis);
        long writersDeadline = now + TimeUnit.MILLISECONDS.toNanos(writerFirstMillis);
        applyWaiting = true;
        try {
            waitWhile(() -> open > 0 || applying || admitted > 0
                    || writerWaiting() && System.nanoTime() < writersDeadline, deadline);
        } finally {
            applyWaiting = false;
        }
        applying = true;
    }

    /** The agent's transaction committed or rolled back. */
    synchronized void applyEnded() {
        applying = false;
        appliesEnded++;
        admitted = waiting;
        notifyAll();
    }

    synchronized int openTransactions() {
        return open;
    }

    private interface Condition {
        boolean holds();
    }

    /**
     * Waits on this monitor while the condition holds, until the deadline; keeps the interrupt flag. Looks again at
     * least every {@link #WRITER_STALE_NANOS}: whether a writer waits also changes with time alone.
     */
    private void waitWhile(Condition condition, long deadline) {
        boolean interrupted = false;
        try {
            while (condition.holds()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, writerStaleNanos));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
