package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Reentrant;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * A session's local db versions and its link to the file's {@link LocalJournal}: the version the current transaction
 * writes under (picked at its first local write), the rows it wrote for the version log, and the journal entries it
 * carries into the log. Not thread-safe, like the session.
 */
final class TxVersions {
    private static final Logger LOG = LoggerFactory.getLogger(TxVersions.class);

    private final SQLiteConnection conn;
    private final TxState tx;
    private final Statements statements;
    private LocalJournal journal;

    TxVersions(SQLiteConnection conn, TxState tx, Statements statements) {
        this.conn = conn;
        this.tx = tx;
        this.statements = statements;
    }

    /** The session's journal, once it has one (at open). */
    void attach(LocalJournal journal) {
        this.journal = journal;
    }

    /** The highest local db version committed on this file (by any connection of this JVM). */
    long committed() {
        return journal.committed();
    }

    /**
     * The db version of the current transaction's local writes; the first call in a transaction picks it. It runs
     * under the write lock (a write is under way), so no other connection commits in between.
     */
    long current() throws SQLException {
        if (tx.pendingDbVersion == 0) {
            tx.pendingDbVersion = journal.committed() + 1;
            carry();
        }
        return tx.pendingDbVersion;
    }

    /**
     * Writes the journal's waiting entries into the log in this transaction if enough wait (see {@link LocalJournal}):
     * at a transaction's first local write and in merges, which hold the write lock then.
     */
    void carry() throws SQLException {
        if (journal.flushDue()) {
            long upTo = Reentrant.run(conn, () -> journal.flushInline(statements));
            tx.flushedUpTo = Math.max(tx.flushedUpTo, upTo);
        }
    }

    /** Notes a row the current transaction wrote locally, for the version log. */
    void touch(long table, Object key) {
        tx.touched.add(table, key);
    }

    /**
     * Writes the journal's committed entries into the log in the current transaction, so that it may write log
     * entries at the current db version itself (schema changes); also records the local floor.
     */
    void flushInline() throws SQLException {
        tx.flushedUpTo = Math.max(tx.flushedUpTo, journal.flushInline(statements));
    }

    /**
     * Part of the open transaction was undone (ROLLBACK TO, a failed statement), perhaps every write under its version.
     * Committed, the version is taken all the same (the agent publishes it, empty if nothing of it is left), so the
     * floor records it in the transaction: otherwise a restart before the next flush would find no trace of it and give
     * the number to another commit, which peers that booked it would then drop.
     */
    void keepTaken() {
        if (tx.pendingDbVersion > 0) {
            long taken = tx.pendingDbVersion;
            try {
                Reentrant.run(conn, () -> {
                    JournalMarks.writeFloor(statements, taken);
                    return null;
                });
            } catch (SQLException e) {
                LOG.warn("could not record db version {} as taken after part of its transaction was undone; if nothing"
                        + " else of it is left and the process dies before the next flush, the number may be given"
                        + " again: {}", taken, e.toString());
            }
        }
    }

    /** Records the committed local db version as a floor, once per transaction (merges may overwrite its traces). */
    void recordFloor() throws SQLException {
        if (!tx.floorRecorded) {
            JournalMarks.writeFloor(statements, journal.committed());
            tx.floorRecorded = true;
        }
    }
}
