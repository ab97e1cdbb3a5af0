package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.Reentrant;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sqlite.SQLiteConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRR engine on one connection: its SQL functions, transaction state and the Java API the driver exposes
 * through {@code CorrosionConnection}. Not thread-safe, like the connection it belongs to.
 */
public final class CrrSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrrSession.class);

    private final SQLiteConnection conn;
    private final TxState tx = new TxState();
    private final CrrCatalog catalog;
    private final Merger merger = new Merger(this);
    private final LocalWrites localWrites = new LocalWrites(this);
    private final BulkInserts bulkInserts = new BulkInserts(this);
    private final CrrDdl ddl;
    private final SessionSchema schema;
    private final SessionStatements statements;
    private final SiteOrdinals sites;
    private final SessionTransactions transactions;
    private final TxVersions versions;
    private final CrrConfig config;
    private final TransactionHooks hooks;
    private final ConnectionChangesView changesView;
    private byte[] siteId;
    private LocalJournal journal;
    private volatile boolean closed;
    /** Depth of SQL functions running Java work on this connection; inside one, no transaction control. */
    private int nested;
    /** How rows inserted into {@code crsql_changes} are merged: {@link #apply}, unless the node routes them. */
    private MergeRoute mergeRoute = this::apply;
    /** Rows inserted into {@code crsql_changes} on this connection, ever: statements count theirs by difference. */
    private long changesInserted;

    /** @param changesViewOnDemand whether {@code crsql_changes} is made only by {@link #ensureChangesView} and reads */
    CrrSession(SQLiteConnection conn, boolean changesViewOnDemand) {
        this.conn = conn;
        this.changesView = new ConnectionChangesView(this, !changesViewOnDemand);
        this.statements = new SessionStatements(conn);
        this.sites = new SiteOrdinals(conn);
        this.hooks = new TransactionHooks(tx, sites);
        this.transactions = new SessionTransactions(conn, tx, statements, this::forgetTransactionCaches);
        this.versions = new TxVersions(conn, tx, this::prepared);
        this.config = new CrrConfig(conn, tx, this::prepared);
        this.catalog = new CrrCatalog(conn);
        this.ddl = new CrrDdl(this, conn);
        this.schema = new SessionSchema(this, conn, ddl);
    }

    void open() throws SQLException {
        conn.addCommitListener(hooks);
        CrrFunctions.register(this);
        // Writes only when there is something to write, so read-only connections can attach to a prepared file.
        byte[] site = CrrMetadata.localSiteIdIfAny(conn);
        if (site == null) {
            inTransactionDo(() -> CrrMetadata.bootstrap(conn));
            site = CrrMetadata.localSiteId(conn);
        }
        siteId = site;
        long format = CrrMetadata.readableFormat(conn);
        journal = Journals.acquire(conn);
        hooks.attach(journal);
        versions.attach(journal);
        if (!conn.isReadOnly() && format < CrrMetadata.FORMAT_VERSION) {
            inTransactionDo(() -> ddl.migrateFormat(format));
        }
        journal.load(conn);
        journal.openWritable(conn, this);
        if (!journal.inMemory()) {
            try (Statement s = conn.createStatement()) { // the journal's thread checkpoints; commits only past this
                s.execute("PRAGMA wal_autocheckpoint = " + LocalJournal.WAL_AUTOCHECKPOINT_CAP);
            }
        }
        if (!catalog.checkedOnOpen(journal, ddl)) {
            List<String> repaired = inTransaction(ddl::repairDrift);
            if (!repaired.isEmpty()) {
                LOG.info("site {}: repaired CRR metadata of tables changed outside the engine: {}", SqlValues.hex(siteId),
                        repaired);
            }
        }
        changesView.crrsChanged();
    }

    /**
     * The last call on this connection returned normally: a commit whose hook ran during it has finished (SQLite ran its
     * rollback hook otherwise), so the journal can hand it to commit listeners now, without proving it by taking the
     * write lock. Called by the driver after every statement and commit on the application's connections; cheap when
     * nothing committed.
     */
    public void commitFinished() {
        hooks.finished();
        if (!tx.heldUnused.isEmpty()) {
            Rebuilds.dropUnused(this, conn);
        }
    }

    // ---- the Java API ------------------------------------------------------------------------------------

    /** The schema operations: making, altering, renaming and dropping CRRs, their UNIQUE checks, compaction. */
    public SessionSchema schema() {
        return schema;
    }

    /** This file's 16-byte site id ({@code crsql_site_id()}). */
    public byte[] siteId() {
        return siteId.clone();
    }

    /** The newest local db version whose commit finished: the call that committed it returned (settled). */
    public long finishedDbVersion() {
        return journal.settledUpTo();
    }

    /** The WAL checkpoints of the file so far, run by its journal's thread. */
    public CheckpointStats checkpointStats() {
        return journal.checkpointStats();
    }

    /** The committed local db version ({@code crsql_db_version()}). */
    public long dbVersion() throws SQLException {
        return tx.pendingDbVersion > 0 ? tx.pendingDbVersion - 1 : versions.committed();
    }

    /** Whether {@code merge-equal-values} is on for this file ({@code crsql_config_get('merge-equal-values')}). */
    public boolean mergeEqualValuesSetting() throws SQLException {
        return CrrConfig.isOn(config.get(CrrConfig.MERGE_EQUAL_VALUES));
    }

    /** The CRR's name as registered, for a name that matches it ignoring case (as SQLite does); null if none. */
    public String crrName(String table) throws SQLException {
        return catalog.nameIgnoringCase(table);
    }

    /** The primary key's columns of the CRR {@code table} (its registered name), or null if it is not one. */
    public List<String> crrPrimaryKey(String table) throws SQLException {
        TableInfo t = catalog.table(table);
        return t == null ? null : t.pkColumns();
    }

    /**
     * Writes the local changes the journal keeps in memory into the version log now (normally a later local write
     * carries them, see {@link LocalJournal}): in the caller's transaction if one is open, else in one of its own.
     */
    public void flushJournal() throws SQLException {
        inTransactionDo(versions::flushInline);
    }

    /** The CRR tables, by name. */
    public List<String> crrTables() throws SQLException {
        return catalog.tables().stream().map(TableInfo::name).toList();
    }

    /**
     * Merges changes ({@code INSERT INTO crsql_changes}) atomically: in the caller's transaction if one is open
     * (inside a savepoint), else in a transaction of its own. Returns the rows impacted ({@code crsql_rows_impacted}).
     */
    public long apply(List<Change> changes) throws SQLException {
        return inTransaction(() -> merging(() -> merger.apply(changes)));
    }

    /** How a row inserted into {@code crsql_changes} (the view's trigger) is merged. */
    @FunctionalInterface
    public interface MergeRoute {
        long merge(List<Change> changes) throws SQLException;
    }

    /**
     * Routes the rows that statements insert into {@code crsql_changes} (its INSTEAD OF trigger merges them one by
     * one, inside the statement) through {@code route}, so that they merge as {@code applyChanges} does.
     */
    public void routeMerges(MergeRoute route) {
        mergeRoute = route;
    }

    /**
     * The rows inserted into {@code crsql_changes} on this connection so far: a statement's update count is the
     * difference across it, one per row, as cr-sqlite's virtual table counts them (SQLite counts none for a view).
     */
    public long changesInserted() {
        return changesInserted;
    }

    /** A row inserted into {@code crsql_changes}: merged through the route, and counted. */
    void mergeInserted(Change change) throws SQLException {
        mergeRoute.merge(List.of(change));
        changesInserted++;
    }

    /**
     * Runs {@code batch}, a JDBC batch of plain single-row INSERTs into {@code table} whose integer keys the driver
     * allocated ({@code keys}, one per row, in row order), capturing its rows at once instead of row by row where that
     * gives the same clock records ({@link BulkInserts}); otherwise it just runs the batch. In an open transaction
     * only; its update counts are the batch's.
     */
    public int[] bulkInsert(String table, List<Object> keys, Work<int[]> batch) throws SQLException {
        TableInfo t = catalog.table(table);
        if (t == null || keys.isEmpty() || conn.getAutoCommit() || nested > 0 || !tx.capturing) {
            return batch.run();
        }
        return bulkInserts.run(t, keys, batch);
    }

    /**
     * After a failed statement or a rollback to a savepoint of the engine's: what this transaction believed it had
     * written may be gone (for the application's {@code ROLLBACK TO}, {@link #rolledBackToSavepoint}).
     */
    public void forgetTransactionCaches() {
        forget(false);
    }

    /** After the application's {@code ROLLBACK TO}: as {@link #forgetTransactionCaches}, for rows of any statement. */
    public void rolledBackToSavepoint() {
        forget(true);
    }

    private void forget(boolean all) {
        if (tx.pendingDbVersion > 0 && !tx.touched.isEmpty()) {
            try {
                tx.touched.recheck(all, this::stillWritten);
            } catch (SQLException e) {
                LOG.warn("Could not tell which rows a failed statement or a ROLLBACK TO undid; change listeners may hear"
                        + " of rows this transaction did not write: {}", e.getMessage(), e);
            }
        }
        sites.forget();
        tx.recordedDbVersions.clear();
        tx.mergeEqualValues = null;
        tx.catalogChecked = false;
        tx.floorRecorded = false;
        tx.flushedUpTo = 0; // a flush in what was undone is gone: the journal keeps the entries due
        versions.keepTaken();
    }

    /** Whether the clock record of the row has a field of this transaction's version: its write was not undone. */
    private boolean stillWritten(long table, Object key) throws SQLException {
        TableInfo t = catalog.table(table);
        return t == null // not a CRR any more: as the transaction filed it
                || statements(t).hasFieldOf(key, tx.pendingDbVersion);
    }

    /** Every change of one site with {@code fromDbVersion <= db_version <= toDbVersion}, by db_version and seq. */
    public List<Change> changes(byte[] site, long fromDbVersion, long toDbVersion) throws SQLException {
        // This node's recent versions: their journal entries name the rows to read by key.
        List<JournalEntry> recent = Arrays.equals(site, siteId) ? journal.entriesCovering(fromDbVersion, toDbVersion) : null;
        List<Change> read = recent == null ? null : transactions.read(() -> ChangeReader.ofEntries(this, recent, siteId));
        return read != null ? read : changesFromView(site, fromDbVersion, toDbVersion);
    }

    /** {@link #changes} through {@code crsql_changes}, for versions of any age and any site. */
    List<Change> changesFromView(byte[] site, long fromDbVersion, long toDbVersion) throws SQLException {
        // The view's journal arm holds this node's recent versions only: it need not build the JSON of any other.
        boolean own = Arrays.equals(site, siteId);
        tx.readFrom = own ? fromDbVersion : 1;
        tx.readTo = own ? toDbVersion : 0;
        try {
            return readThroughView(() -> ChangeReader.bySite(statements, site, fromDbVersion, toDbVersion));
        } finally {
            tx.readFrom = 0;
            tx.readTo = Long.MAX_VALUE;
        }
    }

    /** Every change with {@code db_version > dbVersion}, of any site, by db_version and seq. */
    public List<Change> changesSince(long dbVersion) throws SQLException {
        return readThroughView(() -> ChangeReader.since(statements, dbVersion));
    }

    /** A read of {@code crsql_changes} in one snapshot with the check that the view has the CRRs that snapshot has. */
    private List<Change> readThroughView(Reentrant.Work<List<Change>> read) throws SQLException {
        return transactions.read(() -> {
            changesView.ensure();
            return read.run();
        });
    }

    /**
     * Makes this connection's {@code crsql_changes} (a TEMP view, see {@link ConnectionChangesView}) if it has none or
     * one of other CRRs than the file has now. Call before preparing or running SQL that names it; in auto-commit mode
     * a schema change by another connection between this call and the statement is not seen by that statement.
     */
    public void ensureChangesView() throws SQLException {
        changesView.ensure();
    }

    /** Drops this connection's {@code crsql_changes}: before an ALTER TABLE, which SQLite checks every view against. */
    public void dropChangesView() throws SQLException {
        changesView.drop();
    }

    /**
     * A top-level statement is about to run, with its conflict clause ({@code FAIL}, {@code IGNORE}, {@code REPLACE},
     * {@code ROLLBACK}, {@code ABORT}; null if it has none) and, if it is an UPSERT, its table (null if not) and whether
     * its last clause is {@code ON CONFLICT DO NOTHING} without a target: for the UNIQUE checks of CRRs
     * ({@link UniqueChecks}). An INSERT a trigger makes into another table is no UPSERT. Forgets the clauses of trigger
     * body statements an earlier statement left (a body statement that failed). Call it with nulls after the statement.
     */
    public void statementConflicts(String resolution, String upsertTable, boolean upsertIgnoresAny) {
        tx.conflicts.statement(resolution, upsertTable, upsertIgnoresAny);
    }

    /** Work for {@link #atomically}. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs work atomically: in a savepoint inside the open transaction, else in a transaction of its own. */
    public <T> T atomically(Work<T> work) throws SQLException {
        return inTransaction(work::run);
    }

    /** Sets the HLC timestamp recorded with subsequent local writes ({@code crsql_set_ts}). */
    public void setTimestamp(String ts) {
        tx.ts = ts == null ? "0" : ts;
    }

    /** The rows merges impacted in the current transaction ({@code crsql_rows_impacted()}). */
    public long rowsImpacted() {
        return tx.rowsImpacted;
    }

    public void setMergeEqualValues(boolean on) throws SQLException {
        config.set(CrrConfig.MERGE_EQUAL_VALUES, on ? 1L : 0L);
    }

    /** Detaches the engine; the connection stays open, but its CRR writes fail until it is attached again. */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (journal != null) {
            Journals.release(journal);
        }
        if (!conn.isClosed()) {
            // sqlite-jdbc frees the native handle on close: removing a hook after that crashes the JVM (SIGSEGV in
            // DB.removeCommitListener)
            conn.removeCommitListener(hooks);
        }
        statements.close();
    }

    // ---- engine internals --------------------------------------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    SQLiteConnection connection() {
        return conn;
    }

    ConnectionChangesView changesView() {
        return changesView;
    }

    TxState tx() {
        return tx;
    }

    CrrCatalog catalog() {
        return catalog;
    }

    CrrDdl ddl() {
        return ddl;
    }

    LocalWrites localWrites() {
        return localWrites;
    }

    TableStatements statements(TableInfo t) throws SQLException {
        return statements.of(t);
    }

    void dropStatements(String table) throws SQLException {
        statements.drop(table);
    }

    /** A statement the engine runs often, prepared once per connection. */
    PreparedStatement prepared(String sql) throws SQLException {
        return statements.prepared(sql);
    }

    CrrConfig config() {
        return config;
    }

    TxVersions versions() {
        return versions;
    }

    LocalJournal journal() {
        return journal;
    }

    /**
     * Keeps this file's journal open beyond this session (one more holder), until the handle is closed: a pool that
     * closes all its connections then does not end the journal (its last flush) only to start it again.
     */
    public AutoCloseable retainJournal() {
        LocalJournal held = Journals.retain(journal);
        return () -> Journals.release(held);
    }

    /**
     * Registers a listener of this file's local commits ({@link io.corrosion.jdbc.CommitListener}); closing the
     * returned handle removes it.
     */
    public AutoCloseable addCommitListener(io.corrosion.jdbc.CommitListener listener) {
        return journal.addListener(listener);
    }

    /** The ordinal a site id is stored under, allocating one on first sight. Empty = local, as cr-sqlite. */
    long siteOrdinal(byte[] site) throws SQLException {
        return sites.ordinal(site);
    }

    byte[] siteIdOf(long ordinal) throws SQLException {
        return sites.siteId(ordinal);
    }

    <T> T merging(Reentrant.Work<T> work) throws SQLException {
        boolean was = tx.capturing;
        tx.capturing = false;
        try {
            return work.run();
        } catch (SQLException | RuntimeException e) {
            forgetTransactionCaches();
            if (e instanceof org.sqlite.SQLiteException) {
                statements.forgetAll(e);
            }
            throw e;
        } finally {
            tx.capturing = was;
        }
    }

    /** Runs Java work that a SQL function started on this connection (inside a running statement). */
    <T> T nested(Reentrant.Work<T> work) throws SQLException {
        nested++;
        try {
            return Reentrant.run(conn, work);
        } finally {
            nested--;
        }
    }

    /**
     * Runs work atomically: inside a running statement the statement is the unit; in auto-commit mode in a
     * transaction of its own (BEGIN IMMEDIATE: merges read before they write); else in a savepoint.
     */
    <T> T inTransaction(Reentrant.Work<T> work) throws SQLException {
        if (nested > 0) {
            return work.run();
        }
        return Reentrant.withoutGeneratedKeys(conn, () -> transactions.run(work));
    }

    /** {@link #inTransaction} for work without a result. */
    void inTransactionDo(Action action) throws SQLException {
        inTransaction(() -> {
            action.run();
            return null;
        });
    }

    @FunctionalInterface
    interface Action {
        void run() throws SQLException;
    }

    /**
     * Begins a transaction with {@code BEGIN IMMEDIATE} that the caller ends with {@code COMMIT} or {@code ROLLBACK} on
     * the connection (in auto-commit mode, as the replication agent does); work inside runs in savepoints.
     */
    public void beginImmediate() throws SQLException {
        transactions.beginImmediate();
    }
}
