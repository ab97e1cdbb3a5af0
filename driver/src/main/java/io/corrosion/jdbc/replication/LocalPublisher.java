package io.corrosion.jdbc.replication;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import java.util.function.ToIntFunction;

/**
 * Local commits to broadcasts: each local version committed since the last round is read back (on the publisher's
 * own connection, off the application's thread), cut into changesets ({@link VersionChunker}) and handed to gossip;
 * versions whose changes were all overwritten before they were read go as {@link Changeset.Empty}. A version leaves
 * only once it is on disk ({@link WalSync}): a round first flushes what it sends. The commit itself
 * never waits for any of it, and a changeset gossip refuses (its queue full) still reaches peers by sync. Runs on the
 * agent thread; {@link #committed} may be called from any thread.
 */
final class LocalPublisher {
    /** Versions read per query. */
    private static final long WINDOW = 256;

    private final SiteId self;
    private final VersionSource source;
    private final WriterConnection writer;
    private final ToIntFunction<List<Changeset>> broadcast;
    private final LongUnaryOperator durable;
    private final int maxPayloadBytes;
    private final AgentCounters counters;
    private final AtomicLong latest = new AtomicLong();
    private volatile long published;

    /**
     * @param publishedUpTo local versions up to this one are not broadcast (they existed before the agent started;
     *                      peers get them by sync)
     * @param broadcast     hands a round's changesets to gossip together; how many gossip took
     * @param durable       makes the committed local versions up to the given one durable; the highest that is
     *                      ({@link WalSync#upTo})
     */
    LocalPublisher(SiteId self, VersionSource source, WriterConnection writer, ToIntFunction<List<Changeset>> broadcast,
            LongUnaryOperator durable, int maxPayloadBytes, AgentCounters counters, long publishedUpTo) {
        this.self = self;
        this.source = source;
        this.writer = writer;
        this.broadcast = broadcast;
        this.durable = durable;
        this.maxPayloadBytes = maxPayloadBytes;
        this.counters = counters;
        this.published = publishedUpTo;
        this.latest.set(publishedUpTo);
    }

    /** A local transaction committed with this db version (or a newer one is known to exist). Any thread. */
    boolean committed(long dbVersion) {
        return latest.getAndAccumulate(dbVersion, Math::max) < dbVersion;
    }

    /** The newest local version known to be committed. */
    long latest() {
        return latest.get();
    }

    /** Whether committed versions wait to be published. */
    boolean behind() {
        return latest.get() > published;
    }

    /** Local versions committed but not handed to gossip yet. */
    long backlog() {
        return Math.max(0, latest.get() - published);
    }

    /**
     * Publishes every version committed and not published yet, once on disk; returns how many. Agent thread. Versions
     * that could not be flushed wait ({@link #behind}).
     */
    long publish() throws SQLException {
        long until = durable.applyAsLong(latest.get());
        long count = 0;
        while (published < until) {
            long from = published + 1;
            long to = Math.min(until, published + WINDOW);
            NavigableMap<Long, VersionSource.Version> versions = source.read(self.toBytes(), from, to);
            long ts = Ntp64.now();
            long emptyFrom = from;
            List<Changeset> round = new ArrayList<>();
            for (VersionSource.Version version : versions.values()) {
                if (version.version() > emptyFrom) {
                    round.add(new Changeset.Empty(self, new LongRange(emptyFrom, version.version() - 1), ts));
                }
                List<Changeset.Full> chunks = VersionChunker.chunk(self, version.version(), version.changes(),
                        version.lastSeq(), ts, maxPayloadBytes);
                if (chunks.size() > 1) {
                    recordLastSeq(version);
                }
                round.addAll(chunks);
                emptyFrom = version.version() + 1;
            }
            if (emptyFrom <= to) {
                round.add(new Changeset.Empty(self, new LongRange(emptyFrom, to), ts));
            }
            counters.broadcastsRefused.add(round.size() - broadcast.applyAsInt(round));
            count += to - from + 1;
            published = to;
        }
        counters.localVersionsPublished.add(count);
        return count;
    }

    /** A version sent in several chunks keeps its last seq, in case its last changes are overwritten later. */
    private void recordLastSeq(VersionSource.Version version) throws SQLException {
        writer.transaction(() -> {
            try (PreparedStatement p = writer.crr().connection().prepareStatement("INSERT OR REPLACE INTO "
                    + ReplicationSchema.LAST_SEQS + " (site, version, last_seq) VALUES (?, ?, ?)")) {
                p.setBytes(1, self.toBytes());
                p.setLong(2, version.version());
                p.setLong(3, version.lastSeq());
                p.executeUpdate();
            }
            return null;
        });
    }
}
