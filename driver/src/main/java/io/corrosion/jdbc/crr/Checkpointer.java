package io.corrosion.jdbc.crr;

import io.corrosion.gossip.BackgroundPriority;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The WAL checkpoints of a {@link LocalJournal}, on a thread and connection of their own. A checkpoint writes pages
 * into the database file and syncs it; on a disk that stalls, that takes hundreds of milliseconds, and the watcher
 * that once ran it could not tell the listeners (the replication agent's publisher among them) about commits
 * meanwhile. A PASSIVE checkpoint takes no lock that writers or readers wait for, so it runs beside everything else.
 * One at a time: a {@link #request} while one runs is dropped, and the watcher asks again once it is done.
 */
final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    /** Tests only: runs on the checkpoint thread before each checkpoint, with the database file's path. */
    static volatile java.util.function.Consumer<String> beforeCheckpoint = file -> { };

    private final LocalJournal journal;
    private final String threadName;
    private Thread thread;
    private SQLiteConnection conn;
    /** The commits the asked-for checkpoint follows; 0 if none is asked for or running. */
    private long requested;
    private boolean running;
    /** When the last checkpoint ended ({@link System#nanoTime}), or this was made. */
    private long endedAt = System.nanoTime();
    private boolean closed;
    private boolean failing;

    Checkpointer(LocalJournal journal, String threadName) {
        this.journal = journal;
        this.threadName = threadName;
    }

    /** Whether a checkpoint is asked for or running. */
    synchronized boolean busy() {
        return requested > 0 || running;
    }

    /**
     * When the last checkpoint ended ({@link System#nanoTime}): the period between two counts from there, so that
     * under heavy writes, where one takes longer than the period, they do not run back to back.
     */
    synchronized long endedAt() {
        return endedAt;
    }

    /**
     * Starts the thread, with the watcher's: a file's threads are all there once it is open. Its connection opens with
     * the first checkpoint.
     */
    synchronized void start() {
        if (thread == null && !closed) {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Asks for a checkpoint after the commits up to {@code latest}; never waits. Ignored while one is under way. */
    synchronized void request(long latest) {
        if (closed || busy()) {
            return;
        }
        requested = latest;
        notifyAll();
    }

    private void run() {
        BackgroundPriority.lowerCurrentThread();
        while (true) {
            long upTo;
            synchronized (this) {
                while (!closed && requested == 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closeConnection();
                        return;
                    }
                }
                if (closed) {
                    closeConnection(); // the connection is this thread's alone
                    return;
                }
                upTo = requested;
                requested = 0;
                running = true;
            }
            boolean done = checkpoint();
            synchronized (this) {
                running = false;
                endedAt = System.nanoTime();
            }
            if (done) {
                journal.checkpointed(upTo); // wakes the watcher, which may ask for the next one
            }
        }
    }

    private boolean checkpoint() {
        try {
            if (conn == null) {
                conn = journal.openWatcherConnection();
            }
            long started = System.nanoTime();
            beforeCheckpoint.accept(journal.file());
            try (Statement s = conn.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                long pages = rs.next() ? rs.getLong(2) : 0; // busy, log, checkpointed
                journal.checkpointStats().checkpointed(System.nanoTime() - started, Math.max(0, pages));
            }
            if (failing) {
                LOG.info("{}: checkpoints work again", journal.file());
                failing = false;
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                LOG.warn("{}: a WAL checkpoint failed (retrying): {}", journal.file(), e.toString());
            }
            failing = true;
            closeConnection();
            return false;
        }
    }

    /**
     * Stops the thread after a running checkpoint (waiting for it at most {@code millis}); the thread closes its
     * connection as it ends.
     */
    void close(long millis) {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
            notifyAll();
        }
        if (t != null) {
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("{}: a WAL checkpoint still runs at close; its connection closes when it ends",
                        journal.file());
            }
        }
    }

    private void closeConnection() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                LOG.debug("Closing the checkpoint connection of {}", journal.file(), e);
            }
            conn = null;
        }
    }
}
