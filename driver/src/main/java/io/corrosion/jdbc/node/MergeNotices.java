package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteCommitListener;

/**
 * The changes of other nodes that the application merges itself on one connection ({@code applyChanges},
 * {@code INSERT INTO crsql_changes}), for the file's commit listeners ({@link CommitListener#merged}): gathered per
 * origin version while the transaction runs, set aside when SQLite commits it, dropped when it rolls back (also after
 * a commit hook, when the commit failed), and told once the call that committed returned ({@link #finished}). A
 * rollback to a savepoint keeps them, as it keeps the rows a local commit reports. Only gathered while the file has
 * commit listeners. Runs on the thread using the connection.
 */
final class MergeNotices implements SQLiteCommitListener {
    private static final Logger log = LoggerFactory.getLogger(MergeNotices.class);

    private final Collection<CommitListener> listeners;
    /** What the running transaction merged, in order: a failed statement takes its own back ({@link #undoSince}). */
    private final List<Merged> pending = new ArrayList<>();
    private final List<CommitListener.Merge> committed = new ArrayList<>();

    private record Origin(ByteBuffer site, long version) {
    }

    /** Changes of one origin version merged together, and the rows they impacted. */
    private record Merged(Origin origin, List<Change> changes, long impacted) {
    }

    MergeNotices(Collection<CommitListener> listeners) {
        this.listeners = listeners;
    }

    /** Whether merges are worth gathering: someone listens. */
    boolean wanted() {
        return !listeners.isEmpty();
    }

    /** The changes grouped by origin version, in the order their versions first appear. */
    static Collection<List<Change>> byOrigin(List<Change> changes) {
        Map<Origin, List<Change>> groups = new LinkedHashMap<>();
        for (Change c : changes) {
            groups.computeIfAbsent(origin(c), o -> new ArrayList<>()).add(c);
        }
        return groups.values();
    }

    /** Changes of one origin version merged in the running transaction, {@code impacted} rows changed by them. */
    void merged(List<Change> ofOneVersion, long impacted) {
        if (!ofOneVersion.isEmpty()) {
            pending.add(new Merged(origin(ofOneVersion.get(0)), List.copyOf(ofOneVersion), impacted));
        }
    }

    /** Where the running statement's merges begin. */
    private int statementStart;

    /** An application statement is about to run: a failure takes back what it merges ({@link #statementFailed}). */
    void statementStarting() {
        statementStart = pending.size();
    }

    /** The statement failed and SQLite undid it (not the statements of its string or batch before it). */
    void statementFailed() {
        undoSince(statementStart);
    }

    /** Where the next merges begin, for {@link #undoSince}. */
    int mark() {
        return pending.size();
    }

    /** A statement failed and SQLite undid it: the merges it made (from {@code mark} on) did not happen. */
    void undoSince(int mark) {
        if (mark < pending.size()) {
            pending.subList(mark, pending.size()).clear();
        }
    }

    /** The transaction commits: its merges, one per origin version (rows named once each), wait for {@link #finished}. */
    @Override
    public void onCommit() {
        if (pending.isEmpty()) {
            return;
        }
        Map<Origin, Map<String, Map<ByteBuffer, byte[]>>> rows = new LinkedHashMap<>();
        Map<Origin, Long> impacted = new LinkedHashMap<>();
        for (Merged m : pending) {
            Map<String, Map<ByteBuffer, byte[]>> byTable = rows.computeIfAbsent(m.origin(), o -> new LinkedHashMap<>());
            for (Change c : m.changes()) {
                byTable.computeIfAbsent(c.table(), t -> new LinkedHashMap<>()).putIfAbsent(ByteBuffer.wrap(c.pk()), c.pk());
            }
            impacted.merge(m.origin(), m.impacted(), Long::sum);
        }
        rows.forEach((origin, byTable) -> {
            Map<String, List<byte[]>> keys = new LinkedHashMap<>();
            byTable.forEach((table, packed) -> keys.put(table, List.copyOf(packed.values())));
            committed.add(new CommitListener.Merge(origin.site().array(), origin.version(), keys, impacted.get(origin)));
        });
        pending.clear();
    }

    @Override
    public void onRollback() {
        pending.clear();
        committed.clear(); // a commit that failed after its hook ran rolls back: nothing of it committed
    }

    /** The last call on the connection returned normally: what its commit merged is told to the listeners. */
    void finished() {
        if (committed.isEmpty()) {
            return;
        }
        List<CommitListener.Merge> told = List.copyOf(committed);
        committed.clear();
        for (CommitListener listener : listeners) {
            for (CommitListener.Merge merge : told) {
                try {
                    listener.merged(merge);
                } catch (RuntimeException e) {
                    log.warn("A commit listener failed on a merge: {}", e.toString(), e);
                }
            }
        }
    }

    private static Origin origin(Change c) {
        return new Origin(ByteBuffer.wrap(c.siteId()), c.dbVersion());
    }
}
