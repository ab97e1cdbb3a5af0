package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.SqlErrors;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConnectionConfig;

/**
 * The agent's one writing connection, shared by the store's apply thread and the agent's own thread under a lock.
 * Transactions are short and start with {@code BEGIN IMMEDIATE}, so they never have to upgrade a read lock that an
 * application writer holds; while an application transaction holds the write lock, the begin is retried with
 * back-off (on this thread only: gossip keeps running, received changesets queue up, bounded).
 */
final class WriterConnection implements AutoCloseable {
    /** How long a transaction waits for the write lock in all before it fails (and gossip retries by sync). */
    private static final long BUSY_GIVE_UP_MILLIS = 30_000;
    /** The holding thread's CPU time, read around each transaction (a clock read each, where the JVM supports it). */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Work inside the writer's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private final CrrAccess crr;
    private final ReentrantLock lock = new ReentrantLock();
    private final AgentCounters counters;
    private final TransactionGate gate;
    /** COMMIT and ROLLBACK, kept prepared: one of them ends every apply transaction. Under the lock. */
    private final Map<String, PreparedStatement> kept = new HashMap<>();

    WriterConnection(CrrAccess crr, AgentCounters counters, TransactionGate gate) {
        this.crr = crr;
        this.counters = counters;
        this.gate = gate;
    }

    CrrAccess crr() {
        return crr;
    }

    /** Runs {@code work} in one transaction, holding the writer; rolls back if it throws. */
    <T> T transaction(Work<T> work) throws SQLException {
        lock.lock();
        gate.applyStarting();
        try {
            begin();
            long holding = System.nanoTime();
            long cpuHolding = threadCpuNanos();
            // Inside its own BEGIN the connection is not auto-committing, and sqlite-jdbc should know it: believing it
            // auto-commits, sqlite-jdbc ends every statement by stepping a "begin;" that fails (an error message built
            // and thrown away each time, ~4% of the apply thread).
            SQLiteConnectionConfig config = crr.connection().getConnectionConfig();
            boolean autoCommit = config.isAutoCommit();
            config.setAutoCommit(false);
            try {
                T result = work.run();
                exec("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    exec("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                config.setAutoCommit(autoCommit);
                long ran = cpuHolding >= 0 ? Math.max(0, threadCpuNanos() - cpuHolding) : 0; // inside the hold's span
                counters.applyLockNanos.add(System.nanoTime() - holding);
                counters.applyLockCpuNanos.add(ran);
            }
        } finally {
            boolean writerWaiting = gate.writerWaiting();
            gate.applyEnded();
            lock.unlock();
            if (writerWaiting) {
                // applyEnded woke the writer: give it a chance to run before this thread goes on (a hint; it helps
                // when the writer was woken on this core). Measured on two busy cores, the writer's wake-up after the
                // apply's end: a median ~0.2 ms and a tenth over 1 ms without, a median ~60 us with.
                Thread.yield();
            }
        }
    }

    /** The calling thread's CPU time in nanoseconds; -1 where the JVM cannot tell. */
    private static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** An application writer waits for the write lock this writer's transaction holds: end it soon. */
    boolean applicationWaiting() {
        return gate.writerWaiting();
    }

    /** Runs {@code work} holding the writer, outside any transaction (reads, or work that runs its own). */
    <T> T locked(Work<T> work) throws SQLException {
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    private void begin() throws SQLException {
        long deadline = System.currentTimeMillis() + BUSY_GIVE_UP_MILLIS;
        long backoff = 5;
        while (true) {
            try {
                crr.beginImmediate();
                return;
            } catch (SQLException e) {
                if (!isBusy(e) || System.currentTimeMillis() + backoff > deadline) {
                    throw e;
                }
                counters.busyRetries.increment();
                sleep(backoff);
                backoff = Math.min(backoff * 2, 500);
            }
        }
    }

    static boolean isBusy(SQLException e) {
        return "40001".equals(SqlErrors.translate(e).getSQLState());
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the write lock", "57014", e);
        }
    }

    private void exec(String sql) throws SQLException {
        PreparedStatement p = kept.get(sql);
        if (p == null) {
            p = crr.connection().prepareStatement(sql);
            kept.put(sql, p);
        }
        try {
            p.execute();
        } catch (SQLException | RuntimeException e) {
            kept.remove(sql); // sqlite-jdbc may have finalized it: prepared afresh next time
            try {
                p.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            kept.clear(); // closed with the connection
            crr.close();
        } finally {
            lock.unlock();
        }
    }
}
