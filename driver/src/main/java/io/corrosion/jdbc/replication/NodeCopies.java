package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.LockWait;
import io.corrosion.jdbc.crr.SiteDetach;
import io.corrosion.jdbc.keys.SlotClaims;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;

/**
 * Copies of a node's file that are to run as a node: a backup to restore, a seed for a new node. A copy as made keeps
 * the node's identity (site id, key slot), and a node started from it breaks "one file, one node": restored, its
 * commits take versions of its site that its peers already hold and drop; started beside the original, both commit
 * under one site id. {@link #forgetIdentity} takes the identity out of the copy, as Corrosion's backup does: the node
 * started from it is a new site (and claims a new slot) that already holds everything its predecessor had written when
 * the copy was made, with the bookkeeping to match (the predecessor's versions up to then are known here), and it gets
 * the rest of the cluster's changes, its predecessor's later ones included, by sync.
 */
public final class NodeCopies {
    private NodeCopies() {}

    /**
     * Takes the node identity out of the database file {@code copy}, which nothing may have open. Empty if the file has
     * none: not a corrosion database, or detached already.
     */
    public static Optional<SiteDetach.FormerSite> forgetIdentity(Path copy) throws SQLException {
        if (!Files.isRegularFile(copy)) {
            throw new SQLException("No database file " + copy + " to take the node identity out of", "58030");
        }
        return SiteDetach.detach(() -> open(copy), (c, former) -> {
            SlotClaims.forgetNode(c);
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
