package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.AgentConnection;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.crr.CheckpointStats;
import io.corrosion.jdbc.crr.CrrSession;
import io.corrosion.jdbc.crr.SessionCrrApi;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConnection;

/** The CRR API straight on a session, for store tests without the driver (no commit hand-off). */
class PlainSessionApi extends SessionCrrApi {
    PlainSessionApi(CrrSession session) {
        super(session);
    }

    /** An agent connection on a plain sqlite-jdbc connection with the engine attached; closing it closes both. */
    static AgentConnection agentConnection(SQLiteConnection connection, CrrSession session) {
        return agentConnection(connection, session, new PlainSessionApi(session));
    }

    /** The same with {@code api} (which wraps the session) as the connection's CRR API. */
    static AgentConnection agentConnection(SQLiteConnection connection, CrrSession session, CrrApi api) {
        return new AgentConnection() {
            @Override
            public SQLiteConnection connection() {
                return connection;
            }

            @Override
            public CrrApi crr() {
                return api;
            }

            @Override
            public void beginImmediate() throws SQLException {
                session.beginImmediate();
            }

            @Override
            public long finishedLocalVersion() {
                return session.finishedDbVersion();
            }

            @Override
            public CheckpointStats checkpoints() {
                return session.checkpointStats();
            }

            @Override
            public void close() throws SQLException {
                session.close();
                connection.close();
            }
        };
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
