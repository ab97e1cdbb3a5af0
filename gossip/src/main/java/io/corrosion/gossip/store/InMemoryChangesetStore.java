package io.corrosion.gossip.store;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.SyncState.SiteVersions;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ChangesetStore} in memory: the simulation's durable store (it survives a simulated crash) and a
 * reference for the SQLite one. Keeps every chunk it was given; a version can be superseded, after which it is
 * served as empty, as cr-sqlite does when all of a version's rows were overwritten.
 */
public final class InMemoryChangesetStore implements ChangesetStore {

    private final SiteId self;
    private final TreeMap<SiteId, SiteLog> sites = new TreeMap<>();

    private static final class SiteLog {
        final BookedVersions book;
        /** version -> seq start -> chunk. Versions known without data are empty. */
        final TreeMap<Long, TreeMap<Long, Changeset.Full>> chunks = new TreeMap<>();

        SiteLog(SiteId site) {
            book = new BookedVersions(site);
        }
    }

    public InMemoryChangesetStore(SiteId self) {
        this.self = self;
    }

    public SiteId siteId() {
        return self;
    }

    /** A local commit: the next version of this site, split into chunks of at most {@code chunkBytes}. */
    public synchronized List<Changeset.Full> commitLocal(byte[] payload, int chunkBytes, long ts) {
        SiteLog log = log(self);
        long version = log.book.head() + 1;
        int chunks = Math.max(1, (payload.length + chunkBytes - 1) / chunkBytes);
        List<Changeset.Full> out = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            int from = i * chunkBytes;
            byte[] part = java.util.Arrays.copyOfRange(payload, from, Math.min(payload.length, from + chunkBytes));
            out.add(new Changeset.Full(self, version, LongRange.single(i), chunks - 1, ts, part));
        }
        for (Changeset.Full chunk : out) {
            store(log, chunk, log.book.book(chunk));
        }
        return out;
    }

    /** Drops a version's data: from now on it is served as empty. */
    public synchronized void supersede(SiteId site, long version) {
        SiteLog log = sites.get(site);
        if (log != null && log.book.contains(version)) {
            log.chunks.remove(version);
        }
    }

    @Override
    public synchronized List<ApplyOutcome> apply(List<Changeset> batch) {
        List<ApplyOutcome> outcomes = new ArrayList<>(batch.size());
        for (Changeset cs : batch) {
            SiteLog log = log(cs.siteId());
            Booking booking = log.book.book(cs);
            store(log, cs, booking);
            outcomes.add(booking.outcome());
        }
        return outcomes;
    }

    private static void store(SiteLog log, Changeset cs, Booking booking) {
        if (cs instanceof Changeset.Full f && (booking == Booking.BUFFERED || booking == Booking.COMPLETED)) {
            log.chunks.computeIfAbsent(f.version(), v -> new TreeMap<>()).merge(f.seqs().start(), f,
                    (old, neu) -> neu.seqs().end() > old.seqs().end() ? neu : old);
        } else if (cs instanceof Changeset.Empty e && booking == Booking.CLEARED) {
            // Superseded versions keep no data (buffered chunks of cleared partials go too).
            for (long v : new ArrayList<>(log.chunks.subMap(e.versions().start(), true, e.versions().end(), true)
                    .keySet())) {
                if (log.book.contains(v)) {
                    log.chunks.remove(v);
                }
            }
        }
    }

    @Override
    public synchronized SyncState syncState() {
        TreeMap<SiteId, SiteVersions> map = new TreeMap<>();
        sites.forEach((site, log) -> {
            if (log.book.head() > 0) {
                map.put(site, log.book.toSyncState());
            }
        });
        return new SyncState(self, map);
    }

    @Override
    public synchronized ReadBatch read(List<SyncNeed> needs, int maxBytes) {
        Reader reader = new Reader(maxBytes);
        for (int i = 0; i < needs.size(); i++) {
            List<SyncNeed> rest = reader.full() ? List.of(needs.get(i)) : reader.serve(needs.get(i));
            if (!rest.isEmpty()) {
                List<SyncNeed> remaining = new ArrayList<>(rest);
                remaining.addAll(needs.subList(i + 1, needs.size()));
                return new ReadBatch(reader.out, remaining);
            }
        }
        return new ReadBatch(reader.out, List.of());
    }

    /** Serves needs into a byte budget; {@code serve} returns the unserved rest of a need. */
    private final class Reader {
        final List<Changeset> out = new ArrayList<>();
        final int maxBytes;
        int bytes;

        Reader(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        boolean full() {
            return !out.isEmpty() && bytes >= maxBytes;
        }

        void add(Changeset cs) {
            out.add(cs);
            bytes += WireCodec.changesetSize(cs);
        }

        List<SyncNeed> serve(SyncNeed need) {
            SiteLog log = sites.get(need.siteId());
            if (log == null) {
                return List.of();
            }
            if (need instanceof SyncNeed.Full f) {
                return serveFull(log, f);
            }
            return servePartial(log, (SyncNeed.Partial) need);
        }

        private List<SyncNeed> serveFull(SiteLog log, SyncNeed.Full need) {
            SiteId site = need.siteId();
            BookedVersions book = log.book;
            long end = Math.min(need.versions().end(), book.head());
            long emptyFrom = -1;
            long v = need.versions().start();
            while (v <= end) {
                if (book.isNeeded(v)) {
                    // We lack it too: skip the whole gap.
                    emptyFrom = flushEmpty(site, emptyFrom, v - 1);
                    v = book.neededWithin(v, end).get(0).end() + 1;
                    continue;
                }
                TreeMap<Long, Changeset.Full> data = log.chunks.get(v);
                if (data != null || book.isPartial(v)) {
                    emptyFrom = flushEmpty(site, emptyFrom, v - 1);
                    if (data != null) {
                        for (Changeset.Full chunk : data.values()) {
                            if (full()) {
                                return restOf(site, v, chunk, need.versions().end());
                            }
                            add(chunk);
                        }
                    }
                    v++;
                    continue;
                }
                // Known with nothing left: an empty run up to the next version with data, gap or partial.
                if (emptyFrom < 0) {
                    emptyFrom = v;
                }
                long runEnd = end;
                Long nextData = log.chunks.higherKey(v);
                if (nextData != null) {
                    runEnd = Math.min(runEnd, nextData - 1);
                }
                List<LongRange> gaps = book.neededWithin(v, runEnd);
                if (!gaps.isEmpty()) {
                    runEnd = gaps.get(0).start() - 1;
                }
                long partial = book.nextPartial(v);
                if (partial > 0 && partial <= runEnd) {
                    runEnd = partial - 1;
                }
                v = runEnd + 1;
            }
            flushEmpty(site, emptyFrom, end);
            return List.of();
        }

        private long flushEmpty(SiteId site, long from, long to) {
            if (from >= 0 && to >= from) {
                add(new Changeset.Empty(site, new LongRange(from, to), 0));
            }
            return -1;
        }

        /** The rest of version {@code v} from {@code next} on, then the versions after it. */
        private List<SyncNeed> restOf(SiteId site, long v, Changeset.Full next, long end) {
            List<SyncNeed> rest = new ArrayList<>(2);
            rest.add(new SyncNeed.Partial(site, v, List.of(new LongRange(next.seqs().start(), next.lastSeq()))));
            if (v < end) {
                rest.add(new SyncNeed.Full(site, new LongRange(v + 1, end)));
            }
            return rest;
        }

        private List<SyncNeed> servePartial(SiteLog log, SyncNeed.Partial need) {
            long v = need.version();
            TreeMap<Long, Changeset.Full> data = log.chunks.get(v);
            if (data == null) {
                if (log.book.contains(v)) {
                    add(new Changeset.Empty(need.siteId(), LongRange.single(v), 0));
                }
                return List.of();
            }
            for (Map.Entry<Long, Changeset.Full> e : data.entrySet()) {
                Changeset.Full chunk = e.getValue();
                if (!chunk.answers(need.seqs())) {
                    continue;
                }
                if (full()) {
                    List<LongRange> rest = new ArrayList<>();
                    for (LongRange r : need.seqs()) {
                        if (r.end() >= chunk.seqs().start()) {
                            rest.add(new LongRange(Math.max(r.start(), chunk.seqs().start()), r.end()));
                        }
                    }
                    return List.of(new SyncNeed.Partial(need.siteId(), v, rest));
                }
                add(chunk);
            }
            return List.of();
        }
    }

    /** Whether this store knows the version of the site whole (complete or cleared). */
    public synchronized boolean contains(SiteId site, long version) {
        SiteLog log = sites.get(site);
        return log != null && log.book.contains(version);
    }

    public synchronized long head(SiteId site) {
        SiteLog log = sites.get(site);
        return log == null ? 0 : log.book.head();
    }

    /** Whether every version 1..head of the site is known whole here. */
    public synchronized boolean hasAllUpTo(SiteId site, long head) {
        if (head == 0) {
            return true;
        }
        SiteLog log = sites.get(site);
        if (log == null || log.book.head() < head) {
            return false;
        }
        long partial = log.book.nextPartial(1);
        return log.book.neededWithin(1, head).isEmpty() && (partial < 0 || partial > head);
    }

    private SiteLog log(SiteId site) {
        return sites.computeIfAbsent(site, SiteLog::new);
    }
}
