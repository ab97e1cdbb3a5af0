package io.corrosion.jdbc.crr;

import io.corrosion.gossip.BackgroundPriority;
import io.corrosion.jdbc.CommitListener;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The background thread of a {@link LocalJournal}: has the WAL checkpointed ({@link Checkpointer}, on a thread of its
 * own, so that a slow disk never holds back a delivery), confirms the watermark, evicts what readers no longer need and
 * tells the listeners about finished commits, in db version order. A commit hook runs before its commit is done; the
 * driver reports when the call that committed returned ({@link LocalJournal#settled}), and the watcher delivers at
 * once. Commits nobody reports within {@link LocalJournal#WATCH_DELAY_MS} it proves by holding the write lock an
 * instant: its only lock, since it never writes while the file is open. At close it makes the journal's last flush on
 * its own connection. It runs below the application's threads ({@link BackgroundPriority}).
 */
final class JournalWatcher extends Thread {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWatcher.class);

    private final LocalJournal journal;
    private final Checkpointer checkpointer;
    private SQLiteConnection conn;
    /** Its statements, kept prepared while the connection lives: a cycle runs after every commit or few. */
    private Statements.OneUse kept;
    private boolean failing;
    /** The CRRs by id as of schema version {@link #namesSchema}: every delivery names the tables of its commits. */
    private Map<Long, TableName> names;
    private long namesSchema;

    JournalWatcher(LocalJournal journal) {
        super("corrosion-journal-" + java.nio.file.Path.of(journal.file()).getFileName());
        this.journal = journal;
        this.checkpointer = new Checkpointer(journal,
                "corrosion-checkpoint-" + java.nio.file.Path.of(journal.file()).getFileName());
        setDaemon(true);
    }

    /** Starts the checkpoints' thread too. */
    @Override
    public synchronized void start() {
        checkpointer.start();
        super.start();
    }

    @Override
    public void run() {
        BackgroundPriority.lowerCurrentThread(); // its lock is an instant's, and below the application's threads
        while (true) {
            synchronized (journal) {
                while (!journal.closed() && !journal.listenersWaiting() && !maintenanceDue()) {
                    try {
                        journal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(LocalJournal.CHECKPOINT_NANOS)));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (journal.closed()) {
                    return;
                }
            }
            try {
                if (failing) {
                    Thread.sleep(1000); // back off
                } else {
                    journal.awaitSettled(TimeUnit.MILLISECONDS.toNanos(LocalJournal.WATCH_DELAY_MS));
                }
                cycle();
                failing = false;
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (!failing) {
                    LOG.warn("{}: the journal watcher failed (retrying): {}", journal.file(), e.toString());
                }
                failing = true;
                forgetStatements(); // sqlite-jdbc may have finalized the one that failed
            }
        }
    }

    /** Commits happened since the last checkpoint, which was a while ago or many commits ago. */
    private boolean maintenanceDue() {
        long latest = journal.latest();
        return latest > journal.checkpointedUpTo() && checkpointDue(latest);
    }

    /** A while or many commits after the last checkpoint ended, none running. */
    private boolean checkpointDue(long latest) {
        return (System.nanoTime() - checkpointer.endedAt() > LocalJournal.CHECKPOINT_NANOS
                || latest - journal.checkpointedUpTo() >= LocalJournal.CHECKPOINT_COMMITS)
                && !checkpointer.busy();
    }

    private void cycle() throws SQLException {
        if (conn == null) {
            conn = journal.openWatcherConnection();
        }
        if (kept == null) {
            kept = new Statements.OneUse(conn);
        }
        long latest = journal.latest();
        boolean deliver = journal.listenersWaiting();
        long upTo = latest;
        long settled = journal.settledUpTo();
        if (deliver && settled < latest) {
            if (settled > journal.deliveredUpTo()) {
                upTo = settled; // what is known to have finished goes now, the rest next round
            } else if (journal.reportsExpected()) {
                upTo = settled; // their connections report them in a moment: nothing to deliver before that
            } else if (journal.settledUpTo() < latest) {
                // Nobody reported the rest finished (the agent's connection, a call whose report is late): holding the
                // write lock an instant proves that every commit filed before it completed.
                beforeLockProof.accept(journal.file());
                kept.prepare("BEGIN IMMEDIATE").execute();
                kept.prepare("ROLLBACK").execute();
                journal.settled(latest);
            }
        }
        boolean maintenance = checkpointDue(latest);
        if (maintenance) {
            // Confirming only holds back eviction and the re-flush of a flush that was rolled back: with the checkpoint
            // it is soon enough.
            journal.confirm(JournalMarks.read(kept));
        }
        if (deliver) {
            deliver(kept, upTo, false);
        } else {
            journal.markDelivered(latest); // nobody listens, or all was delivered: nothing to deliver later either
        }
        if (maintenance) {
            checkpointer.request(latest);
        }
    }

    // ---- delivery ---------------------------------------------------------------------------------------------

    /** Tells the listeners about the commits up to {@code upTo} not yet delivered, in order. */
    private void deliver(Statements statements, long upTo, boolean freshNames) throws SQLException {
        List<JournalEntry> due = journal.undelivered(upTo);
        if (due.isEmpty()) {
            return;
        }
        Map<Long, TableName> tables = tableNames(statements, freshNames);
        for (JournalEntry e : due) {
            CommitListener.Commit commit = commitOf(e, tables);
            for (CommitListener l : journal.listeners()) {
                try {
                    l.committed(commit);
                } catch (RuntimeException ex) {
                    LOG.error("Commit listener {} failed on db version {}", l, e.dbVersion, ex);
                }
            }
        }
        journal.markDelivered(due.get(due.size() - 1).dbVersion);
    }

    /** Tests only: runs before the watcher takes the write lock to prove commits nobody reported, with the file. */
    static volatile java.util.function.Consumer<String> beforeLockProof = file -> { };

    private record TableName(String name, TableInfo.KeyKind kind) {}

    private static final Object[] NO_PARAMS = {};

    /**
     * The CRRs by id, read again only when the schema changed since the last delivery (or {@code fresh}). A table dropped
     * since keeps its name: ids are never given twice ({@link CrrMetadata#nextTableId}), and a commit before the drop
     * still wrote its rows.
     */
    private Map<Long, TableName> tableNames(Statements statements, boolean fresh) throws SQLException {
        long schema = FirstRow.read(statements.prepare("PRAGMA schema_version"), NO_PARAMS, row -> row.getLong(0), -1L);
        if (fresh || names == null || schema != namesSchema) {
            Map<Long, TableName> out = names == null ? new HashMap<>() : new HashMap<>(names);
            try (ResultSet rs = statements.prepare("SELECT tbl, name, key_kind FROM " + CrrMetadata.REGISTRY).executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new TableName(rs.getString(2), TableInfo.KeyKind.valueOf(rs.getString(3))));
                }
            }
            names = out;
            namesSchema = schema;
        }
        return names;
    }

    private static CommitListener.Commit commitOf(JournalEntry e, Map<Long, TableName> names) {
        Map<String, List<byte[]>> rows = new LinkedHashMap<>();
        for (Map.Entry<Long, List<Object>> r : e.rows.entrySet()) {
            TableName t = names.get(r.getKey());
            if (t == null) {
                continue; // created and dropped between two deliveries
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

    /** The last flush, then the last deliveries; after the thread ended ({@link LocalJournal#close}). */
    void finalFlush() {
        try {
            if (conn == null) {
                conn = journal.openWatcherConnection();
            }
            journal.writeFinal(conn);
            try (Statements.OneUse statements = new Statements.OneUse(conn)) {
                journal.confirm(JournalMarks.read(statements));
                deliver(statements, Long.MAX_VALUE, true);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("{}: could not write the version log at close; the next open recovers it: {}", journal.file(),
                    e.toString());
        }
    }

    private void forgetStatements() {
        if (kept != null) {
            try {
                kept.close();
            } catch (SQLException e) {
                LOG.debug("Closing the journal watcher's statements of {}", journal.file(), e);
            }
            kept = null;
        }
    }

    /** Closes its connections; after {@link #finalFlush}. A checkpoint that still runs has up to 10 s to end. */
    void closeConnection() {
        checkpointer.close(10_000);
        forgetStatements();
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                LOG.debug("Closing the journal connection of {}", journal.file(), e);
            }
            conn = null;
        }
    }
}
