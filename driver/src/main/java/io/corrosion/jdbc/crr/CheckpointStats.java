package io.corrosion.jdbc.crr;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The WAL checkpoints of a database file so far, those its journal's {@link Checkpointer} ran: how many, how long in
 * all and at most (each syncs the database file: on a disk that stalls, these times show it), and the size of the WAL
 * at the last one. For the replication stats; thread-safe.
 */
public final class CheckpointStats {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();
    private volatile long walPages;

    /** A checkpoint took {@code took} nanoseconds and found {@code pages} pages in the WAL. */
    void checkpointed(long took, long pages) {
        count.increment();
        nanos.add(took);
        maxNanos.accumulateAndGet(took, Math::max);
        walPages = pages;
    }

    /** Checkpoints run. */
    public long count() {
        return count.sum();
    }

    /** Their time, in all. */
    public long millis() {
        return TimeUnit.NANOSECONDS.toMillis(nanos.sum());
    }

    /** The longest of them. */
    public long maxMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxNanos.get());
    }

    /**
     * The pages in the WAL file at the last checkpoint: what the file holds beyond the database, as SQLite's
     * {@code wal_checkpoint} counts it ({@code log}). It falls back once the WAL restarts from its beginning, which
     * SQLite does only while no reader still reads from it.
     */
    public long walPages() {
        return walPages;
    }
}
