package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CrrApi;
import java.sql.SQLException;
import java.util.List;

/**
 * The reads of {@link CrrApi} straight on a CRR session; merging, the table list and commit listeners are the
 * subclass's, since they depend on what the session runs in (a node's merge rules and listeners, or none).
 */
public abstract class SessionCrrApi implements CrrApi {
    protected final CrrSession session;

    protected SessionCrrApi(CrrSession session) {
        this.session = session;
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
}
