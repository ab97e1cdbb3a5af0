package io.corrosion.jdbc.replication;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.ChangesetId;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.Booking;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.jdbc.Change;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gossip's store on the database file. {@link #apply} runs on gossip's store-apply thread: one transaction per batch
 * on the agent's writer connection merges every version that became complete, buffers chunks of incomplete ones,
 * keeps changes for a schema this node lacks, and records it all in the bookkeeping ({@link ReplicationSchema}), so a
 * crash loses nothing and a restart re-applies nothing. {@link #syncState} and {@link #read} run on the store-read
 * thread on the reader connection and see only committed bookkeeping.
 *
 * <p>A changeset whose payload does not decode, or whose changes the CRR engine refuses as malformed, is
 * {@code REJECTED} (and so not forwarded) without holding up the rest of its batch.
 */
final class SqliteChangesetStore implements ChangesetStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteChangesetStore.class);
    /** How many refused changesets {@link #refusalsWarned} remembers. */
    private static final int REFUSALS_REMEMBERED = 4096;

    private final String name;
    private final SiteId self;
    private final WriterConnection writer;
    private final Bookkeeping books;
    private final PendingChanges pending;
    private final SyncReader syncReader;
    private final LongSupplier ownHead;
    private final Consumer<List<AppliedVersion>> applied;
    private final AgentCounters counters;
    // Prepared again after every rollback: sqlite-jdbc finalizes a statement whose step failed with e.g. SQLITE_FULL.
    private PreparedStatement bufferChunk;
    private PreparedStatement bufferedChunks;
    private PreparedStatement dropBuffered;
    private PreparedStatement recordLastSeq;
    private final Set<SiteId> sitesWarnedPendingFull = new HashSet<>();
    /** Changesets refused and logged at WARN: sync brings a refused one again every round, logged at DEBUG then. */
    private final Set<ChangesetId> refusalsWarned = java.util.Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ChangesetId, Boolean> eldest) {
                    return size() > REFUSALS_REMEMBERED;
                }
            });
    private final KeptChanges kept;

    /**
     * @param ownHead the newest local version known durable (the commit listener's): what sync offers of this site
     * @param applied hears the remote versions each committed batch applied, on the apply thread (hand off quickly)
     */
    SqliteChangesetStore(String name, SiteId self, WriterConnection writer, Bookkeeping books, PendingChanges pending,
            SyncReader syncReader, LongSupplier ownHead, Consumer<List<AppliedVersion>> applied,
            AgentCounters counters) throws SQLException {
        this.name = name;
        this.self = self;
        this.writer = writer;
        this.books = books;
        this.kept = new KeptChanges(name, writer, pending, counters, applied);
        this.pending = pending;
        this.syncReader = syncReader;
        this.ownHead = ownHead;
        this.applied = applied;
        this.counters = counters;
        prepareStatements();
    }

    private void prepareStatements() throws SQLException {
        var conn = writer.crr().connection();
        this.bufferChunk = conn.prepareStatement("INSERT INTO " + ReplicationSchema.BUFFER
                + " (site, version, start_seq, end_seq, last_seq, ts, payload) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (site, version, start_seq) DO UPDATE SET end_seq = excluded.end_seq,"
                + " last_seq = excluded.last_seq, payload = excluded.payload WHERE excluded.end_seq > end_seq");
        this.bufferedChunks = conn.prepareStatement("SELECT start_seq, end_seq, payload, last_seq FROM "
                + ReplicationSchema.BUFFER
                + " WHERE site = ? AND version = ? ORDER BY start_seq");
        this.dropBuffered = conn.prepareStatement("DELETE FROM " + ReplicationSchema.BUFFER
                + " WHERE site = ? AND version BETWEEN ? AND ?");
        this.recordLastSeq = conn.prepareStatement("INSERT OR REPLACE INTO " + ReplicationSchema.LAST_SEQS
                + " (site, version, last_seq) VALUES (?, ?, ?)");
    }

    // ---- apply ---------------------------------------------------------------------------------------------

    /** A changeset whose changes the CRR engine refused as malformed: the batch is re-run without it. */
    private static final class BadChangeset extends Exception {
        private static final long serialVersionUID = 1L;
        final int index;

        BadChangeset(int index, SQLException cause) {
            super(cause);
            this.index = index;
        }
    }

    /**
     * Applies the batch in one transaction, or in consecutive ones when an application writer comes to wait for the
     * write lock: the transaction then ends after the changeset at hand (the writer goes first, see
     * {@link TransactionGate}) and the next one goes on from there.
     */
    @Override
    public List<ApplyOutcome> apply(List<Changeset> batch) {
        ApplyOutcome[] outcomes = new ApplyOutcome[batch.size()];
        List<List<Change>> decoded = decode(batch, outcomes);
        Set<Integer> refused = new HashSet<>();
        int from = 0;
        while (from < batch.size()) {
            try {
                from = applyFrom(batch, from, decoded, outcomes, refused);
            } catch (BadChangeset bad) {
                refused.add(bad.index);
                counters.changesetsRejected.increment();
                if (bad.getCause() instanceof PendingChanges.Full full) {
                    refusedPendingFull(batch.get(bad.index), full);
                } else if (refusalsWarned.add(batch.get(bad.index).id())) {
                    LOG.warn("[{}] refused {} (not logged again for it; sync will bring it again): {}", name,
                            batch.get(bad.index), bad.getCause().getMessage());
                } else {
                    LOG.debug("[{}] refused {} again: {}", name, batch.get(bad.index), bad.getCause().getMessage());
                }
            } catch (SQLException e) {
                throw new StoreFailure("[" + name + "] applying " + batch.size() + " changesets failed: "
                        + e.getMessage(), e);
            }
        }
        return Arrays.asList(outcomes);
    }

    /** Counted every time; logged at WARN once per origin site (a flooding peer would fill the log otherwise). */
    private void refusedPendingFull(Changeset cs, PendingChanges.Full full) {
        counters.changesetsRefusedPendingFull.increment();
        if (sitesWarnedPendingFull.add(cs.siteId())) {
            LOG.warn("[{}] refused {} of site {} and will refuse more while the bound holds (not logged again for"
                    + " this site): {}", name, cs, cs.siteId(), full.getMessage());
        } else {
            LOG.debug("[{}] refused {}: {}", name, cs, full.getMessage());
        }
    }

    /**
     * Applies {@code batch} from {@code from} in one transaction, up to its end or until an application writer waits
     * for the lock; returns where the next transaction goes on. A changeset the CRR engine refuses rolls it all back
     * ({@link BadChangeset}: the caller runs it again without that one).
     */
    private int applyFrom(List<Changeset> batch, int from, List<List<Change>> decoded, ApplyOutcome[] outcomes,
            Set<Integer> refused) throws SQLException, BadChangeset {
        long started = System.nanoTime();
        ApplyOutcome[] these = new ApplyOutcome[batch.size()];
        List<AppliedVersion> versions = new ArrayList<>();
        int end;
        try {
            end = writer.transaction(() -> {
                int i = from;
                while (i < batch.size()) {
                    these[i] = outcomes[i] != null || refused.contains(i) ? ApplyOutcome.REJECTED
                            : applyOne(i, batch.get(i), decoded.get(i), versions);
                    i++;
                    if (i < batch.size() && writer.applicationWaiting()) {
                        break;
                    }
                }
                books.persist(writer.crr().connection());
                return i;
            });
        } catch (SQLException | RuntimeException e) {
            rolledBack();
            if (e.getCause() instanceof BadChangeset bad) {
                throw bad;
            }
            throw e;
        }
        System.arraycopy(these, from, outcomes, from, end - from);
        books.committed();
        counters.applyTransactions.increment();
        if (end < batch.size()) {
            counters.applyYields.increment();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] applied {} changesets in {} ms: {} versions merged", name, end - from,
                    (System.nanoTime() - started) / 1_000_000, versions.size());
        }
        if (!versions.isEmpty()) {
            counters.remoteVersionsApplied.add(versions.size());
            applied.accept(versions);
        }
        return end;
    }

    /**
     * Decodes the payloads first, outside any transaction: a bad one is {@code REJECTED} in {@code outcomes} before
     * anything is booked. Changesets already stored are not decoded.
     */
    private List<List<Change>> decode(List<Changeset> batch, ApplyOutcome[] outcomes) {
        List<List<Change>> decoded = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Changeset cs = batch.get(i);
            decoded.add(null);
            if (cs.siteId().equals(self)) {
                outcomes[i] = ApplyOutcome.REJECTED;
            } else if (cs instanceof Changeset.Full f && !books.containsAll(f)) {
                try {
                    decoded.set(i, ChangesPayload.decode(f.payload(), f.siteId().toBytes(), f.version(), f.seqs()));
                } catch (PayloadException e) {
                    outcomes[i] = ApplyOutcome.REJECTED;
                    counters.changesetsRejected.increment();
                    LOG.warn("[{}] refused {}: {}", name, cs, e.getMessage());
                }
            }
        }
        return decoded;
    }

    private ApplyOutcome applyOne(int index, Changeset cs, List<Change> changes, List<AppliedVersion> versions)
            throws SQLException {
        Booking booking = books.book(cs);
        byte[] site = cs.siteId().toBytes();
        if (cs instanceof Changeset.Full f) {
            if (booking == Booking.BUFFERED) {
                buffer(f, site);
            } else if (booking == Booking.COMPLETED) {
                boolean whole = f.isComplete();
                Completed version = whole ? new Completed(changes, f.lastSeq()) : bufferedAnd(f, site, changes);
                List<Change> all = version.changes();
                long maxSeq = all.isEmpty() ? -1 : all.get(all.size() - 1).seq();
                if (!whole || maxSeq != version.lastSeq()) {
                    recordLastSeq.setBytes(1, site);
                    recordLastSeq.setLong(2, f.version());
                    recordLastSeq.setLong(3, version.lastSeq());
                    recordLastSeq.executeUpdate();
                }
                AppliedVersion merged = merge(index, f, all);
                if (merged != null) {
                    versions.add(merged);
                }
            }
        } else if (booking == Booking.CLEARED) {
            Changeset.Empty e = (Changeset.Empty) cs;
            dropBuffered.setBytes(1, site);
            dropBuffered.setLong(2, e.versions().start());
            dropBuffered.setLong(3, e.versions().end());
            dropBuffered.executeUpdate();
        }
        return booking.outcome();
    }

    private void buffer(Changeset.Full f, byte[] site) throws SQLException {
        bufferChunk.setBytes(1, site);
        bufferChunk.setLong(2, f.version());
        bufferChunk.setLong(3, f.seqs().start());
        bufferChunk.setLong(4, f.seqs().end());
        bufferChunk.setLong(5, f.lastSeq());
        bufferChunk.setLong(6, f.ts());
        bufferChunk.setBytes(7, f.payload());
        bufferChunk.executeUpdate();
    }

    /** A version complete here: its changes by seq, and its last seq as booked (the smallest of its chunks'). */
    private record Completed(List<Change> changes, long lastSeq) {
    }

    /** The buffered chunks of a version now complete, with the last chunk's changes, by seq; the buffer is dropped. */
    private Completed bufferedAnd(Changeset.Full last, byte[] site, List<Change> lastChanges) throws SQLException {
        List<Change> all = new ArrayList<>(lastChanges);
        long lastSeq = last.lastSeq();
        bufferedChunks.setBytes(1, site);
        bufferedChunks.setLong(2, last.version());
        try (ResultSet rs = bufferedChunks.executeQuery()) {
            while (rs.next()) {
                lastSeq = Math.min(lastSeq, rs.getLong(4));
                try {
                    all.addAll(ChangesPayload.decode(rs.getBytes(3), site, last.version(),
                            new io.corrosion.gossip.LongRange(rs.getLong(1), rs.getLong(2))));
                } catch (PayloadException e) {
                    throw new SQLException("a buffered chunk of " + last + " does not decode: " + e.getMessage(),
                            "XX001", e);
                }
            }
        }
        dropBuffered.setBytes(1, site);
        dropBuffered.setLong(2, last.version());
        dropBuffered.setLong(3, last.version());
        dropBuffered.executeUpdate();
        all.sort(java.util.Comparator.comparingLong(Change::seq));
        return new Completed(all, lastSeq);
    }

    /** Merges a complete version; what this node's schema cannot take yet is kept. */
    private AppliedVersion merge(int index, Changeset.Full f, List<Change> changes) throws SQLException {
        KeptChanges.Merge merge;
        try {
            merge = kept.mergeOrKeep(changes, true);
        } catch (SQLException e) {
            if (KeptChanges.refused(e)) {
                throw new SQLException(e.getMessage(), e.getSQLState(), new BadChangeset(index, e));
            }
            throw e;
        }
        // What was kept for its schema is heard of when it merges (KeptChanges), not now.
        return merge.merged().isEmpty() ? null
                : AppliedVersion.of(f.siteId(), f.version(), merge.merged(), merge.impacted(), f.ts());
    }

    private void rolledBack() {
        try {
            writer.locked(() -> {
                books.rolledBack(writer.crr().connection());
                pending.rolledBack();
                for (PreparedStatement p : List.of(bufferChunk, bufferedChunks, dropBuffered, recordLastSeq)) {
                    p.close();
                }
                prepareStatements();
                return null;
            });
        } catch (SQLException e) {
            throw new StoreFailure("[" + name + "] reloading the bookkeeping after a rollback failed", e);
        }
    }

    /** See {@link KeptChanges#mergeKeptChanges}. Agent thread. */
    long mergeKeptChanges() throws SQLException {
        return kept.mergeKeptChanges();
    }

    // ---- sync ------------------------------------------------------------------------------------------------

    @Override
    public SyncState syncState() {
        java.util.TreeMap<SiteId, SyncState.SiteVersions> sites = new java.util.TreeMap<>(books.snapshot());
        long own = ownHead.getAsLong();
        if (own > 0) {
            sites.put(self, SyncState.SiteVersions.complete(own));
        }
        return new SyncState(self, sites);
    }

    @Override
    public ReadBatch read(List<SyncNeed> needs, int maxBytes) {
        try {
            long started = System.nanoTime();
            Map<SiteId, SyncState.SiteVersions> snapshot = books.snapshot();
            ReadBatch batch = syncReader.read(needs, maxBytes, ownHead.getAsLong(), snapshot);
            if (LOG.isDebugEnabled()) {
                LOG.debug("[{}] read {} changesets for sync in {} ms ({} needs, {} left)", name,
                        batch.changesets().size(), (System.nanoTime() - started) / 1_000_000, needs.size(),
                        batch.remaining().size());
            }
            return batch;
        } catch (SQLException e) {
            throw new StoreFailure("[" + name + "] reading changesets for sync failed", e);
        }
    }

    /** A store call that failed; gossip counts it and retries by later copies or sync. */
    static final class StoreFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
