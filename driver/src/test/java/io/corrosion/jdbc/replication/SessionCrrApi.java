package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.crr.CrrSession;
import java.sql.SQLException;
import java.util.List;

/** The CRR API straight on a session, for store tests without the driver (no commit hand-off). */
record SessionCrrApi(CrrSession session) implements CrrApi {

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
        return session.apply(changes);
    }

    @Override
    public List<String> replicatedTables() throws SQLException {
        return session.crrTables();
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        return () -> { };
    }
}
