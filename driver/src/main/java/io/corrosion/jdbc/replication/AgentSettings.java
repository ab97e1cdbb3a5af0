package io.corrosion.jdbc.replication;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.runtime.GossipNodeConfig;
import io.corrosion.gossip.tls.TlsMaterial;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.HostPort;
import io.corrosion.jdbc.SqlErrors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gossip node's configuration, from a file's node settings ({@code bind}, {@code seeds}, {@code tls.*},
 * {@code fanout}, {@code sync-interval}, {@code handover-timeout}). Problems are {@link SQLException}s with SQLState 08001 naming the setting.
 */
final class AgentSettings {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSettings.class);
    static final int SYNC_BATCH_BYTES = 1 << 20;
    static final long SYNC_SESSION_BYTES = 64L << 20;

    private AgentSettings() {}

    /**
     * How long a received changeset may wait for others to share its apply transaction, under a steady stream
     * (system property {@code corrosion.applyLingerMs}, for benchmarks); one after a quiet spell goes at once. Every
     * apply transaction holds the file's write lock, and its commit empties the application connections' page caches,
     * so fewer of them cost the application's commits less. In the replication benchmark (5 JVMs on two cores, 800
     * remote rows/s per node, cluster only): once, 8 ms instead of 4 took the agent's share of the write lock from
     * 7.4-8.3% to 4.9-6.0% and the cluster's CPU per row written by ~10%. Since applies got cheaper, 5 ms against 8
     * (stop 44, 2 runs against 4): share of the write lock 4.8-5.1% against 4.7-5.4%, CPU per row 941-988 against
     * 903-1,067 us, no difference; the commit-to-visible p50 10.4 against 13.0-13.9 ms and p99 16.3-16.5 against
     * 19.9-22.6 ms, the goal being 20.
     */
    static final Duration APPLY_LINGER = Duration.ofMillis(Long.getLong("corrosion.applyLingerMs", 5));

    /**
     * Under a stream of local commits, how long after one publish round the next may begin (system property
     * {@code corrosion.publishLingerMs}, for benchmarks), so that the commits of that time are read in one query and
     * leave together, one message and packet per peer ({@code BroadcastLanes}). A commit that came more than a linger
     * after the one before it is published at once: after a quiet spell, or in an application that waits for its
     * peers between commits. In the replication benchmark (5 JVMs on two cores, 200 commits/s per node) 10 ms instead
     * of none took the cluster's CPU per row written from 1,609-1,835 to 1,445-1,613 us (4 runs against 3), the
     * application's mean commit from 2.38-2.70x to 2.16-2.31x of the local run's, and the commit-to-visible p99 from
     * 79-93 to 76-85 ms, for 3-4 ms more on the median.
     */
    static final Duration PUBLISH_LINGER = Duration.ofMillis(Long.getLong("corrosion.publishLingerMs", 10));

    /**
     * The gossip node's configuration for a file.
     *
     * @param tuning adjusts the gossip settings derived from the properties (tests, benchmarks)
     */
    static GossipNodeConfig gossipConfig(CorrosionConfig.NodeSettings node, SiteId siteId, String nodeName,
            UnaryOperator<GossipConfig.Builder> tuning, UnaryOperator<Transport> transportDecorator)
            throws SQLException {
        InetSocketAddress bind = bindAddress(node);
        List<NodeAddress> seeds = new ArrayList<>();
        for (HostPort seed : node.seeds()) {
            seeds.add(new NodeAddress(seed.host(), seed.port()));
        }
        try {
            // Sync batches of 1 MiB (gossip's default is 64 KiB): a catch-up moves a few dozen batches per
            // session instead of hundreds, each one a store read and a flow-control round trip. Under a steady
            // stream, received changesets wait up to APPLY_LINGER for others, so one SQLite transaction (its begin,
            // commit, bookkeeping) serves several.
            GossipConfig gossip = tuning.apply(GossipConfig.defaults().toBuilder()
                    .applyLinger(APPLY_LINGER)
                    .fanout(node.fanout())
                    .syncInterval(node.syncInterval())
                    .syncBatchBytes(SYNC_BATCH_BYTES)
                    .syncMaxBytesPerSession(SYNC_SESSION_BYTES)).build();
            return GossipNodeConfig.builder(siteId, bind)
                    .nodeName(nodeName)
                    .seeds(seeds)
                    .tls(tls(node).orElse(null))
                    .insecureLoopback(node.tlsInsecure())
                    .handoverTimeout(node.handoverTimeout())
                    .gossip(gossip)
                    .transportDecorator(transportDecorator)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new SQLException("Cannot start replication: " + e.getMessage(), SqlErrors.BAD_CONNECTION_PROPERTY, e);
        }
    }

    private static InetSocketAddress bindAddress(CorrosionConfig.NodeSettings node) throws SQLException {
        if (node.bind().isPresent()) {
            HostPort bind = node.bind().get();
            try {
                return new InetSocketAddress(InetAddress.getByName(bind.host()), bind.port());
            } catch (UnknownHostException e) {
                throw new SQLException("Cannot resolve bind address " + bind + ": " + e.getMessage(),
                        SqlErrors.BAD_CONNECTION_PROPERTY, e);
            }
        }
        for (HostPort seed : node.seeds()) {
            if (!isLoopback(seed)) {
                throw new SQLException("seeds " + node.seeds() + " need a bind address (bind=host:port) this node "
                        + "listens on; only a node whose seeds are all on loopback picks a free loopback port itself",
                        SqlErrors.BAD_CONNECTION_PROPERTY);
            }
        }
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static boolean isLoopback(HostPort seed) {
        try {
            return InetAddress.getByName(seed.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Optional<TlsMaterial> tls(CorrosionConfig.NodeSettings node) throws SQLException {
        boolean any = node.tlsCa().isPresent() || node.tlsCert().isPresent() || node.tlsKey().isPresent();
        if (!any) {
            return Optional.empty();
        }
        if (node.tlsCa().isEmpty() || node.tlsCert().isEmpty() || node.tlsKey().isEmpty()) {
            throw new SQLException("TLS needs all of tls.ca, tls.cert and tls.key (given: "
                    + (node.tlsCa().isPresent() ? "tls.ca " : "") + (node.tlsCert().isPresent() ? "tls.cert " : "")
                    + (node.tlsKey().isPresent() ? "tls.key" : "") + ")", SqlErrors.BAD_CONNECTION_PROPERTY);
        }
        try {
            TlsMaterial tls = TlsMaterial.fromPemFiles(Path.of(node.tlsCa().get()), Path.of(node.tlsCert().get()),
                    Path.of(node.tlsKey().get()));
            warnIfNotValidNow(tls.certificateChain().get(0), node.tlsCert().get());
            return Optional.of(tls);
        } catch (RuntimeException e) {
            throw new SQLException("Cannot load the TLS material (tls.ca, tls.cert, tls.key): " + e.getMessage(),
                    SqlErrors.BAD_CONNECTION_PROPERTY, e);
        }
    }

    /** A certificate out of its validity period makes peers refuse the node: said at once, not at the first peer. */
    private static void warnIfNotValidNow(X509Certificate certificate, String file) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn("This node's certificate ({}) is valid from {} to {}, not now: peers will refuse it. Issue a new one",
                    file, certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        }
    }
}
