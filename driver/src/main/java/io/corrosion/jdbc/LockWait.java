package io.corrosion.jdbc;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

/**
 * How a connection waits for another connection's write lock, in place of SQLite's default busy handler. SQLite's
 * sleeps grow to 25, 50 and 100 ms between attempts, so a writer that meets a short transaction of the replication
 * agent (or of another connection) often sleeps long after the lock came free; this handler retries after 20 µs,
 * then every 100 µs, then every millisecond, up to the same {@code busy_timeout}. On one connection: calls come one at
 * a time.
 *
 * <p>SQLite forgets its own {@code busy_timeout} once a handler is installed, so this handler answers
 * {@code PRAGMA busy_timeout} (read or set) itself ({@link #answer}): the application sees and sets the timeout it
 * honours.
 *
 * <p>An application connection's handler also tells the file's replication agent that a writer waits ({@link
 * Contention}): the agent then ends its apply transaction after the changeset at hand and lets the writer in before it
 * goes on, and the writer wakes the moment the agent's transaction ends instead of at its next retry.
 */
public final class LockWait extends BusyHandler {
    /**
     * Who else writes to the file in this JVM and wants to know about writers waiting for the lock: the replication
     * agent's {@link io.corrosion.jdbc.replication.TransactionGate}. Calls for one connection come from one thread at
     * a time.
     */
    public interface Contention {
        /** Nobody to tell: the handler just pauses. */
        Contention NONE = new Contention() {
            @Override public void waiting(boolean first) {}
            @Override public void settled(long waitedNanos) {}
            @Override public void pause(long nanos) {
                LockSupport.parkNanos(nanos);
            }
        };

        /** A writer found the lock taken ({@code first}: its first retry of this statement), and retries. */
        void waiting(boolean first);

        /** The writer that waited is through its statement (it got the lock, or gave up), after waiting this long. */
        void settled(long waitedNanos);

        /** Pauses before the next retry: at most {@code nanos}, less if the lock's holder lets go meanwhile. */
        void pause(long nanos);
    }

    private static final Pattern BUSY_TIMEOUT = Pattern.compile(
            "(?is)\\s*PRAGMA\\s+(?:main\\s*\\.\\s*)?busy_timeout\\s*(?:(?:=\\s*|\\(\\s*)([+-]?\\d{1,18})\\s*\\)?)?\\s*;?\\s*");

    private final Contention contention;
    private volatile long timeoutNanos;
    private long waitingSince;
    /** When the last pause of that wait ended: the wait's end, however late the statement is reported through. */
    private long waitedUntil;
    /** A statement of this connection waited and has not been reported through yet. */
    private boolean waited;

    LockWait(long timeoutMillis, Contention contention) {
        this.contention = contention;
        setTimeoutMillis(timeoutMillis);
    }

    /** Makes {@code connection} wait for write locks this way, up to {@code timeoutMillis}; returns the handler. */
    public static LockWait install(SQLiteConnection connection, long timeoutMillis) throws SQLException {
        LockWait wait = new LockWait(timeoutMillis, Contention.NONE);
        BusyHandler.setHandler(connection, wait);
        return wait;
    }

    /** The busy timeout this connection honours, in milliseconds. */
    public long timeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    private void setTimeoutMillis(long millis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }

    /**
     * For {@code PRAGMA busy_timeout} and {@code PRAGMA busy_timeout = N}: applies a new value and returns the query
     * that reads as SQLite's own pragma would (one row, column {@code timeout}); empty for any other statement.
     */
    public Optional<String> answer(String sql) {
        Matcher m = BUSY_TIMEOUT.matcher(sql);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(1) != null) {
            setTimeoutMillis(Long.parseLong(m.group(1)));
        }
        return Optional.of("SELECT " + timeoutMillis() + " AS timeout");
    }

    /** @return 1 to try again, 0 to give up with SQLITE_BUSY */
    @Override
    protected int callback(int attemptsBefore) {
        long now = System.nanoTime();
        long timeout = timeoutNanos;
        if (attemptsBefore == 0 && waited) {
            statementDone(); // an earlier statement's wait that nobody reported through
        }
        boolean first = !waited;
        if (first) {
            waitingSince = now;
            waited = true;
        }
        contention.waiting(first);
        if (now - waitingSince >= timeout) {
            waitedUntil = now;
            return 0;
        }
        long pause = attemptsBefore < 20 ? 20_000 : attemptsBefore < 200 ? 100_000 : 1_000_000;
        contention.pause(Math.min(pause, timeout - (now - waitingSince)));
        waitedUntil = System.nanoTime();
        return 1;
    }

    /** The connection's statement (or commit) is through: if it waited for the lock, tells who wants to know. */
    public void statementDone() {
        if (waited) {
            waited = false;
            contention.settled(waitedUntil - waitingSince);
        }
    }
}
