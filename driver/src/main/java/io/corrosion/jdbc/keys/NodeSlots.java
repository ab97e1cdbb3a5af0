package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.SqlErrors;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The node's site id and slot for one database file: established once, on the first connection the driver opens
 * (before the application uses it), in one write transaction that also creates the internal tables.
 */
final class NodeSlots {
    private static final Logger log = LoggerFactory.getLogger(NodeSlots.class);

    private final NodeIdentity identity;
    private final Optional<Integer> configured;
    private volatile NodeSlot slot;
    private volatile byte[] siteId;

    NodeSlots(NodeIdentity identity, Optional<Integer> configured) {
        this.identity = identity;
        this.configured = configured;
    }

    /** The current slot; -1 before the node has one. */
    int current() {
        NodeSlot s = slot;
        return s == null ? -1 : s.slot();
    }

    NodeSlot slot() {
        return slot;
    }

    byte[] siteId() {
        return siteId == null ? null : siteId.clone();
    }

    /** The current slot, or an error saying why there is none. */
    int require() throws SQLException {
        NodeSlot s = slot;
        if (s == null) {
            throw new SQLException("This node has no slot for generated keys yet: the driver could not write its "
                    + "internal tables when the file was opened (read-only?). Reopen the file writable or supply "
                    + "the keys. (SQLSTATE 55000)", "55000");
        }
        return s.slot();
    }

    /**
     * Creates the internal tables, the site id and the slot, unless done already. A read-only connection leaves it
     * for the next connection. Runs in its own transaction, before the application sees {@code c}.
     */
    synchronized boolean establish(SQLiteConnection c) throws SQLException {
        if (slot != null) {
            return false;
        }
        if (c.isReadOnly() || !c.getAutoCommit()) {
            return false;
        }
        try (Statement tx = c.createStatement()) {
            tx.executeUpdate("BEGIN IMMEDIATE");
            try {
                KeysSchema.create(c);
                byte[] site = identity.siteId(c);
                NodeSlot established = SlotClaims.establish(c, site, configured, System.currentTimeMillis());
                tx.executeUpdate("COMMIT");
                siteId = site;
                slot = established;
                log.debug("Node slot {} for site {}", established, SlotClaims.hex(site));
                return true;
            } catch (SQLException | RuntimeException e) {
                try {
                    tx.executeUpdate("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            if ("25006".equals(SqlErrors.translate(e).getSQLState())) {
                log.debug("Read-only database: no node slot yet", e);
                return false;
            }
            throw e;
        }
    }

    /** A claim naming another site for our slot was merged: apply the rule, in the caller's transaction. */
    synchronized NodeSlot claimMerged(SQLiteConnection c, int claimedSlot, SlotClaims.Claim claim)
            throws SQLException {
        NodeSlot ours = slot;
        if (ours == null || ours.slot() != claimedSlot || Arrays.equals(claim.siteId(), siteId)) {
            return ours;
        }
        slot = SlotClaims.resolveConflict(c, ours, siteId, claim, System.currentTimeMillis());
        return slot;
    }
}
