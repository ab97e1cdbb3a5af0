package io.corrosion.jdbc.replication;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState.SiteVersions;
import io.corrosion.gossip.store.ChangesetStore.ReadBatch;
import io.corrosion.gossip.wire.WireCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Serves a peer's sync needs from this node's database: versions with changes left as chunks
 * ({@link VersionChunker}), runs of versions with none left as {@link Changeset.Empty}, versions known in part as the
 * chunks buffered for them; versions this node lacks are skipped. Reads versions in windows sized by what the last
 * window held (few versions when they are big, many when they are small or empty), so a catch-up never holds much
 * more than {@link #WINDOW_CHANGES} changes in memory, and keeps the chunks of the last version it had to cut, so the
 * rest of a big version is not read again for every batch. On the agent's reader connection; not thread-safe.
 */
final class SyncReader {
    /** Changes a window should hold about: windows grow while they hold fewer, shrink while they hold more. */
    static final int WINDOW_CHANGES = 8192;
    private static final long MAX_WINDOW = 1L << 20;
    /**
     * Windows one read batch reads at most: a long run of versions with nothing left (up to 2^62 of them, which a
     * member can claim) is served over several batches, so the store's read thread turns to other work in between.
     */
    static final int MAX_WINDOWS_PER_READ = 64;

    private final SiteId self;
    private final VersionSource source;
    private final PreparedStatement buffered;
    /** Versions the next window reads. */
    private long window = 1;
    /** The chunks of the last version cut short by the byte budget (its rest is asked for next). */
    private SiteId cutSite;
    private long cutVersion;
    private List<Changeset.Full> cutChunks = List.of();

    SyncReader(SiteId self, VersionSource source, Connection conn) throws SQLException {
        this.self = self;
        this.source = source;
        this.buffered = conn.prepareStatement("SELECT start_seq, end_seq, last_seq, ts, payload FROM "
                + ReplicationSchema.BUFFER + " WHERE site = ? AND version = ? ORDER BY start_seq");
    }

    /**
     * Reads what answers {@code needs} into about {@code maxBytes}, as {@code ChangesetStore.read} promises.
     *
     * @param ownHead the committed local db version: this node's own versions 1..ownHead are all known
     * @param books   the committed bookkeeping of remote sites
     */
    ReadBatch read(List<SyncNeed> needs, int maxBytes, long ownHead, Map<SiteId, SiteVersions> books)
            throws SQLException {
        Batch batch = new Batch(maxBytes);
        for (int i = 0; i < needs.size(); i++) {
            SyncNeed need = needs.get(i);
            SiteVersions site = need.siteId().equals(self) ? SiteVersions.complete(ownHead) : books.get(need.siteId());
            List<SyncNeed> rest = site == null ? List.of()
                    : batch.full() ? List.of(need)
                    : need instanceof SyncNeed.Full f ? serveFull(batch, f, site)
                    : servePartial(batch, (SyncNeed.Partial) need, site);
            if (!rest.isEmpty()) {
                List<SyncNeed> remaining = new ArrayList<>(rest);
                remaining.addAll(needs.subList(i + 1, needs.size()));
                return new ReadBatch(batch.out, remaining);
            }
        }
        return new ReadBatch(batch.out, List.of());
    }

    private List<SyncNeed> serveFull(Batch batch, SyncNeed.Full need, SiteVersions site) throws SQLException {
        SiteId id = need.siteId();
        long end = Math.min(need.versions().end(), site.head());
        long v = need.versions().start();
        while (v <= end) {
            LongRange gap = gapAt(site, v);
            if (gap != null) {
                batch.flushEmpty(id);
                v = gap.end() + 1;
                continue;
            }
            if (site.partialNeeds().containsKey(v)) {
                batch.flushEmpty(id);
                List<SyncNeed> rest = serveBuffered(batch, id, v, null);
                if (!rest.isEmpty()) {
                    return then(rest, id, v + 1, need.versions().end());
                }
                v++;
                continue;
            }
            if (batch.windows == MAX_WINDOWS_PER_READ) {
                batch.flushEmpty(id);
                return List.of(new SyncNeed.Full(id, new LongRange(v, need.versions().end())));
            }
            long w = Math.min(end, knownUntil(site, v, v + window - 1));
            batch.windows++;
            NavigableMap<Long, VersionSource.Version> versions = source.read(id.toBytes(), v, w);
            for (VersionSource.Version version : versions.values()) {
                batch.empty(id, v, version.version() - 1);
                List<SyncNeed> rest = serveVersion(batch, id, version, null);
                if (!rest.isEmpty()) {
                    return then(rest, id, version.version() + 1, need.versions().end());
                }
                v = version.version() + 1;
            }
            batch.empty(id, v, w);
            resize(versions);
            v = w + 1;
        }
        batch.flushEmpty(id);
        return List.of();
    }

    /** The next window: larger while windows hold few changes, smaller while they hold many. */
    private void resize(NavigableMap<Long, VersionSource.Version> versions) {
        long changes = 0;
        for (VersionSource.Version v : versions.values()) {
            changes += v.changes().size();
        }
        if (changes < WINDOW_CHANGES / 4) {
            window = Math.min(window * 4, MAX_WINDOW);
        } else if (changes > WINDOW_CHANGES) {
            window = Math.max(1, window / 4);
        }
    }

    private List<SyncNeed> servePartial(Batch batch, SyncNeed.Partial need, SiteVersions site) throws SQLException {
        SiteId id = need.siteId();
        long v = need.version();
        if (id.equals(cutSite) && v == cutVersion) {
            return addChunks(batch, id, v, cutChunks, need.seqs());
        }
        if (site.partialNeeds().containsKey(v)) {
            return serveBuffered(batch, id, v, need.seqs());
        }
        if (v > site.head() || gapAt(site, v) != null) {
            return List.of();
        }
        VersionSource.Version version = source.read(id.toBytes(), v, v).get(v);
        if (version == null) {
            batch.add(new Changeset.Empty(id, LongRange.single(v), 0));
            return List.of();
        }
        return serveVersion(batch, id, version, need.seqs());
    }

    /** Adds the chunks of a version (those overlapping {@code seqs}, or all); returns what did not fit. */
    private List<SyncNeed> serveVersion(Batch batch, SiteId id, VersionSource.Version version, List<LongRange> seqs) {
        batch.flushEmpty(id);
        List<Changeset.Full> chunks = VersionChunker.chunk(id, version.version(), version.changes(), version.lastSeq(), 0);
        List<SyncNeed> rest = addChunks(batch, id, version.version(), chunks, seqs);
        if (!rest.isEmpty()) {
            cutSite = id;
            cutVersion = version.version();
            cutChunks = chunks;
        }
        return rest;
    }

    private List<SyncNeed> serveBuffered(Batch batch, SiteId id, long v, List<LongRange> seqs) throws SQLException {
        List<Changeset.Full> chunks = new ArrayList<>();
        buffered.setBytes(1, id.toBytes());
        buffered.setLong(2, v);
        try (ResultSet rs = buffered.executeQuery()) {
            while (rs.next()) {
                chunks.add(new Changeset.Full(id, v, new LongRange(rs.getLong(1), rs.getLong(2)), rs.getLong(3),
                        rs.getLong(4), rs.getBytes(5)));
            }
        }
        return addChunks(batch, id, v, chunks, seqs);
    }

    private List<SyncNeed> addChunks(Batch batch, SiteId id, long v, List<Changeset.Full> chunks,
            List<LongRange> seqs) {
        for (Changeset.Full chunk : chunks) {
            if (seqs != null && !chunk.answers(seqs)) {
                continue;
            }
            if (batch.full()) {
                List<LongRange> rest = new ArrayList<>();
                for (LongRange r : seqs == null ? List.of(new LongRange(0, chunk.lastSeq())) : seqs) {
                    if (r.end() >= chunk.seqs().start()) {
                        rest.add(new LongRange(Math.max(r.start(), chunk.seqs().start()), r.end()));
                    }
                }
                return List.of(new SyncNeed.Partial(id, v, rest));
            }
            batch.add(chunk);
        }
        if (id.equals(cutSite) && v == cutVersion) {
            cutChunks = List.of(); // served to the end
            cutSite = null;
        }
        return List.of();
    }

    /** The rest of a cut need, then the versions after it. */
    private static List<SyncNeed> then(List<SyncNeed> rest, SiteId id, long from, long to) {
        if (from > to) {
            return rest;
        }
        List<SyncNeed> out = new ArrayList<>(rest);
        out.add(new SyncNeed.Full(id, new LongRange(from, to)));
        return out;
    }

    private static LongRange gapAt(SiteVersions site, long v) {
        for (LongRange gap : site.needed()) {
            if (gap.contains(v)) {
                return gap;
            }
            if (gap.start() > v) {
                break;
            }
        }
        return null;
    }

    /** The last version of [v, limit] before the next gap or partial version. */
    private static long knownUntil(SiteVersions site, long v, long limit) {
        long until = limit;
        for (LongRange gap : site.needed()) {
            if (gap.start() > v) {
                until = Math.min(until, gap.start() - 1);
                break;
            }
        }
        Long partial = site.partialNeeds().higherKey(v);
        return partial == null ? until : Math.min(until, partial - 1);
    }

    /** Changesets read so far, their bytes, and a run of empty versions not emitted yet. */
    private static final class Batch {
        final List<Changeset> out = new ArrayList<>();
        final int maxBytes;
        int bytes;
        int windows;
        long emptyFrom = -1;
        long emptyTo = -1;

        Batch(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        boolean full() {
            return !out.isEmpty() && bytes >= maxBytes;
        }

        void add(Changeset cs) {
            out.add(cs);
            bytes += WireCodec.changesetSize(cs);
        }

        /** Versions [from, to] have nothing left: extends the pending run. */
        void empty(SiteId id, long from, long to) {
            if (from > to) {
                return;
            }
            if (emptyFrom >= 0 && emptyTo + 1 != from) {
                flushEmpty(id);
            }
            if (emptyFrom < 0) {
                emptyFrom = from;
            }
            emptyTo = to;
        }

        void flushEmpty(SiteId id) {
            if (emptyFrom >= 0) {
                add(new Changeset.Empty(id, new LongRange(emptyFrom, emptyTo), 0));
                emptyFrom = -1;
            }
        }
    }
}
