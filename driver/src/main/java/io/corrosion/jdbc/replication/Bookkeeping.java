package io.corrosion.jdbc.replication;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncState.SiteVersions;
import io.corrosion.gossip.store.BookedVersions;
import io.corrosion.gossip.store.Booking;
import io.corrosion.gossip.store.LongRangeSet;
import io.corrosion.jdbc.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which versions of each remote site this node has: gossip's {@link BookedVersions} per site in memory, kept in the
 * {@link ReplicationSchema} tables in the same transaction that applies a batch.
 *
 * <p>The apply thread books into the working copy and persists what it touched inside its transaction; after the
 * commit it {@linkplain #committed() publishes} snapshots, which the other threads (sync reads, sync state,
 * {@code awaitVersion}) see. So no other thread ever sees a version as known before its changes are committed. After
 * a rollback the touched sites are reloaded from the tables.
 *
 * <p>A site whose rows cannot be read or do not add up (a head that is not a version, a gap that is not a range or
 * lies past the head, a buffered chunk that does not fit) is treated as if this node had none of its versions: logged
 * at ERROR, and synced again from peers (merges are idempotent), never skipped. Its rows are rewritten by the next
 * apply that books it. A row whose site id is not one is ignored (with an ERROR): its site, lacking a row, syncs again
 * too. A head that is a valid number but too high cannot be told from a true one and is not caught.
 */
