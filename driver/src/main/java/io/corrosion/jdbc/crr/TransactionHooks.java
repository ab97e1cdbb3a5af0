package io.corrosion.jdbc.crr;

import org.sqlite.SQLiteCommitListener;

/**
 * SQLite's commit and rollback hooks on one session's connection. A commit files the transaction's rows with the
 * journal while SQLite commits, before the commit is done; the driver reports it finished once the call that made it
 * returned ({@link #finished}). Both hooks end the transaction's state. Runs on the thread using the connection.
 */
final class TransactionHooks implements SQLiteCommitListener {
    private final TxState tx;
    private final SiteOrdinals sites;
    private LocalJournal journal;
    /** The local version whose commit hook ran and that nobody has reported finished yet; 0 if none. */
    private long settling;
    /** The driver reports this session's calls finished ({@link #finished}): its commits need no proof. */
    private boolean reports;

    TransactionHooks(TxState tx, SiteOrdinals sites) {
        this.tx = tx;
        this.sites = sites;
    }

    /** The file's journal, once the session has it (no transaction before that writes a local change). */
    void attach(LocalJournal journal) {
        this.journal = journal;
    }

    /** Runs inside SQLite's commit, before it is durable: files the transaction's rows with the journal. */
    @Override
    public void onCommit() {
        if (tx.pendingDbVersion > 0) {
            journal.committed(tx.pendingDbVersion, tx.touched, reports);
            settling = tx.pendingDbVersion;
        }
        if (tx.flushedUpTo > 0) {
            journal.flushCommitted(tx.flushedUpTo);
        }
        tx.endTransaction(true);
    }

    @Override
    public void onRollback() {
        settling = 0; // a commit that failed after its hook ran rolls back: nothing finished committing
        tx.endTransaction(false);
        sites.forget();
    }

    /** The last call on the connection returned normally: a commit filed during it is done. */
    void finished() {
        reports = true;
        long v = settling;
        if (v > 0) {
            settling = 0;
            journal.settled(v);
        }
    }
}
