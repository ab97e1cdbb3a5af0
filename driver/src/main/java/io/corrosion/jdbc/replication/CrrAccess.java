package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.AgentConnection;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.crr.CheckpointStats;
import io.corrosion.jdbc.MissingSchemaException;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * One of the agent's own connections ({@link AgentConnection}: foreign keys and CHECK constraints not enforced) with the
 * CRR engine's API on it: the little the agent needs. Not thread-safe, like the connection.
 */
final class CrrAccess implements AutoCloseable {
    private final AgentConnection agentConnection;
    private final SQLiteConnection connection;
    private final CrrApi crr;

    CrrAccess(AgentConnection agentConnection) {
        this.agentConnection = agentConnection;
        this.connection = agentConnection.connection();
        this.crr = agentConnection.crr();
        // Nothing on the agent's connections asks for generated keys: without the flag sqlite-jdbc does not prepare
        // and run a SELECT last_insert_rowid() after each of its INSERTs (the bookkeeping's, every apply transaction).
        connection.getConnectionConfig().setGetGeneratedKeys(false);
    }

    SQLiteConnection connection() {
        return connection;
    }

    /** Begins the writer's transaction (see {@link AgentConnection#beginImmediate}). */
    void beginImmediate() throws SQLException {
        agentConnection.beginImmediate();
    }

    /** See {@link AgentConnection#finishedLocalVersion()}. */
    long finishedLocalVersion() {
        return agentConnection.finishedLocalVersion();
    }

    CrrApi api() {
        return crr;
    }

    /** The WAL checkpoints of the file so far. */
    CheckpointStats checkpoints() {
        return agentConnection.checkpoints();
    }

    byte[] siteId() throws SQLException {
        return crr.siteId();
    }

    /** The committed local db version. */
    long dbVersion() throws SQLException {
        return crr.dbVersion();
    }

    /** Changes of one site with db versions in [from, to], by db version and seq. */
    List<Change> changes(byte[] site, long from, long to) throws SQLException {
        return crr.changes(site, from, to);
    }

    /**
     * Merges changes atomically in the open transaction. Returns the rows impacted.
     *
     * @throws MissingSchemaException if some name a table or column this node does not have (nothing merged)
     */
    long apply(List<Change> changes) throws SQLException {
        return crr.applyChanges(changes);
    }

    /** The replicated tables of this file. */
    List<String> crrTables() throws SQLException {
        return crr.replicatedTables();
    }

    @Override
    public void close() throws SQLException {
        agentConnection.close();
    }
}