final class Bookkeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Bookkeeping.class);

    private final Map<SiteId, BookedVersions> books = new HashMap<>();
    private final Map<SiteId, List<LongRange>> persistedGaps = new HashMap<>();
    private final Set<SiteId> touched = new HashSet<>();
    private final Object publication = new Object();
    /** The agent stopped (under {@link #publication}). */
    private boolean closed;
    private volatile Map<SiteId, SiteVersions> published = Map.of();
    /** The apply thread's statements for {@link #persist}, on the connection it last persisted with. */
    private PersistStatements statements;

    /** Loads every site's bookkeeping from the tables (at start). */
    void load(Connection c) throws SQLException {
        List<SiteId> sites = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT site FROM " + ReplicationSchema.HEADS)) {
            while (rs.next()) {
                byte[] id = rs.getBytes(1);
                try {
                    sites.add(SiteId.of(id));
                } catch (IllegalArgumentException e) {
                    LOG.error("replication bookkeeping has a row whose site id is not one ({}): ignored; that site's"
                            + " versions sync again", e.getMessage());
                }
            }
        }
        books.clear();
        persistedGaps.clear();
        for (SiteId site : sites) {
            books.put(site, loadSiteOrResync(c, site));
        }
        Map<SiteId, SiteVersions> snapshot = new TreeMap<>();
        books.forEach((site, book) -> snapshot.put(site, book.toSyncState()));
        publish(snapshot);
    }

    // ---- the apply thread ------------------------------------------------------------------------------------

    /** Books a received changeset in the working copy. */
    Booking book(Changeset changeset) {
        BookedVersions book = books.computeIfAbsent(changeset.siteId(), BookedVersions::new);
        Booking booking = book.book(changeset);
        if (booking != Booking.DUPLICATE) {
            touched.add(changeset.siteId());
        }
        return booking;
    }

    /** Whether the working copy has every chunk of the version (for dedupe before decoding). */
    boolean containsAll(Changeset changeset) {
        BookedVersions book = books.get(changeset.siteId());
        return book != null && book.containsAll(changeset);
    }

    /** Writes the heads and gaps of the sites booked since the last commit, in the caller's transaction. */
    void persist(Connection c) throws SQLException {
        if (statements == null || statements.connection != c) {
            statements = new PersistStatements(c);
        }
        try {
            persist(statements.head, statements.clear, statements.gap);
        } catch (SQLException | RuntimeException e) {
            forgetStatements(e); // sqlite-jdbc may have finalized the one that failed
            throw e;
        }
    }

    /** Statements of {@link #persist}, prepared once per connection: it runs in every apply transaction. */
    private static final class PersistStatements {
        final Connection connection;
        final PreparedStatement head;
        final PreparedStatement clear;
        final PreparedStatement gap;

        PersistStatements(Connection c) throws SQLException {
            connection = c;
            head = c.prepareStatement("INSERT INTO " + ReplicationSchema.HEADS
                    + " (site, head) VALUES (?, ?) ON CONFLICT (site) DO UPDATE SET head = excluded.head");
            clear = c.prepareStatement("DELETE FROM " + ReplicationSchema.GAPS + " WHERE site = ?");
            gap = c.prepareStatement("INSERT INTO " + ReplicationSchema.GAPS + " (site, first, last) VALUES (?, ?, ?)");
        }

        void close() throws SQLException {
            try (head; clear; gap) {
                // closes all three
            }
        }
    }

    private void forgetStatements(Exception cause) {
        if (statements != null) {
            try {
                statements.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
            statements = null;
        }
    }

    private void persist(PreparedStatement head, PreparedStatement clear, PreparedStatement gap) throws SQLException {
        for (SiteId site : touched) {
            BookedVersions book = books.get(site);
            byte[] id = site.toBytes();
            head.setBytes(1, id);
            head.setLong(2, book.head());
            head.executeUpdate();
            List<LongRange> gaps = book.needed().ranges();
            if (!gaps.equals(persistedGaps.get(site))) {
                clear.setBytes(1, id);
                clear.executeUpdate();
                for (LongRange r : gaps) {
                    gap.setBytes(1, id);
                    gap.setLong(2, r.start());
                    gap.setLong(3, r.end());
                    gap.executeUpdate();
                }
            }
        }
    }

    /** After the commit: the sites booked become visible to the other threads. */
    void committed() {
        if (touched.isEmpty()) {
            return;
        }
        Map<SiteId, SiteVersions> snapshot = new TreeMap<>(published);
        for (SiteId site : touched) {
            BookedVersions book = books.get(site);
            snapshot.put(site, book.toSyncState());
            persistedGaps.put(site, book.needed().ranges());
        }
        touched.clear();
        publish(snapshot);
    }

    /** After a rollback: the sites booked since the last commit are read back from the tables. */
    void rolledBack(Connection c) throws SQLException {
        Set<SiteId> reload = new HashSet<>(touched);
        touched.clear();
        for (SiteId site : reload) {
            books.put(site, loadSiteOrResync(c, site));
        }
    }

    /**
     * A site's bookkeeping from the tables, or, if its rows are corrupt, none (every version syncs again) with the
     * site marked touched so the next persist rewrites its rows.
     */
    private BookedVersions loadSiteOrResync(Connection c, SiteId site) throws SQLException {
        try {
            return loadSite(c, site);
        } catch (CorruptBookkeeping | IllegalArgumentException e) {
            LOG.error("replication bookkeeping of site {} is corrupt ({}): treating its versions as missing; they sync"
                    + " again from peers and merge idempotently", site, e.getMessage());
            persistedGaps.remove(site);
            touched.add(site);
            return new BookedVersions(site);
        }
    }

    /** Rows of a site that do not add up. */
    private static final class CorruptBookkeeping extends SQLException {
        private static final long serialVersionUID = 1L;

        CorruptBookkeeping(String message) {
            super(message, "XX001");
        }
    }

    private BookedVersions loadSite(Connection c, SiteId site) throws SQLException {
        byte[] id = site.toBytes();
        long head = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT head, typeof(head) = 'integer' FROM "
                + ReplicationSchema.HEADS + " WHERE site = ?")) {
            p.setBytes(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getBoolean(2)) {
                        throw new CorruptBookkeeping("head " + rs.getString(1) + " is not a version");
                    }
                    head = rs.getLong(1);
                }
            }
        }
        LongRangeSet unknown = new LongRangeSet();
        List<LongRange> gaps = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT first, last, typeof(first) = 'integer'"
                + " AND typeof(last) = 'integer' FROM " + ReplicationSchema.GAPS + " WHERE site = ? ORDER BY first")) {
            p.setBytes(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(3)) {
                        throw new CorruptBookkeeping("gap " + rs.getString(1) + ".." + rs.getString(2)
                                + " is not a range of versions");
                    }
                    LongRange gap = new LongRange(rs.getLong(1), rs.getLong(2));
                    gaps.add(gap);
                    unknown.add(gap);
                }
            }
        }
        List<Changeset.Full> buffered = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT version, start_seq, end_seq, last_seq, ts FROM "
                + ReplicationSchema.BUFFER + " WHERE site = ? ORDER BY version, start_seq")) {
            p.setBytes(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Changeset.Full chunk = new Changeset.Full(site, rs.getLong(1), new LongRange(rs.getLong(2),
                            rs.getLong(3)), rs.getLong(4), rs.getLong(5), new byte[0]);
                    buffered.add(chunk);
                    unknown.add(chunk.version(), chunk.version());
                }
            }
        }
        // Rebuilt through the same booking as at run time: known ranges as cleared, then the buffered chunks.
        BookedVersions book = new BookedVersions(site);
        if (head > 0) {
            for (LongRange known : unknown.gaps(1, head)) {
                book.book(new Changeset.Empty(site, known, 0));
            }
        }
        for (Changeset.Full chunk : buffered) {
            book.book(chunk);
        }
        if (book.head() != head || !book.needed().ranges().equals(gaps)) {
            throw new CorruptBookkeeping("head " + head + ", gaps " + gaps + ", buffered versions " + buffered.size()
                    + " do not add up");
        }
        persistedGaps.put(site, gaps);
        return book;
    }

    // ---- any thread ------------------------------------------------------------------------------------------

    /** The committed bookkeeping of every remote site. */
    Map<SiteId, SiteVersions> snapshot() {
        return published;
    }

    /** Whether versions 1..version of the site are all known here (complete or cleared), as committed. */
    boolean hasAllUpTo(SiteId site, long version) {
        SiteVersions v = published.get(site);
        if (v == null || v.head() < version) {
            return version <= 0;
        }
        for (LongRange gap : v.needed()) {
            if (gap.start() <= version) {
                return false;
            }
        }
        return v.partialNeeds().isEmpty() || v.partialNeeds().firstKey() > version;
    }

    /**
     * Waits until {@link #hasAllUpTo} holds or {@code timeoutNanos} pass (any length: {@code Long.MAX_VALUE} waits
     * for good).
     *
     * @throws SQLException 08003 if the agent stops meanwhile (the database shuts down)
     */
    boolean awaitAllUpTo(SiteId site, long version, long timeoutNanos) throws InterruptedException, SQLException {
        long start = System.nanoTime();
        synchronized (publication) {
            while (!hasAllUpTo(site, version)) {
                if (closed) {
                    throw new SQLException("The database shut down while waiting for version " + version + " of site "
                            + site, SqlErrors.CONNECTION_CLOSED);
                }
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return false;
                }
                publication.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** The agent stops: waiters in {@link #awaitAllUpTo} end at once. */
    void close() {
        synchronized (publication) {
            closed = true;
            publication.notifyAll();
        }
    }

    /** Versions known to be missing, over all sites (gaps and partial versions): what catching up has left. */
    long missingVersions() {
        long n = 0;
        for (SiteVersions v : published.values()) {
            for (LongRange gap : v.needed()) {
                n += gap.length();
            }
            n += v.partialNeeds().size();
        }
        return n;
    }

    private void publish(Map<SiteId, SiteVersions> snapshot) {
        synchronized (publication) {
            published = Collections.unmodifiableMap(snapshot);
            publication.notifyAll();
        }
    }
}
