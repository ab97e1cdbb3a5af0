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

    SessionApi(CrrSession session, SQLiteConnection connection, NodeExtension node) {
        super(session);
        this.connection = connection;
        this.node = node;
    }

    /** Merges as the replication agent does ({@link MergePragmas}). */
    @Override
    public long applyChanges(List<Change> changes) throws SQLException {
        try (MergePragmas merging = MergePragmas.enter(connection, "applyChanges")) {
            return node.merge(connection, session, changes);
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
