package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.CommitListener;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The local transactions of one database file that committed, kept in memory until the version log has them.
 *
 * <p>Why: a local transaction that wrote the log entry of each row it changed would touch one more b-tree, which costs
 * a small transaction about half again its time (measured; see the package doc). Instead the capture triggers hand the
 * rows to the session ({@link Touched}), the commit hook files them here under the transaction's db version, and a
 * later local write transaction carries them into {@code __corrosion_log} ({@link #flushDue}: once 256 transactions
 * or 4096 rows wait, or the oldest waits 2 s), with the flushed watermark ({@value #FLUSHED_KEY} in
 * {@code crsql_master}) in the same transaction. No thread of the driver's commits anything beside the application:
 * a background commit would make every read-then-write transaction of the application fail with SQLITE_BUSY.
 *
 * <p>A background thread per file ({@link JournalWatcher}) never writes: it has the WAL checkpointed (PASSIVE, on a
 * thread of its own, {@link Checkpointer}) every 200 ms or 1000 local commits while commits happen, so commits do not
 * pay for that, confirms the watermark, and tells the {@link CommitListener}s about every commit once it finished, in db
 * version order: the driver reports that when the call that committed returns ({@link #settled}); a commit nobody
 * reports, the watcher proves by taking the write lock for an instant.
 *
 * <p>Readers: {@code crsql_changes} reads the log plus, through {@code crsql_internal_unflushed}, the entries here above
 * the watermark its snapshot sees; flushed entries stay in memory {@value #RETENTION_SECONDS} s for readers whose
 * snapshot predates the flush (older ones get SQLState 40001 and retry).
 *
 * <p>Crashes: {@value #CLEAN_KEY} tells on open whether the last process stopped without its final flush; then every
 * clock field of this site newer than the watermark gets its log entry back (a scan of the clock tables). The committed
 * local db version is never lower after a restart than before: flushes, merges and schema changes record it as the
 * local floor in {@code __corrosion_db_versions}, and the scan finds the rest.
 *
 * <p>One per database file and JVM ({@link Journals}); an in-memory database has no watcher.
 */
final class LocalJournal {
    private static final Logger LOG = LoggerFactory.getLogger(LocalJournal.class);

    static final String FLUSHED_KEY = "corrosion_log_flushed";
    static final String CLEAN_KEY = "corrosion_clean_close";
    static final int RETENTION_SECONDS = 10;
    private static final int MIN_RETAINED = 4096;
    /** A local write transaction carries the waiting entries into the log once this many transactions wait... */
    static final int FLUSH_VERSIONS = 256;
    /** ...or this many rows... */
    static final int FLUSH_ROWS = 4096;
    /** ...or the oldest has waited this long. */
    static final long FLUSH_AGE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How long the watcher waits for a commit to be reported finished ({@link #settled}) before it proves it by taking
     * the write lock: short, because a commit nobody reports (a connection the driver does not wrap) waits this long
     * before it is broadcast.
     */
    static final long WATCH_DELAY_MS = Long.getLong("corrosion.journal.watchDelayMs", 2);
    /**
     * How often the WAL is checkpointed while commits happen (system property {@code
     * corrosion.journal.checkpointMs}, for benchmarks; each checkpoint syncs the database file)...
     */
    static final long CHECKPOINT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("corrosion.journal.checkpointMs", 200));
    /**
     * ...or once this many local commits came since its last checkpoint: under a fast stream of small transactions
     * the WAL would otherwise reach {@link #WAL_AUTOCHECKPOINT_CAP} pages between two rounds, and a commit would pay
     * for the checkpoint (measured ~0.7 µs per UPDATE transaction, 2 cores).
     */
    static final long CHECKPOINT_COMMITS = 1000;
    /**
     * How long the watcher waits for a commit of a session that reports its commits finished (the application's
     * connections: at the end of every call) before it proves it by taking the write lock; a commit reported later (a
     * RETURNING statement's, as its results close) reaches the listeners this late at most. Tests may set it higher.
     */
    static volatile long reportWaitNanos = TimeUnit.MILLISECONDS.toNanos(100);
    /** Commits checkpoint only once the WAL passed this many pages: the watcher's checkpoints normally keep it small. */
    static final int WAL_AUTOCHECKPOINT_CAP = 10_000;

    /** Opens the watcher's own connection to the file. */
    @FunctionalInterface
    interface Opener {
        SQLiteConnection open() throws SQLException;
    }

    private final String file;
    private final Opener opener;
    private final CheckpointStats checkpointStats = new CheckpointStats();
    private final VersionQueue<JournalEntry> entries = new VersionQueue<>(e -> e.dbVersion);
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    /** Highest local db version whose commit hook ran. */
    private long committed;
    /** Highest local db version committed by a session that does not report its commits finished (the agent's). */
    private long unreportedUpTo;
    /** Watermark some committed transaction wrote (optimistic: the watcher checks it against the file). */
    private long flushed;
    /** Committed entries above {@link #flushed}. */
    private final FlushBacklog unflushed = new FlushBacklog();
    /** Watermark read back from the file: entries up to it are surely in the log. */
    private long confirmed;
    /** Highest version dropped from memory. */
    private long evicted;
    /**
     * Entries up to this version went to the listeners (or nobody listened when they were due). Versions commit in
     * order under the write lock, so the delivered ones are always a prefix: a watermark, not a flag per entry to scan
     * on every commit.
     */
    private long deliveredUpTo;
    /** The highest version committed when the last finished checkpoint was asked for. */
    private long checkpointedUpTo;
    /** Versions up to this one finished committing ({@link #settled}). */
    private long settledUpTo;
    private boolean loaded;
    private boolean writable;
    private boolean closed;
    private JournalWatcher watcher;

    /** @param file the database file; null for an in-memory database */
    LocalJournal(String file, Opener opener) {
        this.file = file;
        this.opener = opener;
    }

    /** The checkpoints of the file so far ({@link Checkpointer}); none for an in-memory database. */
    CheckpointStats checkpointStats() {
        return checkpointStats;
    }

    boolean inMemory() {
        return file == null;
    }

    String file() {
        return file;
    }

    // ---- opening --------------------------------------------------------------------------------------------

    /** Reads the persisted state once: watermark and committed local db version. */
    synchronized void load(SQLiteConnection c) throws SQLException {
        if (loaded) {
            return;
        }
        flushed = JournalMarks.read(c);
        confirmed = flushed;
        evicted = flushed;
        committed = Math.max(flushed, JournalMarks.longOf(c, "SELECT " + CrrMetadata.persistedLocalDbVersionExpr()));
        deliveredUpTo = committed;
        checkpointedUpTo = committed;
        settledUpTo = committed;
        loaded = true;
    }

    /**
     * On the first writable connection: recovers the log after an unclean stop, marks the file as open (not clean) and
     * starts the watcher. Runs in a transaction of its own on {@code c}; skipped for connections in a transaction.
     */
    void openWritable(SQLiteConnection c, CrrSession session) throws SQLException {
        synchronized (this) {
            if (writable || closed || c.isReadOnly() || !c.getAutoCommit()) {
                return;
            }
            OwnTransaction.run(c, () -> {
                long mark = JournalMarks.cleanMark(c);
                if (mark != 1) {
                    recover(c, session, mark == 0);
                }
                JournalMarks.setClean(c, false);
                return null;
            });
            writable = true;
            if (file != null) {
                watcher = new JournalWatcher(this);
                watcher.start();
            }
        }
    }

    /**
     * Gives every local clock field newer than the watermark its log entry back: no transaction may have carried
     * them into the log before the last process stopped.
     */
    private void recover(SQLiteConnection c, CrrSession session, boolean afterUncleanStop) throws SQLException {
        long start = System.nanoTime();
        JournalRecovery.Found found = JournalRecovery.relog(c, session.catalog().tables(), flushed);
        long max = found.highest();
        try (Statements.OneUse statements = new Statements.OneUse(c)) {
            JournalMarks.write(statements, max);
        }
        synchronized (this) {
            setFlushed(Math.max(flushed, max));
            confirmed = Math.max(confirmed, max);
            evicted = Math.max(evicted, max);
            committed = Math.max(committed, max);
            settledUpTo = Math.max(settledUpTo, max);
        }
        if (afterUncleanStop) {
            LOG.info("{}: recovered {} version log entries after an unclean stop ({} ms)", file == null ? ":memory:" : file,
                    found.entries(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } else { // a new file: nothing to recover, checked all the same
            LOG.debug("{}: {} version log entries to recover in a file without a clean-close mark", file, found.entries());
        }
    }

    // ---- the write side ---------------------------------------------------------------------------------------

    static final String LOG_INSERT = "INSERT INTO " + CrrMetadata.LOG
            + " (site, db_version, tbl, key) VALUES (0, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** The highest local db version that committed (or whose commit is under way). */
    synchronized long committed() {
        return committed;
    }

    /**
     * Called by a session's commit hook: the transaction that wrote {@code rows} under {@code dbVersion} commits. The
     * watcher wakes and waits for it to be reported finished ({@link #settled}): a write statement that returns rows
     * (RETURNING) commits only when its results are closed, after the driver's last word on the call.
     */
    void committed(long dbVersion, Touched rows, boolean reported) {
        JournalEntry e = new JournalEntry(dbVersion, rows.snapshot());
        synchronized (this) {
            entries.put(e);
            committed = Math.max(committed, dbVersion);
            if (!reported) {
                unreportedUpTo = Math.max(unreportedUpTo, dbVersion);
            }
            if (!listeners.isEmpty() || (dbVersion - checkpointedUpTo) % CHECKPOINT_COMMITS == 0) {
                notifyAll(); // the watcher delivers or checkpoints soon; otherwise its periodic round is enough
            }
            unflushed.add(e);
        }
    }

    /**
     * The commit of local version {@code dbVersion} finished: the call that committed it returned. Versions commit one
     * at a time under the write lock, so every lower version finished (or rolled back) before it.
     */
    synchronized void settled(long dbVersion) {
        if (dbVersion > settledUpTo) {
            settledUpTo = dbVersion;
            if (!listeners.isEmpty()) {
                notifyAll();
            }
        }
    }

    /** Local versions up to this one finished committing (reported, or proven by the watcher). */
    synchronized long settledUpTo() {
        return settledUpTo;
    }

    /**
     * Whether the commits not reported finished yet will be in a moment: their sessions report the end of every call
     * (the application's connections do), and the oldest of them came less than {@link #reportWaitNanos} ago. The
     * watcher then waits for the reports rather than prove the commits by taking the write lock: an application
     * transaction between its read and its first write would meet that lock, and SQLite refuses such a write at once
     * ({@code SQLITE_BUSY}) instead of waiting for it.
     */
    synchronized boolean reportsExpected() {
        if (unreportedUpTo > settledUpTo) {
            return false;
        }
        List<JournalEntry> unsettled = entries.above(settledUpTo);
        return !unsettled.isEmpty() && System.nanoTime() - unsettled.get(0).committedAt < reportWaitNanos;
    }

    /**
     * Whether enough entries wait for a local write transaction to carry them into the log ({@link #flushInline}); asked
     * at every transaction's first write, so it reads counters only.
     */
    synchronized boolean flushDue() {
        return unflushed.due(System.nanoTime());
    }

    /**
     * Writes every committed entry not yet flushed into the log, in the caller's transaction on the connection of
     * {@code statements} (which holds the write lock): also what schema changes do before they write log entries at the
     * current db version themselves. Returns the watermark written.
     */
    long flushInline(Statements statements) throws SQLException {
        List<JournalEntry> batch;
        long upTo;
        synchronized (this) {
            batch = entries.above(flushed);
            upTo = committed;
        }
        LogWriter.writeEntries(statements, batch);
        JournalMarks.write(statements, upTo);
        return upTo;
    }

    /** The transaction that flushed up to {@code dbVersion} committed (the watcher checks the file agrees). */
    synchronized void flushCommitted(long dbVersion) {
        setFlushed(Math.max(flushed, dbVersion));
    }

    /** Moves the flushed watermark and recounts what waits above it. */
    private void setFlushed(long watermark) {
        flushed = watermark;
        unflushed.recount(entries, watermark);
    }

    // ---- the read side ----------------------------------------------------------------------------------------

    /**
     * The entries of {@code table} above {@code since} (the watermark the reader's snapshot sees), plus the reader's
     * own transaction's rows, as JSON {@code [[db_version, key], ...]}: keys are JSON numbers (integers), strings
     * (text), {@code {"b": hex}} (blobs) or {@code {"p": hex}} (another value, packed). Only versions in
     * [{@code from}, {@code to}] are given: a reader that filters on db_version needs no others.
     */
    String unflushedJson(long table, long since, long from, long to, long ownVersion, List<Object> ownKeys)
            throws SQLException {
        StringBuilder json = new StringBuilder("[");
        synchronized (this) {
            if (since < evicted) {
                throw new SQLException("crsql_changes: this read's snapshot is older than the version log entries kept"
                        + " in memory (" + RETENTION_SECONDS + " s); run it again in a new transaction", "40001");
            }
            long lo = Math.max(since + 1, from);
            entries.forEachBetween(lo, to, e -> {
                List<Object> keys = e.rows.get(table);
                if (keys != null) {
                    for (Object key : keys) {
                        JournalEntry.appendJson(json, e.dbVersion, key);
                    }
                }
            });
        }
        if (ownVersion >= from && ownVersion <= to) {
            for (Object key : ownKeys) {
                JournalEntry.appendJson(json, ownVersion, key);
            }
        }
        return json.append(']').toString();
    }

    /**
     * The entries of every local version in [{@code from}, {@code to}], or null unless this journal holds one for each
     * (evicted, not committed yet, or a version without an entry).
     */
    synchronized List<JournalEntry> entriesCovering(long from, long to) {
        if (from <= evicted || from > to || entries.isEmpty() || to > entries.lastVersion() || to - from >= entries.size()) {
            return null;
        }
        List<JournalEntry> out = entries.between(from, to);
        return out.size() == to - from + 1 ? out : null;
    }

    // ---- listeners --------------------------------------------------------------------------------------------

    AutoCloseable addListener(CommitListener listener) {
        if (file == null) {
            throw new UnsupportedOperationException("An in-memory database has no commit listeners: no other connection"
                    + " can read its commits");
        }
        listeners.add(listener);
        synchronized (this) {
            notifyAll();
        }
        return () -> listeners.remove(listener);
    }

    // ---- what the watcher reads and confirms ({@link JournalWatcher}) -----------------------------------------

    SQLiteConnection openWatcherConnection() throws SQLException {
        return opener.open();
    }

    /** Whether {@link #close} ran; the caller holds this journal's monitor or accepts a stale answer. */
    synchronized boolean closed() {
        return closed;
    }

    /** The newest committed local version this journal holds; 0 if none. */
    synchronized long latest() {
        return entries.isEmpty() ? 0 : entries.lastVersion();
    }

    /** The highest version committed when the last finished checkpoint was asked for. */
    synchronized long checkpointedUpTo() {
        return checkpointedUpTo;
    }

    /** The WAL was checkpointed after the commits up to {@code latest}; wakes the watcher. */
    synchronized void checkpointed(long latest) {
        checkpointedUpTo = Math.max(checkpointedUpTo, latest);
        notifyAll();
    }

    /**
     * Waits (holding this monitor) up to {@code nanos} for every commit filed to be reported finished, so the watcher
     * need not prove them; returns early when the journal closes or nothing waits for delivery.
     */
    synchronized void awaitSettled(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!closed && listenersWaiting() && settledUpTo < entries.lastVersion()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Listeners wait for commits: deliver soon. */
    synchronized boolean listenersWaiting() {
        return !listeners.isEmpty() && hasUndelivered();
    }

    private synchronized boolean hasUndelivered() {
        return !entries.isEmpty() && entries.lastVersion() > deliveredUpTo;
    }

    List<CommitListener> listeners() {
        return listeners;
    }

    /** The entries after the delivered ones, up to {@code upTo}, in version order. */
    synchronized List<JournalEntry> undelivered(long upTo) {
        return upTo <= deliveredUpTo ? List.of() : entries.between(deliveredUpTo + 1, upTo);
    }

    /**
     * The watermark the file has. A transaction that flushed may have lost its flush to a rollback to a savepoint and
     * still committed: then the file has less than was claimed, and its entries are due again.
     */
    synchronized void confirm(long inFile) {
        confirmed = Math.max(confirmed, inFile);
        if (flushed > inFile) {
            setFlushed(inFile);
        }
        evict();
    }

    private void evict() {
        long horizon = System.nanoTime() - TimeUnit.SECONDS.toNanos(RETENTION_SECONDS);
        while (entries.size() > MIN_RETAINED) {
            JournalEntry first = entries.first();
            if (first.dbVersion > confirmed || first.dbVersion > deliveredUpTo || first.committedAt > horizon) {
                break;
            }
            entries.removeFirst();
            evicted = Math.max(evicted, first.dbVersion);
        }
    }

    synchronized long deliveredUpTo() {
        return deliveredUpTo;
    }

    synchronized void markDelivered(long upTo) {
        deliveredUpTo = Math.max(deliveredUpTo, upTo);
    }

    // ---- closing ----------------------------------------------------------------------------------------------

    /**
     * The last flush, on the watcher's connection {@code c} at close (nobody writes any more): every entry the file may
     * lack, the watermark, and the clean-close mark.
     */
    void writeFinal(SQLiteConnection c) throws SQLException {
        OwnTransaction.run(c, () -> {
            List<JournalEntry> batch;
            long upTo;
            synchronized (this) {
                batch = entries.above(Math.min(confirmed, flushed));
                upTo = committed;
            }
            try (Statements.OneUse statements = new Statements.OneUse(c)) {
                LogWriter.writeEntries(statements, batch);
                JournalMarks.write(statements, upTo);
            }
            JournalMarks.setClean(c, true);
            return null;
        });
    }

    /** Stops the watcher after a last flush that marks the file cleanly closed. Idempotent. */
    void close() {
        JournalWatcher w;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            w = watcher;
            notifyAll();
        }
        if (w == null) {
            return;
        }
        try {
            w.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        w.finalFlush();
        w.closeConnection();
    }
}
