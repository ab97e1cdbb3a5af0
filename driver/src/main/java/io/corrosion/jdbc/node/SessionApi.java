package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.InternalTables;
import io.corrosion.jdbc.crr.CrrSession;
import io.corrosion.jdbc.crr.SessionCrrApi;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConnection;

/** {@link CrrApi} on one connection: the connection's CRR session, and the node's commit listeners and merge rules. */
final class SessionApi extends SessionCrrApi {
    private final SQLiteConnection connection;
    private final NodeExtension node;

    /**
     * Whether the connection is the driver's merge connection ({@link MergeConnection}), whose foreign keys and CHECK
     * constraints are off for good: its merges skip {@link MergePragmas}, two PRAGMA reads per changeset the agent
     * applies (in the replication benchmark the agent held the write lock 13.5% of the time with them, 10.6% without).
     */
    private final boolean mergeConnection;

    SessionApi(CrrSession session, SQLiteConnection connection, NodeExtension node, boolean mergeConnection) {
        super(session);
        this.connection = connection;
        this.node = node;
        this.mergeConnection = mergeConnection;
    }

    /** Merges as the replication agent does ({@link MergePragmas}). */
    @Override
    public long applyChanges(List<Change> changes) throws SQLException {
        if (mergeConnection) {
            return node.merge(connection, session, changes, false);
        }
        try (MergePragmas merging = MergePragmas.enter(connection, "applyChanges")) {
            return node.merge(connection, session, changes, true);
        }
    }

    @Override
    public List<String> replicatedTables() throws SQLException {
        return session.crrTables().stream().filter(t -> !InternalTables.isInternal(t)).toList();
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        return node.addCommitListener(listener);
    }
}
