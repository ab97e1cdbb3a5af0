package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.InternalTables;
import io.corrosion.jdbc.crr.CrrSession;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConnection;

/** {@link CrrApi} on one connection: the connection's CRR session, and the node's commit listeners and merge rules. */
final class SessionApi implements CrrApi {
    private final CrrSession session;
    private final SQLiteConnection connection;
    private final NodeExtension node;

    SessionApi(CrrSession session, SQLiteConnection connection, NodeExtension node) {
        this.session = session;
        this.connection = connection;
        this.node = node;
    }

    @Override
    public byte[] siteId() {
        return session.siteId();
    }

    @Override
    public long dbVersion() throws SQLException {
        return session.dbVersion();
    }

    @Override
    public List<Change> changesSince(long dbVersion) throws SQLException {
        return session.changesSince(dbVersion);
    }

    @Override
    public List<Change> changes(byte[] siteId, long fromDbVersion, long toDbVersion) throws SQLException {
        return session.changes(siteId, fromDbVersion, toDbVersion);
    }

    @Override
    public long applyChanges(List<Change> changes) throws SQLException {
        return node.merge(connection, session, changes);
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
