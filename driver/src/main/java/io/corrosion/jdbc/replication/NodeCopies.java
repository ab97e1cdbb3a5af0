package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.LockWait;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.crr.SiteDetach;
import io.corrosion.jdbc.keys.SlotClaims;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;

/**
 * Copies of a node's file that are to run as a node: a backup to restore, a seed for a new node. A copy as made keeps
 * the node's identity (site id, key slot), and a node started from it breaks "one file, one node": restored, its
 * commits take versions of its site that its peers already hold and drop; started beside the original, both commit
 * under one site id. Here the identity is taken out of the copy, as Corrosion's backup does: the node started from it
 * is a new site (and claims a new slot) that already holds everything its predecessor had written when the copy was
 * made, with the bookkeeping to match (the predecessor's versions up to then are known here), and it gets the rest of
 * the cluster's changes, its predecessor's later ones included, by sync.
 */
public final class NodeCopies {
    /**
     * The node a copy came from.
     *
     * @param siteId         its site id, a remote site's in the copy now
     * @param dbVersion      its highest local version the copy holds
     * @param configuredSlot its key slot, if configured ({@code node-slot}): a node started from the copy must be given
     *                       another (with the same one, its keys start 65,536 per table ahead, and beyond that it can
     *                       repeat keys its predecessor generated after the copy until their rows reach it)
     */
    public record Former(byte[] siteId, long dbVersion, Optional<Integer> configuredSlot) {}

    private static final Logger LOG = LoggerFactory.getLogger(NodeCopies.class);

    private NodeCopies() {}

    /**
     * Takes the node identity out of the database file {@code copy}, a copy nothing has open; it must be in WAL mode
     * (see {@link SiteDetach#detach}). Empty if the file has none: not a corrosion database, or taken out already.
     */
    public static Optional<Former> forgetIdentity(Path copy) throws SQLException {
        return forget(copy, false);
    }

    /** {@link #forgetIdentity} of a copy the caller has just written, in any journal mode. */
    public static Optional<Former> forgetIdentityOfNewCopy(Path copy) throws SQLException {
        return forget(copy, true);
    }

    /**
     * Copies the database file {@code source} (SQLite's {@code VACUUM INTO}: a read, safe while a node runs on it, its
     * WAL included) to {@code target}, which must not exist, and takes the node identity out of the copy. The copy is
     * made and changed under a temporary name beside {@code target} and renamed at the end: a copy that failed, or
     * still has the identity, never stands under {@code target}.
     */
    public static Optional<Former> copy(Path source, Path target) throws SQLException {
        if (!Files.isRegularFile(source)) {
            throw new SQLException("No database file " + source + " to copy", "58030");
        }
        if (Files.exists(target)) {
            throw new SQLException(target + " exists already; the copy must go to a new file", "58030");
        }
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            if (Files.exists(Path.of(target + suffix))) {
                throw new SQLException(target + suffix + " exists: it belongs to the file that stood at " + target
                        + ", and SQLite would apply it to the copy. With the node stopped, delete it", "58030");
            }
        }
        Path partial = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".partial-"
                + Long.toHexString(System.nanoTime()));
        try {
            try (SQLiteConnection c = open(source); Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + partial.toString().replace("'", "''") + "'");
            } catch (SQLException e) {
                throw SqlErrors.translate(e);
            }
            Optional<Former> former = forgetIdentityOfNewCopy(partial);
            Files.move(partial, target); // refuses a target made meanwhile
            return former;
        } catch (IOException e) {
            throw new SQLException("Could not put the copy in place as " + target + ": " + e, "58030", e);
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                try {
                    Files.deleteIfExists(Path.of(partial + suffix));
                } catch (IOException e) {
                    LOG.warn("Could not delete the partial copy {}: {}", partial + suffix, e.toString());
                }
            }
        }
    }

    /** Whether {@code file} is a database file whose local site is {@code siteId}: a copy of that node. */
    public static boolean isCopyOf(Path file, byte[] siteId) throws SQLException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (SQLiteConnection c = open(file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT site_id FROM sqlite_master, crsql_site_id WHERE"
                        + " sqlite_master.name = 'crsql_site_id' AND ordinal = 0")) {
            return rs.next() && Arrays.equals(rs.getBytes(1), siteId);
        } catch (SQLException e) {
            return false; // not a database, or none with a site table
        }
    }

    private static Optional<Former> forget(Path copy, boolean written) throws SQLException {
        if (!Files.isRegularFile(copy)) {
            throw new SQLException("No database file " + copy + " to take the node identity out of", "58030");
        }
        AtomicReference<Optional<Integer>> slot = new AtomicReference<>(Optional.empty());
        try {
            return detach(copy, written, slot).map(former -> new Former(former.siteId(), former.dbVersion(), slot.get()));
        } catch (SQLException e) {
            throw SqlErrors.translate(e); // sqlite-jdbc's own errors have no SQLState
        }
    }

    private static Optional<SiteDetach.FormerSite> detach(Path copy, boolean written,
            AtomicReference<Optional<Integer>> slot) throws SQLException {
        return SiteDetach.detach(() -> open(copy), written, (c, former) -> {
            slot.set(SlotClaims.forgetNode(c));
            ReplicationSchema.create(c);
            try (PreparedStatement head = c.prepareStatement("INSERT INTO " + ReplicationSchema.HEADS + " (site, head)"
                    + " VALUES (?, ?) ON CONFLICT (site) DO UPDATE SET head = max(head, excluded.head)")) {
                head.setBytes(1, former.siteId());
                head.setLong(2, former.dbVersion());
                head.executeUpdate();
            }
            for (String table : new String[] {ReplicationSchema.GAPS, ReplicationSchema.BUFFER}) {
                try (PreparedStatement forget = c.prepareStatement("DELETE FROM " + table + " WHERE site = ?")) {
                    forget.setBytes(1, former.siteId());
                    forget.executeUpdate();
                }
            }
        });
    }

    private static SQLiteConnection open(Path file) throws SQLException {
        SQLiteConnection c = JDBC.createConnection("jdbc:sqlite:" + file, new Properties());
        LockWait.install(c, 1000); // a copy nobody else has open never waits
        return c;
    }
}
