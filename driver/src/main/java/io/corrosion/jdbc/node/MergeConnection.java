package io.corrosion.jdbc.node;

import io.corrosion.jdbc.AgentConnection;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.crr.CheckpointStats;
import io.corrosion.jdbc.crr.CrrSession;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * A connection of the driver's own for merging changes that arrive from other nodes: the replication agent's. Its
 * merges never get stuck on the application's constraints: foreign keys are not enforced on it and CHECK constraints
 * are ignored (a merge can combine column values from different nodes that each passed them; cr-sqlite does not check
 * either), and UNIQUE constraints of replicated tables never refuse merges anyway. NOT NULL columns without a default
 * get their type's zero when a merge creates a row before their own change arrives.
 *
 * <p>Not thread-safe, like the connection. Close it when done.
 */
public final class MergeConnection implements AgentConnection {
    private final SQLiteConnection connection;
    private final CrrSession session;
    private final NodeExtension node;

    MergeConnection(SQLiteConnection connection, CrrSession session, NodeExtension node) throws SQLException {
        this.connection = connection;
        this.session = session;
        this.node = node;
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA foreign_keys = OFF");
            s.execute("PRAGMA ignore_check_constraints = ON");
        }
    }

    /**
     * Merges the changes atomically (in the connection's open transaction, else in one of its own), applies the slot
     * conflict rule to merged slot claims, and returns the rows impacted.
     *
     * @throws io.corrosion.jdbc.MissingSchemaException if a change names a table or column this node lacks (nothing merged)
     */
    public long apply(List<Change> changes) throws SQLException {
        return node.merge(connection, session, changes, false);
    }

    /** The changes of one site in a db version range, as {@link io.corrosion.jdbc.CrrApi#changes} reads them. */
    public List<Change> changes(byte[] siteId, long fromDbVersion, long toDbVersion) throws SQLException {
        return session.changes(siteId, fromDbVersion, toDbVersion);
    }

    /** The raw connection, for the agent's own bookkeeping in the same transactions as its merges. */
    @Override
    public SQLiteConnection connection() {
        return connection;
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

    /** The CRR engine on this connection. */
    public CrrSession session() {
        return session;
    }

    /** The CRR API on this connection; its merges go through {@link #apply}'s rules. */
    @Override
    public CrrApi crr() {
        return new SessionApi(session, connection, node, true);
    }

    @Override
    public void close() throws SQLException {
        node.closeInternal(connection);
    }
}
