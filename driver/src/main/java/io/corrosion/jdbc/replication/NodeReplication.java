package io.corrosion.jdbc.replication;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.jdbc.AgentConnection;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.SqlErrors;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Replication as one database file offers it to its connections: version tokens and {@code awaitVersion}, change
 * listeners, members and stats; and, when the file's node settings have {@code bind}/{@code seeds}, the running
 * {@link ReplicationAgent}. One per file per JVM, created with the file's {@code CorrosionDatabase} and closed with
 * it; an in-memory database has none ({@link #NONE}).
 */
public final class NodeReplication implements AutoCloseable {

    /** Opens one of the driver's own connections to the file for the agent ({@code DatabaseExtension}'s). */
    @FunctionalInterface
    public interface AgentConnections {
        AgentConnection open() throws SQLException;
    }

    /** For tests and benchmarks in this JVM: adjusts every agent's gossip settings and wraps its transport. */
    static volatile UnaryOperator<GossipConfig.Builder> gossipTuning = UnaryOperator.identity();
    static volatile UnaryOperator<Transport> transportDecorator = UnaryOperator.identity();
    /** Longer timeouts of {@link #awaitVersion} wait for good ({@code Duration.toNanos} overflows past ~292 years). */
    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE);

    /** The replication of a database that has none: tokens of its own writes only, no members, no listeners. */
    public static final NodeReplication NONE = new NodeReplication("none", null, null, TransactionGate.OPEN);

    private final String name;
    private final ChangeFeed feed;
    private final ReplicationAgent agent;
    private final TransactionGate gate;
    private AutoCloseable localCommits;

    private NodeReplication(String name, ChangeFeed feed, ReplicationAgent agent, TransactionGate gate) {
        this.gate = gate;
        this.name = name;
        this.feed = feed;
        this.agent = agent;
    }

    /**
     * The replication of a database file: starts its agent if {@code node} has {@code bind} or {@code seeds}.
     *
     * @param name        the file, for logs, thread names and the JMX name
     * @param connections opens the agent's own connections to the file, with the CRR engine on them
     * @throws SQLException SQLState 08001 if the agent cannot start (address in use, TLS material refused, ...)
     */
    public static NodeReplication open(String name, CorrosionConfig.NodeSettings node, AgentConnections connections)
            throws SQLException {
        AgentCounters counters = new AgentCounters();
        ChangeFeed feed = new ChangeFeed(shortName(name), counters);
        if (!node.replicates()) {
            return new NodeReplication(name, feed, null, TransactionGate.OPEN);
        }
        TransactionGate gate = new TransactionGate();
        ReplicationAgent agent = ReplicationAgent.start(name, () -> new CrrAccess(connections.open()),
                site -> AgentSettings.gossipConfig(node, site, shortName(name), gossipTuning, transportDecorator), feed,
                counters, gate);
        return new NodeReplication(name, feed, agent, gate);
    }

    private static String shortName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return file.substring(slash + 1);
    }

    /** What the application's connections tell when their transactions start and end (see {@link TransactionGate}). */
    public TransactionGate transactionGate() {
        return gate;
    }

    /** Whether this file runs a replication agent. */
    public boolean replicates() {
        return agent != null;
    }

    /** The token of the newest local transaction committed on this file. */
    public String lastCommitToken(byte[] siteId, long dbVersion) {
        return new VersionToken(SiteId.of(siteId), dbVersion).toString();
    }

    /**
     * Waits until this node has every version up to the token's of the token's site: at once for tokens of this
     * node ({@code siteId}, committed up to {@code dbVersion}); for another node's, until replication brought them,
     * or {@code timeout} passed.
     *
     * @return true when the node has them, false when the timeout passed first
     * @throws SQLException 22023 for a malformed token, 0A000 for another node's token on a node that does not
     *                      replicate, 57014 when interrupted, 08003 when the database shuts down meanwhile; 22023 for a
     *                      null timeout (a timeout too long to count in nanoseconds waits for good)
     */
    public boolean awaitVersion(String token, Duration timeout, byte[] siteId, long dbVersion) throws SQLException {
        VersionToken t;
        try {
            t = VersionToken.parse(token);
        } catch (IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), "22023", e);
        }
        if (t.site().equals(SiteId.of(siteId))) {
            return t.version() <= dbVersion;
        }
        if (agent == null) {
            throw new SQLException("This database does not replicate (no bind or seeds), so changes of site "
                    + t.site() + " never arrive here", SqlErrors.FEATURE_NOT_SUPPORTED);
        }
        if (timeout == null) {
            throw new SQLException("The timeout of awaitVersion is null", "22023");
        }
        long nanos = timeout.isNegative() ? 0
                : timeout.compareTo(LONGEST_WAIT) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
        try {
            return agent.books().awaitAllUpTo(t.site(), t.version(), nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for " + token, "57014", e);
        }
    }

    /**
     * Registers a change listener of this file; closing the handle removes it. The first one also subscribes the
     * listeners to the file's local commits and to the merges the application makes itself, through {@code crr}.
     */
    public AutoCloseable addChangeListener(ChangeListener listener, CrrApi crr) throws SQLException {
        if (feed == null) {
            throw new SQLException("An in-memory database has no change listeners", SqlErrors.FEATURE_NOT_SUPPORTED);
        }
        synchronized (this) {
            if (localCommits == null) {
                String site = localSite(crr);
                localCommits = crr.addCommitListener(new CommitListener() {
                    @Override
                    public void committed(Commit commit) {
                        feed.publish(new ChangeEvent(site, commit.dbVersion(), true, commit.rows(), -1));
                    }

                    @Override
                    public boolean hearsMerges() {
                        return true;
                    }

                    @Override
                    public void merged(Merge merge) { // the application's own merges; the agent tells of its own
                        feed.publish(new ChangeEvent(SiteId.of(merge.siteId()).toString(), merge.dbVersion(), false,
                                merge.rows(), merge.rowsImpacted()));
                    }
                });
            }
        }
        // Local commits are delivered a moment after they return: one made before the listener came may be on its
        // way. The listener hears what is committed from now on.
        return feed.add(new FromNow(listener, crr.dbVersion()));
    }

    /** A listener that does not hear the local commits up to {@code committed}, made before it was added. */
    private record FromNow(ChangeListener listener, long committed) implements ChangeListener {
        @Override
        public void onChange(ChangeEvent event) {
            if (!event.local() || event.dbVersion() > committed) {
                listener.onChange(event);
            }
        }

        @Override
        public String toString() {
            return listener.toString();
        }
    }

    private String localSite(CrrApi crr) {
        try {
            return SiteId.of(crr.siteId()).toString();
        } catch (SQLException e) {
            throw new IllegalStateException("the site id cannot be read", e);
        }
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
        synchronized (this) {
            if (localCommits != null) {
                try {
                    localCommits.close();
                } catch (Exception e) {
                    throw new IllegalStateException("unsubscribing from local commits failed", e);
                }
                localCommits = null;
            }
        }
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
