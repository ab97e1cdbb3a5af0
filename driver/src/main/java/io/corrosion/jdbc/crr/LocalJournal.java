package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.CommitListener;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
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
 * later local write transaction carries them into {@code __corrosion_log} ({@link #flushDue}: once 64 transactions
 * or 4096 rows wait, or the oldest waits 2 s), with the flushed watermark ({@value #FLUSHED_KEY} in
 * {@code crsql_master}) in the same transaction. No thread of the driver's commits anything beside the application:
 * a background commit would make every read-then-write transaction of the application fail with SQLITE_BUSY.
 *
 * <p>A background thread per file ({@link Watcher}) never writes: it checkpoints the WAL (PASSIVE), so commits do not
 * pay for that, confirms the watermark, and tells the {@link CommitListener}s about every commit once it is durable
 * (it takes the write lock for an instant to know that), in db version order.
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
    static final int FLUSH_VERSIONS = 64;
    /** ...or this many rows... */
    static final int FLUSH_ROWS = 4096;
    /** ...or the oldest has waited this long. */
    static final long FLUSH_AGE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How long the watcher lets commits gather before it confirms and delivers them: short, because every commit a
     * replicating node makes waits this long before it is broadcast (the replication latency goal is 20 ms at p99).
     */
    static final long WATCH_DELAY_MS = Long.getLong("corrosion.journal.watchDelayMs", 2);
    /** How often the watcher checkpoints the WAL while commits happen. */
    private static final long CHECKPOINT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Commits checkpoint only once the WAL passed this many pages: the watcher's checkpoints normally keep it small. */
    static final int WAL_AUTOCHECKPOINT_CAP = 10_000;

    /** Opens the watcher's own connection to the file. */
    @FunctionalInterface
    interface Opener {
        SQLiteConnection open() throws SQLException;
    }

    /** One committed local transaction. */
    private static final class Entry {
        final long dbVersion;
        final Map<Long, List<Object>> rows;
        final int rowCount;
        final long committedAt = System.nanoTime();

        Entry(long dbVersion, Map<Long, List<Object>> rows) {
            this.dbVersion = dbVersion;
            this.rows = rows;
            int n = 0;
            for (List<Object> keys : rows.values()) {
                n += keys.size();
            }
            this.rowCount = n;
        }
    }

    private final String file;
    private final Opener opener;
    private final NavigableMap<Long, Entry> entries = new TreeMap<>();
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    /** Highest local db version whose commit hook ran. */
    private long committed;
    /** Watermark some committed transaction wrote (optimistic: the watcher checks it against the file). */
    private long flushed;
    /** Committed entries above {@link #flushed}: how many, and their rows. */
    private int unflushedVersions;
    private long unflushedRows;
    /** When the oldest of them committed ({@link System#nanoTime}); meaningless while there is none. */
    private long oldestUnflushedAt;
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
    private boolean loaded;
    private boolean writable;
    private boolean closed;
    private Watcher watcher;

    /** @param file the database file; null for an in-memory database */
    LocalJournal(String file, Opener opener) {
        this.file = file;
        this.opener = opener;
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
        flushed = persistedWatermark(c);
        confirmed = flushed;
        evicted = flushed;
        committed = Math.max(flushed, longOf(c, "SELECT " + CrrMetadata.persistedLocalDbVersionExpr()));
        deliveredUpTo = committed;
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
            exec(c, "BEGIN IMMEDIATE");
            try {
                long clean = longOf(c, "SELECT COALESCE((SELECT value FROM " + CrrMetadata.MASTER + " WHERE key = '"
                        + CLEAN_KEY + "'), 0)");
                if (clean != 1) {
                    recover(c, session);
                }
                setMaster(c, CLEAN_KEY, 0);
                exec(c, "COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            writable = true;
            if (file != null) {
                watcher = new Watcher();
                watcher.start();
            }
        }
    }

    /**
     * Gives every local clock field newer than the watermark its log entry back: no transaction may have carried
     * them into the log before the last process stopped.
     */
    private void recover(SQLiteConnection c, CrrSession session) throws SQLException {
        long start = System.nanoTime();
        long found = 0;
        long max = flushed;
        try (PreparedStatement log = c.prepareStatement(LOG_INSERT)) {
            for (TableInfo t : session.catalog().tables()) {
                StringBuilder select = new StringBuilder("SELECT key");
                StringBuilder where = new StringBuilder();
                for (int s = 0; s <= t.maxSlot(); s++) {
                    select.append(", ").append(Sql.f(s, "db")).append(", ").append(Sql.f(s, "site"));
                    where.append(s == 0 ? "" : " OR ").append("(").append(Sql.f(s, "site")).append(" = 0 AND ")
                            .append(Sql.f(s, "db")).append(" > ").append(flushed).append(")");
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        select + " FROM " + Sql.ident(t.clockTable()) + " WHERE " + where)) {
                    while (rs.next()) {
                        Object key = SqlValues.normalize(rs.getObject(1));
                        for (int s = 0; s <= t.maxSlot(); s++) {
                            long db = rs.getLong(2 + 2 * s);
                            boolean present = !rs.wasNull();
                            long site = rs.getLong(3 + 2 * s);
                            if (present && !rs.wasNull() && site == 0 && db > flushed) {
                                log.setLong(1, db);
                                log.setLong(2, t.id());
                                log.setObject(3, key);
                                log.addBatch();
                                found++;
                                max = Math.max(max, db);
                            }
                        }
                    }
                }
            }
            if (found > 0) {
                log.executeBatch();
            }
        }
        try (Statements.OneUse statements = new Statements.OneUse(c)) {
            writeWatermark(statements, max);
        }
        synchronized (this) {
            setFlushed(Math.max(flushed, max));
            confirmed = Math.max(confirmed, max);
            evicted = Math.max(evicted, max);
            committed = Math.max(committed, max);
        }
        LOG.info("{}: recovered {} version log entries after an unclean stop ({} ms)", file == null ? ":memory:" : file,
                found, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    // ---- the write side ---------------------------------------------------------------------------------------

    static final String LOG_INSERT = "INSERT INTO " + CrrMetadata.LOG
            + " (site, db_version, tbl, key) VALUES (0, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** The highest local db version that committed (or whose commit is under way). */
    synchronized long committed() {
        return committed;
    }

    /** Called by a session's commit hook: the transaction that wrote {@code rows} under {@code dbVersion} commits. */
    void committed(long dbVersion, Touched rows) {
        Entry e = new Entry(dbVersion, rows.snapshot());
        synchronized (this) {
            entries.put(dbVersion, e);
            committed = Math.max(committed, dbVersion);
            if (!listeners.isEmpty()) {
                notifyAll(); // the watcher delivers soon; otherwise its periodic round is enough
            }
            if (unflushedVersions++ == 0) {
                oldestUnflushedAt = e.committedAt;
            }
            unflushedRows += e.rowCount;
        }
    }

    /**
     * Whether enough entries wait for a local write transaction to carry them into the log ({@link #flushInline}); asked
     * at every transaction's first write, so it reads counters only.
     */
    synchronized boolean flushDue() {
        return unflushedVersions > 0 && (unflushedVersions >= FLUSH_VERSIONS || unflushedRows >= FLUSH_ROWS
                || System.nanoTime() - oldestUnflushedAt >= FLUSH_AGE_NANOS);
    }

    /**
     * Writes every committed entry not yet flushed into the log, in the caller's transaction on the connection of
     * {@code statements} (which holds the write lock): also what schema changes do before they write log entries at the
     * current db version themselves. Returns the watermark written.
     */
    long flushInline(Statements statements) throws SQLException {
        List<Entry> batch;
        long upTo;
        synchronized (this) {
            batch = new ArrayList<>(entries.tailMap(flushed, false).values());
            upTo = committed;
        }
        writeEntries(statements, batch);
        writeWatermark(statements, upTo);
        return upTo;
    }

    /** The transaction that flushed up to {@code dbVersion} committed (the watcher checks the file agrees). */
    synchronized void flushCommitted(long dbVersion) {
        setFlushed(Math.max(flushed, dbVersion));
    }

    /** Moves the flushed watermark and recounts what waits above it. */
    private void setFlushed(long watermark) {
        flushed = watermark;
        unflushedVersions = 0;
        unflushedRows = 0;
        for (Entry e : entries.tailMap(flushed, false).values()) {
            if (unflushedVersions++ == 0) {
                oldestUnflushedAt = e.committedAt;
            }
            unflushedRows += e.rowCount;
        }
    }

    /** Writes the entries' rows into the log ({@link LogWriter}): a table's many rows of one version as a group. */
    private static void writeEntries(Statements statements, List<Entry> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        LogWriter out = new LogWriter(statements);
        for (Entry e : batch) {
            for (Map.Entry<Long, List<Object>> table : e.rows.entrySet()) {
                List<Object> keys = table.getValue();
                if (keys.size() >= LogWriter.GROUP) {
                    out.group(e.dbVersion, table.getKey(), keys);
                } else {
                    for (Object key : keys) {
                        out.row(e.dbVersion, table.getKey(), key);
                    }
                }
            }
        }
        out.finish();
    }


    /** The watermark and, as the local floor, the same version. */
    private static void writeWatermark(Statements statements, long upTo) throws SQLException {
        PreparedStatement p = statements.prepare(WATERMARK_UPSERT);
        p.setLong(1, upTo);
        p.executeUpdate();
        writeFloor(statements, upTo);
    }

    private static final String WATERMARK_UPSERT = "INSERT INTO " + CrrMetadata.MASTER + " (key, value) VALUES ('"
            + FLUSHED_KEY + "', ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)";
    private static final String FLOOR_UPSERT = "INSERT INTO " + CrrMetadata.DB_VERSIONS_TABLE
            + " (site_id, db_version) SELECT site_id, ? FROM " + CrrMetadata.SITE_ID + " WHERE ordinal = 0"
            + " ON CONFLICT (site_id) DO UPDATE SET db_version = max(db_version, excluded.db_version)";

    /** Records {@code dbVersion} as the lowest the local db version may ever be again. */
    static void writeFloor(Statements statements, long dbVersion) throws SQLException {
        if (dbVersion <= 0) {
            return;
        }
        PreparedStatement p = statements.prepare(FLOOR_UPSERT);
        p.setLong(1, dbVersion);
        p.executeUpdate();
    }

    private static long persistedWatermark(SQLiteConnection c) throws SQLException {
        return longOf(c, "SELECT COALESCE((SELECT value FROM " + CrrMetadata.MASTER + " WHERE key = '" + FLUSHED_KEY
                + "'), 0)");
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
            for (Entry e : lo > to ? List.<Entry>of() : entries.subMap(lo, true, to, true).values()) {
                List<Object> keys = e.rows.get(table);
                if (keys != null) {
                    for (Object key : keys) {
                        appendEntry(json, e.dbVersion, key);
                    }
                }
            }
        }
        if (ownVersion >= from && ownVersion <= to) {
            for (Object key : ownKeys) {
                appendEntry(json, ownVersion, key);
            }
        }
        return json.append(']').toString();
    }

    private static void appendEntry(StringBuilder json, long dbVersion, Object key) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append('[').append(dbVersion).append(',');
        if (key instanceof Long l) {
            json.append(l);
        } else if (key instanceof String s) {
            LogWriter.appendString(json, s);
        } else if (key instanceof byte[] b) {
            json.append("{\"b\":\"").append(SqlValues.hex(b)).append("\"}");
        } else {
            json.append("{\"p\":\"").append(SqlValues.hex(PackedColumns.pack(key))).append("\"}");
        }
        json.append(']');
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

    // ---- the background thread --------------------------------------------------------------------------------

    /**
     * Checkpoints the WAL, confirms the watermark, evicts what readers no longer need and tells the listeners about
     * durable commits. Never writes: its only lock is the instant write lock that proves earlier commits completed.
     */
    private final class Watcher extends Thread {
        private SQLiteConnection conn;
        private long lastCheckpoint = System.nanoTime();
        private long maintainedUpTo;
        private boolean failing;

        Watcher() {
            super("corrosion-journal-" + java.nio.file.Path.of(file).getFileName());
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                synchronized (LocalJournal.this) {
                    while (!closed && !listenersWaiting() && !maintenanceDue()) {
                        try {
                            LocalJournal.this.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(CHECKPOINT_NANOS)));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (closed) {
                        return;
                    }
                }
                try {
                    Thread.sleep(failing ? 1000 : WATCH_DELAY_MS); // let commits gather; back off on failures
                    cycle();
                    failing = false;
                } catch (InterruptedException e) {
                    return;
                } catch (SQLException | RuntimeException e) {
                    if (!failing) {
                        LOG.warn("{}: the journal watcher failed (retrying): {}", file, e.toString());
                    }
                    failing = true;
                }
            }
        }

        /** Commits happened since the last checkpoint, which was a while ago. */
        private boolean maintenanceDue() {
            return !entries.isEmpty() && entries.lastKey() > maintainedUpTo
                    && System.nanoTime() - lastCheckpoint > CHECKPOINT_NANOS;
        }

        private void cycle() throws SQLException {
            if (conn == null) {
                conn = opener.open();
            }
            long latest;
            synchronized (LocalJournal.this) {
                latest = entries.isEmpty() ? 0 : entries.lastKey();
            }
            boolean deliver = !listeners.isEmpty() && hasUndelivered();
            if (deliver) {
                // Holding the write lock an instant proves that every commit filed before it completed.
                exec(conn, "BEGIN IMMEDIATE");
                exec(conn, "ROLLBACK");
            }
            confirm(persistedWatermark(conn));
            if (deliver) {
                deliver(conn, latest);
            } else {
                markDelivered(latest); // nobody listens: nothing to deliver later either
            }
            if (System.nanoTime() - lastCheckpoint > CHECKPOINT_NANOS) {
                checkpoint(conn);
                lastCheckpoint = System.nanoTime();
                maintainedUpTo = latest;
            }
        }

        void closeConnection() {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException e) {
                    LOG.debug("Closing the journal connection of {}", file, e);
                }
                conn = null;
            }
        }

        /** The last flush, on the watcher's connection: nobody writes any more when the file closes. */
        void finalFlush() {
            try {
                if (conn == null) {
                    conn = opener.open();
                }
                exec(conn, "BEGIN IMMEDIATE");
                try (Statements.OneUse statements = new Statements.OneUse(conn)) {
                    List<Entry> batch;
                    long upTo;
                    synchronized (LocalJournal.this) {
                        batch = new ArrayList<>(entries.tailMap(Math.min(confirmed, flushed), false).values());
                        upTo = committed;
                    }
                    writeEntries(statements, batch);
                    writeWatermark(statements, upTo);
                    setMaster(conn, CLEAN_KEY, 1);
                    exec(conn, "COMMIT");
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(conn, e);
                    throw e;
                }
                confirm(persistedWatermark(conn));
                deliver(conn, Long.MAX_VALUE);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("{}: could not write the version log at close; the next open recovers it: {}", file, e.toString());
            }
        }
    }

    /** Listeners wait for commits: deliver soon. */
    private synchronized boolean listenersWaiting() {
        return !listeners.isEmpty() && hasUndelivered();
    }

    private synchronized boolean hasUndelivered() {
        return !entries.isEmpty() && entries.lastKey() > deliveredUpTo;
    }

    /**
     * The watermark the file has. A transaction that flushed may have lost its flush to a rollback to a savepoint and
     * still committed: then the file has less than was claimed, and its entries are due again.
     */
    private synchronized void confirm(long inFile) {
        confirmed = Math.max(confirmed, inFile);
        if (flushed > inFile) {
            setFlushed(inFile);
        }
        evict();
    }

    private void evict() {
        long horizon = System.nanoTime() - TimeUnit.SECONDS.toNanos(RETENTION_SECONDS);
        while (entries.size() > MIN_RETAINED) {
            Entry first = entries.firstEntry().getValue();
            if (first.dbVersion > confirmed || first.dbVersion > deliveredUpTo || first.committedAt > horizon) {
                break;
            }
            entries.pollFirstEntry();
            evicted = Math.max(evicted, first.dbVersion);
        }
    }

    private synchronized void markDelivered(long upTo) {
        deliveredUpTo = Math.max(deliveredUpTo, upTo);
    }

    private static void checkpoint(SQLiteConnection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
        }
    }

    /** Tells the listeners about the commits up to {@code upTo} not yet delivered, in order. */
    private void deliver(SQLiteConnection c, long upTo) throws SQLException {
        List<Entry> due;
        synchronized (this) {
            due = upTo <= deliveredUpTo ? List.of()
                    : new ArrayList<>(entries.subMap(deliveredUpTo, false, upTo, true).values());
        }
        if (due.isEmpty()) {
            return;
        }
        Map<Long, TableName> names = tableNames(c);
        for (Entry e : due) {
            CommitListener.Commit commit = commitOf(e, names);
            for (CommitListener l : listeners) {
                try {
                    l.committed(commit);
                } catch (RuntimeException ex) {
                    LOG.error("Commit listener {} failed on db version {}", l, e.dbVersion, ex);
                }
            }
        }
        markDelivered(due.get(due.size() - 1).dbVersion);
    }

    private record TableName(String name, TableInfo.KeyKind kind) {}

    private static Map<Long, TableName> tableNames(SQLiteConnection c) throws SQLException {
        Map<Long, TableName> out = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tbl, name, key_kind FROM " + CrrMetadata.REGISTRY)) {
            while (rs.next()) {
                out.put(rs.getLong(1), new TableName(rs.getString(2), TableInfo.KeyKind.valueOf(rs.getString(3))));
            }
        }
        return out;
    }

    private static CommitListener.Commit commitOf(Entry e, Map<Long, TableName> names) {
        Map<String, List<byte[]>> rows = new java.util.LinkedHashMap<>();
        for (Map.Entry<Long, List<Object>> r : e.rows.entrySet()) {
            TableName t = names.get(r.getKey());
            if (t == null) {
                continue; // dropped since
            }
            List<byte[]> pks = new ArrayList<>(r.getValue().size());
            for (Object key : r.getValue()) {
                pks.add(t.kind() == TableInfo.KeyKind.PACKED ? (byte[]) key : PackedColumns.pack(key));
            }
            rows.put(t.name(), pks);
        }
        return new CommitListener.Commit(e.dbVersion, rows);
    }

    // ---- closing ----------------------------------------------------------------------------------------------

    /** Stops the watcher after a last flush that marks the file cleanly closed. Idempotent. */
    void close() {
        Watcher w;
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

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void setMaster(SQLiteConnection c, String key, long value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + CrrMetadata.MASTER
                + " (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setLong(2, value);
            p.executeUpdate();
        }
    }

    private static long longOf(SQLiteConnection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void exec(SQLiteConnection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void rollbackQuietly(SQLiteConnection c, Exception cause) {
        try {
            exec(c, "ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
