package io.corrosion.jdbc.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * Local commits are on disk before they leave the node. With {@code synchronous=NORMAL} (the default) a commit is
 * written to the WAL file but not flushed: a power loss or an OS crash can take it after peers received it. The node
 * would come back older than its peers' copy of its own history, and its next commits would take db versions the
 * peers already hold and drop as duplicates. So before the publisher hands local versions to gossip, and before sync
 * offers them, this flushes the WAL file (one fdatasync per publish round: in the replication benchmark, files on the
 * machine's disk, 0.45 ms on average over 5,900 rounds a node in 60 s, the longest 107-116 ms). A version that a crash
 * takes had never left the node, and the next commit takes its number afresh.
 *
 * <p>It flushes whatever {@code synchronous} says: that is a setting of each connection, and one connection of the file
 * at {@code NORMAL} is enough for commits that are not on disk (a flush of a file with nothing unwritten costs little).
 * Covered is WAL mode, the driver's default; a file in a rollback-journal mode is not (a hot journal can roll back a
 * commit after a power loss unless it ran at {@code synchronous=EXTRA}), and {@code synchronous=OFF} gives no guarantee
 * at all. Thread-safe: the agent thread and gossip's store-read thread both ask.
 *
 * <p>On a disk that stalls a flush takes as long as the stall, and local commits wait that long to leave. The flushes'
 * time is counted ({@code walFlushMillis}, {@code walFlushMaxMillis} in the replication stats), and a flush of a second
 * or more is logged at WARN, at most once a minute (with the count of those not logged).
 */
final class WalSync {
    private static final Logger LOG = LoggerFactory.getLogger(WalSync.class);

    /** Flushes a file's written data to disk. */
    @FunctionalInterface
    interface Flush {
        void flush(Path file) throws IOException;
    }

    /**
     * fdatasync of the file. A WAL file that does not exist holds nothing: the checkpoint that emptied it into the
     * database file synced that file first (SQLite does so at {@code NORMAL}). Opened for writing, though it writes
     * nothing: on Windows a flush through a read-only handle is refused, and the JDK ignores the refusal.
     */
    static final Flush FDATASYNC = file -> {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(false);
        } catch (NoSuchFileException e) {
            // nothing written since the last checkpoint
        }
    };

    /** A flush that takes this long is logged. */
    static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** At most one such log line in this long. */
    static final long SLOW_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Path wal;
    private final Flush flush;
    private final AgentCounters counters;
    private final LongSupplier clock;
    private long durable;
    private boolean failing;
    /** When a slow flush was last logged ({@link #clock}); slow flushes since then that were not. */
    private long slowLoggedAt;
    private boolean slowLogged;
    private long slowUnlogged;

    /**
     * @param wal      the WAL file to flush; null if the file is not in WAL mode (or in memory)
     * @param counters counts the flushes made and their time
     * @param clock    {@link System#nanoTime}, or a test's
     */
    WalSync(Path wal, Flush flush, AgentCounters counters, LongSupplier clock) {
        this.wal = wal;
        this.flush = flush;
        this.counters = counters;
        this.clock = clock;
    }

    /** For the file of {@code c}, by its journal mode. */
    static WalSync of(SQLiteConnection c, Flush flush, AgentCounters counters) throws SQLException {
        try (Statement s = c.createStatement()) {
            boolean wal = "wal".equals(text(s, "PRAGMA journal_mode").toLowerCase(Locale.ROOT));
            String file = "";
            try (ResultSet rs = s.executeQuery("SELECT file FROM pragma_database_list WHERE name = 'main'")) {
                if (rs.next() && rs.getString(1) != null) {
                    file = rs.getString(1);
                }
            }
            return new WalSync(wal && !file.isEmpty() ? Path.of(file + "-wal") : null, flush, counters, System::nanoTime);
        }
    }

    private static String text(Statement s, String pragma) throws SQLException {
        try (ResultSet rs = s.executeQuery(pragma)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /** Whether this flushes at all (false: the file is not in WAL mode). */
    boolean flushes() {
        return wal != null;
    }

    /**
     * Makes the local versions up to {@code committed} durable, which must have committed (their WAL frames written).
     * Returns the highest local version known durable: {@code committed}, or less if the flush failed (logged; the
     * next call tries again).
     */
    synchronized long upTo(long committed) {
        if (committed <= durable) {
            return durable;
        }
        if (wal != null) {
            long started = clock.getAsLong();
            try {
                flush.flush(wal);
                flushed(clock.getAsLong() - started);
            } catch (IOException e) {
                if (!failing) {
                    LOG.error("Cannot flush {} to disk: local commits after version {} do not leave this node until it"
                            + " works again: {}", wal, durable, e.toString());
                }
                failing = true;
                return durable;
            }
            if (failing) {
                LOG.info("{} flushed again: local commits leave this node", wal);
                failing = false;
            }
        }
        durable = committed;
        return durable;
    }

    private void flushed(long took) {
        counters.walFlushes.increment();
        counters.walFlushNanos.add(took);
        counters.walFlushMaxNanos.accumulateAndGet(took, Math::max);
        if (took < SLOW_NANOS) {
            return;
        }
        long now = clock.getAsLong();
        if (slowLogged && now - slowLoggedAt < SLOW_LOG_NANOS) {
            slowUnlogged++;
            return;
        }
        LOG.warn("Flushing {} took {} ms: local commits waited that long before they left this node. The disk stalls;"
                + " see walFlushMaxMillis and checkpointMaxMillis in the replication stats{}", wal,
                TimeUnit.NANOSECONDS.toMillis(took), slowUnlogged == 0 ? ""
                        : String.format(Locale.ROOT, " (%d more flushes of a second or more since the last such line)",
                                slowUnlogged));
        slowLogged = true;
        slowLoggedAt = now;
        slowUnlogged = 0;
    }
}
