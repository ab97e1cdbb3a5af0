package io.corrosion.jdbc.replication;

import io.corrosion.gossip.BackgroundPriority;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.runtime.GossipListener;
import io.corrosion.gossip.runtime.GossipNode;
import io.corrosion.gossip.runtime.GossipNodeConfig;
import io.corrosion.gossip.runtime.GossipNodeStats;
import io.corrosion.gossip.runtime.MemberInfo;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.crr.CheckpointStats;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication agent of one database file: a gossip node whose store is the file ({@link SqliteChangesetStore}),
 * the publisher of local commits ({@link LocalPublisher}), and the upkeep that merges changes kept for a missing
 * schema once it arrives. One per file per JVM, shared by every connection; started by the file's first connection
 * with {@code bind}/{@code seeds}, stopped with the database (driver shutdown, data source close, JVM exit).
 *
 * <h2>Connections and threads</h2>
 * Three connections of its own on the file: the writer (gossip's store-apply thread and the agent thread, under a
 * lock), the reader (gossip's store-read thread: sync state and reads), the publisher's (agent thread). Beside
 * gossip's threads the agent has one: {@code corrosion-agent-<name>}, which publishes commits as soon as the CRR
 * engine's commit listener reports them (durable and readable on any connection) and, every {@link #TICK_MILLIS} ms,
 * retries a publish round that failed and merges changes kept for a schema that has arrived since.
 *
 * <p>The local versions this node offers peers (its sync head) are those the commit listener reported, never the
 * engine's in-memory counter, which moves before a commit is durable: a version read too early would go out empty.
 */
public final class ReplicationAgent implements AutoCloseable {
    /** Period of the agent thread's upkeep. */
    static final long TICK_MILLIS = 50;
    /** How long stopping waits for the last local commits to be handed to gossip. */
    private static final long LAST_PUBLISH_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationAgent.class);

    /** Opens one of the agent's own connections to the file, with the CRR engine attached. */
    @FunctionalInterface
    interface Connections {
        CrrAccess open() throws SQLException;
    }

    private final String name;
    private final SiteId siteId;
    private final AgentCounters counters;
    private final ChangeFeed feed;
    private final TransactionGate gate;
    private final WriterConnection writer;
    private final CrrAccess reader;
    private final CrrAccess publisherConnection;
    private final CheckpointStats checkpoints;
    private final VersionSource readerSource;
    private final VersionSource publisherSource;
    private final Bookkeeping books = new Bookkeeping();
    private final PendingChanges pending;
    private final LocalPublisher publisher;
    private final SqliteChangesetStore store;
    private final GossipNode node;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean publishScheduled = new AtomicBoolean();
    /** When the last publish round began ({@link System#nanoTime}): the next of a stream waits for the linger. */
    private volatile long lastPublishRound = System.nanoTime() - AgentSettings.PUBLISH_LINGER.toNanos();
    /** When the last local commit was told ({@link System#nanoTime}): one within a linger of it is a stream's. */
    private volatile long lastCommitNotice = System.nanoTime() - AgentSettings.PUBLISH_LINGER.toNanos();
    private final AgentMBean mbean;
    private volatile boolean closed;
    private AutoCloseable localCommits;

    private ReplicationAgent(String name, Connections connections, GossipConfigFactory configs, ChangeFeed feed,
            AgentCounters counters, TransactionGate gate) throws SQLException {
        this.name = name;
        this.counters = counters;
        this.feed = feed;
        this.gate = gate;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            CrrAccess writerCrr = connections.open();
            opened.add(writerCrr);
            this.writer = new WriterConnection(writerCrr, counters, gate);
            long startedAt = writer.transaction(() -> {
                ReplicationSchema.create(writerCrr.connection());
                return finishedLocalVersion(writerCrr);
            });
            this.siteId = SiteId.of(writerCrr.siteId());
            this.reader = connections.open();
            opened.add(reader);
            this.publisherConnection = connections.open();
            opened.add(publisherConnection);
            this.readerSource = new VersionSource(reader);
            this.publisherSource = new VersionSource(publisherConnection);
            writer.locked(() -> {
                books.load(writerCrr.connection());
                return null;
            });
            this.pending = new PendingChanges(writerCrr.connection());
            GossipNodeConfig config = configs.create(siteId);
            this.checkpoints = publisherConnection.checkpoints();
            WalSync walSync = WalSync.of(publisherConnection.connection(), WalSync.FDATASYNC, counters);
            this.publisher = new LocalPublisher(siteId, publisherSource, writer, this::broadcast, walSync::upTo,
                    Math.min(VersionChunker.MAX_PAYLOAD_BYTES, GossipCore.maxChangesetBytes(config.gossip()) - 256),
                    counters,
                    startedAt);
            this.store = new SqliteChangesetStore(name, siteId, writer, books, pending,
                    new SyncReader(siteId, readerSource, reader.connection()), () -> walSync.upTo(publisher.latest()),
                    this::remoteApplied,
                    counters);
            this.node = new GossipNode(config, store, GossipListener.NONE);
        } catch (SQLException | RuntimeException e) {
            for (AutoCloseable c : opened) {
                closeQuietly(c, e);
            }
            throw e instanceof SQLException sql ? sql
                    : new SQLException("Cannot start replication of " + name + ": " + e, SqlErrors.GENERAL_ERROR, e);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(BackgroundPriority.lowered(r), "corrosion-agent-" + name);
            t.setDaemon(true);
            return t;
        });
        this.mbean = new AgentMBean(this);
    }

    /** Creates the gossip node's configuration once the site id is known. */
    @FunctionalInterface
    interface GossipConfigFactory {
        GossipNodeConfig create(SiteId siteId) throws SQLException;
    }

    /**
     * Starts the agent: binds the gossip node and joins the cluster (in the background), starts publishing.
     *
     * @throws SQLException SQLState 08001 if the node cannot bind or its settings are refused
     */
    static ReplicationAgent start(String name, Connections connections, GossipConfigFactory configs, ChangeFeed feed,
            AgentCounters counters, TransactionGate gate) throws SQLException {
        ReplicationAgent agent = new ReplicationAgent(name, connections, configs, feed, counters, gate);
        try {
            agent.node.start();
        } catch (RuntimeException e) {
            agent.close();
            throw new SQLException("Cannot start replication of " + name + ": " + e.getMessage(),
                    SqlErrors.BAD_CONNECTION_PROPERTY, e);
        }
        agent.localCommits = agent.writer.crr().api().addCommitListener(commit -> agent.localCommitted(commit.dbVersion()));
        // Committed before the listener was registered.
        agent.localCommitted(agent.writer.transaction(() -> finishedLocalVersion(agent.writer.crr())));
        agent.thread.scheduleWithFixedDelay(agent::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        agent.mbean.register();
        LOG.info("[{}] replication started: site {} at {}, seeds {}, {} versions of {} peers known", name, agent.siteId,
                agent.node.address(), agent.node.config().seeds(), agent.knownRemoteVersions(),
                agent.books.snapshot().size());
        return agent;
    }

    /**
     * The committed local db version, read in a transaction that holds the file's write lock: every commit whose hook
     * ran has finished, so its rows are readable (a commit under way could be read back empty, and would leave as
     * such). Outside the lock {@code dbVersion()} can name such a commit, and {@code finishedLocalVersion()} can lag
     * behind commits nobody reported finished (the agent's own, a node slot claim).
     */
    private static long finishedLocalVersion(CrrAccess lockHolder) throws SQLException {
        return lockHolder.dbVersion();
    }

    // ---- what the driver tells the agent --------------------------------------------------------------------

    /** The commit listener: a local transaction with this db version is durable; publish it soon. Never blocks. */
    private void localCommitted(long dbVersion) {
        long now = System.nanoTime();
        boolean stream = now - lastCommitNotice < AgentSettings.PUBLISH_LINGER.toNanos();
        lastCommitNotice = now;
        if (publisher.committed(dbVersion)) {
            schedulePublish(stream);
        }
    }

    // ---- what the agent offers --------------------------------------------------------------------------------

    public SiteId siteId() {
        return siteId;
    }

    public String name() {
        return name;
    }

    GossipNode node() {
        return node;
    }

    Bookkeeping books() {
        return books;
    }

    /** The newest local db version known to be committed. */
    long localVersion() {
        return publisher.latest();
    }

    /** The other members, by site id. */
    public List<ClusterMember> members() {
        List<ClusterMember> out = new ArrayList<>();
        for (MemberInfo m : node.members()) {
            out.add(new ClusterMember(m.siteId().toString(), m.address().toString(), m.status(), m.since()));
        }
        return out;
    }

    /** Counters and gauges of this file's replication. */
    public ReplicationStats stats() {
        GossipNodeStats g = node.stats();
        long samples = counters.latencySamples.sum();
        long[] writerWaits = gate.writerWaits();
        return new ReplicationStats(siteId.toString(), node.address().toString(), g.members().alive(),
                g.members().suspect(), g.members().down(), g.changesetsBroadcast(), g.broadcastsDropped(),
                g.changesetsReceived(), g.changesetsApplied(), counters.changesetsRejected.sum(), g.syncRounds(),
                counters.localVersionsPublished.sum(), publisher.backlog(), counters.walFlushes.sum(),
                TimeUnit.NANOSECONDS.toMillis(counters.walFlushNanos.sum()),
                TimeUnit.NANOSECONDS.toMillis(counters.walFlushMaxNanos.get()), checkpoints.count(),
                checkpoints.millis(), checkpoints.maxMillis(), checkpoints.walPages(),
                counters.remoteVersionsApplied.sum(),
                counters.applyTransactions.sum(), counters.busyRetries.sum(), counters.applyYields.sum(),
                writerWaits[0], TimeUnit.NANOSECONDS.toMillis(writerWaits[1]),
                TimeUnit.NANOSECONDS.toMillis(counters.applyLockNanos.sum()),
                TimeUnit.NANOSECONDS.toMillis(counters.applyLockCpuNanos.sum()), g.queues().apply(),
                g.queues().applyLagMillis(), g.queues().broadcastHandoff(), g.queues().syncSessions(),
                books.missingVersions(), g.core().sync().ownSiteBehind(),
                g.core().membership().siteIdShared(), pending.count(), counters.changesMergedAfterSchema.sum(),
                counters.changesetsRefusedPendingFull.sum(), Math.max(0, pending.kept() - pending.count()),
                feed.queued(),
                counters.listenerEventsDropped.sum(), counters.listenerErrors.sum(), counters.latencyMillisLast.get(),
                samples == 0 ? 0 : counters.latencyMillisTotal.sum() / samples, counters.latencyMillisMax.get());
    }

    // ---- agent thread ----------------------------------------------------------------------------------------

    /**
     * Publishes soon: at once, or, when this commit came within a linger of the one before (a stream), a linger after
     * the last round began, so that the stream's commits leave a round at a time. A commit that waited for its peers
     * before the next one (read-your-writes) is not held back.
     */
    private void schedulePublish(boolean stream) {
        if (!closed && publishScheduled.compareAndSet(false, true)) {
            try {
                long wait = stream ? AgentSettings.PUBLISH_LINGER.toNanos() - (System.nanoTime() - lastPublishRound) : 0;
                if (wait > 0) {
                    thread.schedule(this::publish, wait, TimeUnit.NANOSECONDS);
                } else {
                    thread.execute(this::publish);
                }
            } catch (RejectedExecutionException stopped) {
                publishScheduled.set(false);
            }
        }
    }

    private void publish() {
        lastPublishRound = System.nanoTime();
        publishScheduled.set(false);
        try {
            publisher.publish();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("[{}] publishing local commits failed (peers get them by sync): {}", name, e.toString());
        }
    }

    private void tick() {
        try {
            if (publisher.behind() && !publishScheduled.get()) {
                publish(); // a round that failed, or a commit told while one ran (not one waiting for its linger)
            }
            if (pending.kept() > 0) {
                store.mergeKeptChanges();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("[{}] replication upkeep failed: {}", name, e.toString());
        }
    }

    // ---- gossip's threads ------------------------------------------------------------------------------------

    private int broadcast(List<Changeset> changesets) {
        return node.broadcast(changesets);
    }

    /** After an apply batch committed (store-apply thread): listeners and latency. */
    private void remoteApplied(List<AppliedVersion> versions) {
        long now = System.currentTimeMillis();
        for (AppliedVersion v : versions) {
            if (v.ts() != 0) {
                counters.latency(now - Ntp64.toMillis(v.ts()));
            }
            feed.publish(new ChangeEvent(v.site().toString(), v.version(), false, v.rows(), v.rowsImpacted()));
        }
    }

    private long knownRemoteVersions() {
        long n = 0;
        for (var v : books.snapshot().values()) {
            n += v.head();
        }
        return n;
    }

    /** Stops gossip (saying goodbye), the agent thread, and closes the agent's connections. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        books.close(); // an awaitVersion in progress ends now, not at its timeout
        publishLastCommits();
        if (localCommits != null) {
            closeQuietly(localCommits, null);
        }
        mbean.unregister();
        try {
            node.close();
        } catch (RuntimeException e) {
            LOG.warn("[{}] stopping gossip failed", name, e);
        }
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {readerSource, publisherSource, writer, reader, publisherConnection}) {
            closeQuietly(c, null);
        }
        LOG.info("[{}] replication stopped: site {}", name, siteId);
    }

    /**
     * Publishes the commits not published yet before gossip stops (it sends them before its goodbye): a node that
     * does not come back must not take acknowledged writes with it. The commit listener hears of a commit a moment
     * after it returned, so this goes by the commits that finished. Up to {@link #LAST_PUBLISH_SECONDS}; what is left
     * goes by sync when the node returns.
     */
    private void publishLastCommits() {
        try {
            thread.submit(() -> {
                publisher.committed(publisherConnection.finishedLocalVersion());
                if (publisher.behind()) {
                    publish();
                }
            }).get(LAST_PUBLISH_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("[{}] the last {} local commits were not published before stopping (peers get them by sync "
                    + "when this node is back): {}", name, publisher.backlog(), e.toString());
        }
    }

    private void closeQuietly(AutoCloseable c, Throwable failure) {
        try {
            c.close();
        } catch (Exception e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.debug("[{}] closing {} failed", name, c, e);
            }
        }
    }

    @Override
    public String toString() {
        return "ReplicationAgent[" + name + ", site " + siteId.shortString() + "]";
    }
}
