package io.corrosion.jdbc;

import io.corrosion.jdbc.crr.CheckpointStats;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * A connection of the driver's own to a database file, with the CRR engine on it: what the replication agent merges,
 * reads and keeps its bookkeeping on ({@link DatabaseExtension#openAgentConnection()}). Foreign keys and CHECK
 * constraints are not enforced on it, so no merge gets stuck on them; its {@link CrrApi#applyChanges} applies the same
 * rules as every merge (the key allocator's slot claims among them). Not thread-safe, like the connection.
 */
public interface AgentConnection extends AutoCloseable {

    /** The physical connection, for the agent's own tables in the same transactions as its merges. */
    SQLiteConnection connection();

    /** The CRR engine on this connection. */
    CrrApi crr();

    /**
     * Begins a transaction with {@code BEGIN IMMEDIATE} that the caller ends with {@code COMMIT} or {@code ROLLBACK}
     * on {@link #connection()}; the engine knows of it, so merges inside go straight to a savepoint.
     */
    void beginImmediate() throws SQLException;

    /**
     * The newest local db version whose commit finished (the call that committed it returned) on any connection of
     * this JVM: every version up to it is durable and readable. {@link CrrApi#dbVersion()} can be one whose commit is
     * still under way.
     */
    long finishedLocalVersion();

    /** The WAL checkpoints of the file so far: the driver runs them on a thread of its own. */
    CheckpointStats checkpoints();

    /** Detaches the engine and closes the connection. */
    @Override
    void close() throws SQLException;
}
