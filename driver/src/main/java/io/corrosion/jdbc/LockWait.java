package io.corrosion.jdbc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * How a connection waits for another connection's write lock, in place of SQLite's default busy handler. SQLite's
 * sleeps grow to 25, 50 and 100 ms between attempts, so a writer that meets a short transaction of the replication
 * agent (or of another connection) often sleeps long after the lock came free; this handler retries after 20 µs,
 * then every 100 µs, then every millisecond, up to the same {@code busy_timeout}. On one connection: calls come one at
 * a time.
 */
final class LockWait extends BusyHandler {
    private final long timeoutNanos;
    private long waitingSince;

    LockWait(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** @return 1 to try again, 0 to give up with SQLITE_BUSY */
    @Override
    protected int callback(int attemptsBefore) {
        long now = System.nanoTime();
        if (attemptsBefore == 0) {
            waitingSince = now;
        }
        if (now - waitingSince >= timeoutNanos) {
            return 0;
        }
        long pause = attemptsBefore < 20 ? 20_000 : attemptsBefore < 200 ? 100_000 : 1_000_000;
        LockSupport.parkNanos(Math.min(pause, timeoutNanos - (now - waitingSince)));
        return 1;
    }
}
