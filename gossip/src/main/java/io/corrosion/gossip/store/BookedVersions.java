package io.corrosion.gossip.store;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncState.SiteVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a node knows of one site's versions, as Corrosion's {@code BookedVersions}: the head (highest version
 * seen), the versions below it never seen ({@code needed}), and the versions seen only in part
 * ({@code partials}, with the seqs seen and the version's last seq). A version is known when it is at most the
 * head, not needed and not partial: complete, or cleared by an empty changeset.
 *
 * <p>A version's last seq is not the same from every peer: a node serves a version with the changes it still has, and
 * one whose last changes were overwritten there (by a later version that wins over them) may serve a smaller last
 * seq than the chunks seen before, when it recorded none. A chunk with last seq {@code L} says its sender has nothing
 * of the version above {@code L}: what was there lost to later changes, which reach every node in their own versions.
 * So a partial version needs the seqs up to the smallest last seq of its chunks, whichever order they came in.
 *
 * <p>Not thread-safe. A SQLite-backed store keeps one per site in memory, loaded at start from its bookkeeping
 * tables and updated in the same transaction that applies a batch.
 */
public final class BookedVersions {

    private final SiteId siteId;
    private long head;
    private final LongRangeSet needed = new LongRangeSet();
    private final TreeMap<Long, Partial> partials = new TreeMap<>();

    /** A version known in part. */
    public static final class Partial {
        private final LongRangeSet seqs = new LongRangeSet();
        /** The smallest last seq of the chunks seen. */
        private long lastSeq;
        private final long ts;

        Partial(long lastSeq, long ts) {
            this.lastSeq = lastSeq;
            this.ts = ts;
        }

        public LongRangeSet seqs() {
            return seqs.copy();
        }

        public long lastSeq() {
            return lastSeq;
        }

        public long ts() {
            return ts;
        }

        public List<LongRange> missing() {
            return seqs.gaps(0, lastSeq);
        }

        /**
         * Whether booking a chunk of this version changes it: it lowers the last seq, or brings seqs not here yet up
         * to the last seq (those above it are not needed).
         */
        private boolean changedBy(Changeset.Full f) {
            long start = f.seqs().start();
            long end = Math.min(f.seqs().end(), lastSeq);
            return f.lastSeq() < lastSeq || start <= end && !seqs.containsAll(start, end);
        }
    }

    public BookedVersions(SiteId siteId) {
        this.siteId = siteId;
    }

    public SiteId siteId() {
        return siteId;
    }

    public long head() {
        return head;
    }

    public LongRangeSet needed() {
        return needed.copy();
    }

    public NavigableMap<Long, Partial> partials() {
        return java.util.Collections.unmodifiableNavigableMap(partials);
    }

    public boolean isNeeded(long version) {
        return needed.contains(version);
    }

    public boolean isPartial(long version) {
        return partials.containsKey(version);
    }

    /** Needed ranges within [start, end]. */
    public List<LongRange> neededWithin(long start, long end) {
        return needed.intersection(start, end);
    }

    /** The lowest partial version at or above {@code from}, or -1. */
    public long nextPartial(long from) {
        Long v = partials.ceilingKey(from);
        return v == null ? -1 : v;
    }

    /** Whether the version is known whole (complete or cleared). */
    public boolean contains(long version) {
        return version >= 1 && version <= head && !needed.contains(version) && !partials.containsKey(version);
    }

    /** Whether booking this changeset would change nothing. */
    public boolean containsAll(Changeset changeset) {
        if (changeset instanceof Changeset.Full f) {
            if (contains(f.version())) {
                return true;
            }
            Partial p = partials.get(f.version());
            return p != null && !p.changedBy(f);
        }
        LongRange vs = ((Changeset.Empty) changeset).versions();
        return vs.end() <= head && !needed.intersects(vs.start(), vs.end())
                && partials.subMap(vs.start(), true, vs.end(), true).isEmpty();
    }

    /** Records a changeset of this site and says what to do with it. */
    public Booking book(Changeset changeset) {
        if (!changeset.siteId().equals(siteId)) {
            throw new IllegalArgumentException("changeset of " + changeset.siteId() + " booked for " + siteId);
        }
        if (changeset instanceof Changeset.Full f) {
            return bookChunk(f);
        }
        return bookEmpty(((Changeset.Empty) changeset).versions());
    }

    private Booking bookChunk(Changeset.Full f) {
        long v = f.version();
        if (contains(v)) {
            return Booking.DUPLICATE;
        }
        Partial p = partials.get(v);
        if (p != null) {
            if (!p.changedBy(f)) {
                return Booking.DUPLICATE;
            }
            p.lastSeq = Math.min(p.lastSeq, f.lastSeq());
            p.seqs.add(f.seqs());
            if (p.seqs.containsAll(0, p.lastSeq)) {
                partials.remove(v);
                return Booking.COMPLETED;
            }
            return Booking.BUFFERED;
        }
        markSeen(v, v);
        if (f.isComplete()) {
            return Booking.COMPLETED;
        }
        Partial fresh = new Partial(f.lastSeq(), f.ts());
        fresh.seqs.add(f.seqs());
        partials.put(v, fresh);
        return Booking.BUFFERED;
    }

    private Booking bookEmpty(LongRange versions) {
        if (containsAll(new Changeset.Empty(siteId, versions, 0))) {
            return Booking.DUPLICATE;
        }
        partials.subMap(versions.start(), true, versions.end(), true).clear();
        markSeen(versions.start(), versions.end());
        return Booking.CLEARED;
    }

    /** Versions start..end are no longer missing; anything skipped above the old head becomes needed. */
    private void markSeen(long start, long end) {
        if (start <= head) {
            needed.remove(start, Math.min(end, head));
        }
        if (end > head) {
            if (start > head + 1) {
                needed.add(head + 1, start - 1);
            }
            head = end;
        }
    }

    /** This site's part of a {@code SyncState}. */
    public SiteVersions toSyncState() {
        TreeMap<Long, List<LongRange>> partialNeeds = new TreeMap<>();
        for (Map.Entry<Long, Partial> e : partials.entrySet()) {
            partialNeeds.put(e.getKey(), new ArrayList<>(e.getValue().missing()));
        }
        return new SiteVersions(head, needed.ranges(), partialNeeds);
    }
}
