package io.corrosion.jdbc;

import io.corrosion.jdbc.replication.ChangeListener;
import io.corrosion.jdbc.replication.ClusterMember;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@code jdbc:corrosion:} connection offers beyond JDBC. Reach it with
 * {@code connection.unwrap(CorrosionConnection.class)}, also through a pool's wrapper.
 *
 * <p>Beside the file and configuration it gives the CRR engine's API ({@link CrrApi}): site id, db version, changes
 * by version, merging changes, commit listeners. And replication: read-your-writes tokens ({@link #lastCommitToken()},
 * {@link #awaitVersion}), change listeners, the cluster's members and the node's replication figures; they belong to
 * the database file, not to this connection: every connection on the file sees the same.
 */
public interface CorrosionConnection extends Connection, CrrApi {

    /** The canonical path of the database file; empty for an in-memory database. */
    Optional<String> databasePath();

    /** This connection's configuration, parsed from its URL and properties. */
    CorrosionConfig config();

    /**
     * A token for every local transaction committed on this node so far — after {@code commit()}, one that covers
     * it: {@code <site id, 32 hex digits>:<db version>}. Hand it to another node's {@link #awaitVersion} to read your
     * writes there.
     */
    String lastCommitToken() throws SQLException;

    /**
     * Waits until this node has applied every transaction the token covers (all versions of the token's site up to
     * its version). Returns at once for a token of this node.
     *
     * @return {@code true} once they are applied, {@code false} if {@code timeout} passed first
     * @throws SQLException SQLState 22023 for a malformed token; 0A000 for another node's token when this database
     *                      does not replicate (no {@code bind}/{@code seeds}); 57014 when the thread is interrupted;
     *                      08003 when the database shuts down meanwhile
     */
    boolean awaitVersion(String token, Duration timeout) throws SQLException;

    /**
     * Registers a listener for every transaction committed on this database file from now on, local or merged from
     * a peer (see {@link ChangeListener} for the thread and the bounds). It belongs to the file: it keeps listening
     * after this connection closes, until the returned handle is closed or the database shuts down.
     */
    AutoCloseable addChangeListener(ChangeListener listener) throws SQLException;

    /** The other members of the cluster with their state, by site id; empty when this database does not replicate. */
    List<ClusterMember> members() throws SQLException;

    /**
     * This node's replication figures (also registered as the JMX MBean {@code io.corrosion:type=Replication});
     * empty when this database does not replicate.
     */
    Optional<ReplicationStats> replicationStats() throws SQLException;
}
