package io.corrosion.jdbc.replication;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.crr.CrrEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.sqlite.SQLiteConnection;

/**
 * Replication as one database file offers it to its connections: version tokens and {@code awaitVersion}, change
 * listeners, members and stats; and, when the file's node settings have {@code bind}/{@code seeds}, the running
 * {@link ReplicationAgent}. One per file per JVM, created with the file's {@code CorrosionDatabase} and closed with
 * it; an in-memory database has none ({@link #NONE}).
 */
public final class NodeReplication implements AutoCloseable {

    /** Opens a new physical connection to the file (the driver's, set up like the application's). */
    @FunctionalInterface
    public interface PhysicalConnections {
        SQLiteConnection open() throws SQLException;
    }

    /** For tests and benchmarks in this JVM: adjusts every agent's gossip settings and wraps its transport. */
    static volatile UnaryOperator<GossipConfig.Builder> gossipTuning = UnaryOperator.identity();
    static volatile UnaryOperator<Transport> transportDecorator = UnaryOperator.identity();

    /** The replication of a database that has none: tokens of its own writes only, no members, no listeners. */
    public static final NodeReplication NONE = new NodeReplication("none", null, null);

    private final String name;
    private final ChangeFeed feed;
    private final ReplicationAgent agent;

    private NodeReplication(String name, ChangeFeed feed, ReplicationAgent agent) {
        this.name = name;
        this.feed = feed;
        this.agent = agent;
    }

    /**
     * The replication of a database file: starts its agent if {@code node} has {@code bind} or {@code seeds}.
     *
     * @param name        the file, for logs, thread names and the JMX name
     * @param connections opens the agent's own connections to the file
     * @throws SQLException SQLState 08001 if the agent cannot start (address in use, TLS material refused, ...)
     */
    public static NodeReplication open(String name, CorrosionConfig.NodeSettings node, PhysicalConnections connections)
            throws SQLException {
        AgentCounters counters = new AgentCounters();
        ChangeFeed feed = new ChangeFeed(shortName(name), counters);
        if (!AgentSettings.replicates(node)) {
            return new NodeReplication(name, feed, null);
        }
        ReplicationAgent agent = ReplicationAgent.start(name, () -> {
            SQLiteConnection raw = connections.open();
            try {
                return new CrrAccess(raw, CrrEngine.attach(raw));
            } catch (SQLException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }, site -> AgentSettings.gossipConfig(node, site, shortName(name), gossipTuning, transportDecorator), feed,
                counters);
        return new NodeReplication(name, feed, agent);
    }

    private static String shortName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return file.substring(slash + 1);
    }

    /** Whether this file runs a replication agent. */
    public boolean replicates() {
        return agent != null;
    }

    /**
     * A local transaction committed (the CRR engine's commit hand-off): listeners hear of it, the agent publishes it.
     */
    public void localCommitted(byte[] siteId, long dbVersion, Map<String, List<byte[]>> rows) {
        if (feed != null) {
            feed.publish(new ChangeEvent(SiteId.of(siteId).toString(), dbVersion, true, rows, -1));
        }
        if (agent != null) {
            agent.localCommitted(dbVersion);
        }
    }

    /** The token of the newest local transaction committed on this file, read on {@code physical}. */
    public String lastCommitToken(Connection physical) throws SQLException {
        long[] version = new long[1];
        byte[] site = local(physical, version);
        return new VersionToken(SiteId.of(site), version[0]).toString();
    }

    /**
     * Waits until this node has every version up to the token's of the token's site: at once for tokens of this
     * node; for another node's, until replication brought them, or {@code timeout} passed.
     *
     * @return true when the node has them, false when the timeout passed first
     * @throws SQLException 22023 for a malformed token, 0A000 for another node's token on a node that does not
     *                      replicate, 57014 when interrupted
     */
    public boolean awaitVersion(String token, Duration timeout, Connection physical) throws SQLException {
        VersionToken t;
        try {
            t = VersionToken.parse(token);
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), "22023", e);
        }
        long[] version = new long[1];
        byte[] site = local(physical, version);
        if (t.site().equals(SiteId.of(site))) {
            return t.version() <= version[0];
        }
        if (agent == null) {
            throw new SQLException("This database does not replicate (no bind or seeds), so changes of site "
                    + t.site() + " never arrive here", SqlErrors.FEATURE_NOT_SUPPORTED);
        }
        try {
            return agent.books().awaitAllUpTo(t.site(), t.version(), System.nanoTime() + timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for " + token, "57014", e);
        }
    }

    private static byte[] local(Connection physical, long[] version) throws SQLException {
        try (Statement s = physical.createStatement();
                ResultSet rs = s.executeQuery("SELECT crsql_site_id(), crsql_db_version()")) {
            rs.next();
            version[0] = rs.getLong(2);
            return rs.getBytes(1);
        }
    }

    /** Registers a change listener of this file; closing the handle removes it. */
    public AutoCloseable addChangeListener(ChangeListener listener) throws SQLException {
        if (feed == null) {
            throw new SQLException("An in-memory database has no change listeners", SqlErrors.FEATURE_NOT_SUPPORTED);
        }
        return feed.add(listener);
    }

    /** The other members of the cluster; empty when this file does not replicate. */
    public List<ClusterMember> members() {
        return agent == null ? List.of() : agent.members();
    }

    /** This file's replication figures; empty when it does not replicate. */
    public Optional<ReplicationStats> stats() {
        return agent == null ? Optional.empty() : Optional.of(agent.stats());
    }

    /** Stops the agent and the listeners. Idempotent. */
    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        if (feed != null) {
            feed.close();
        }
    }

    @Override
    public String toString() {
        return "NodeReplication[" + name + (agent != null ? ", " + agent : "") + "]";
    }
}
