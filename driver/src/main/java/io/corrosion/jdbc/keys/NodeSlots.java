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
 *
 * <p>The slot here follows the committed file. When the conflict rule moves it ({@link #claimMerged}), the move is the
 * transaction's until it commits ({@link ConnectionKeys#movedSlot}): that transaction's own keys come from the new
 * slot already, because its claim rows say so and, if it rolls back, its keys and the claim of the new slot go away
 * together; every other transaction, and this one's after a rollback, keeps the slot the file claims. Moving at once
 * would leave a rolled-back node generating keys in a slot nobody claims in the file, which another node may claim
 * next: equal keys, and replicated rows with equal keys merge into one.
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

    /** The committed slot; -1 before the node has one. */
    int current() {
        NodeSlot s = slot;
        return s == null ? -1 : s.slot();
    }

    /** The slot of {@code c}'s transaction: the one the rule moved it to, else the committed one; -1 if none. */
    int current(ConnectionKeys c) {
        NodeSlot s = slot(c);
        return s == null ? -1 : s.slot();
    }

    /** The committed slot; null before the node has one. */
    NodeSlot slot() {
        return slot;
    }

    /** The slot of {@code c}'s transaction ({@link #current(ConnectionKeys)}); null before the node has one. */
    NodeSlot slot(ConnectionKeys c) {
        NodeSlot moved = c.movedSlot();
        return moved != null ? moved : slot;
    }

    /** A transaction that moved the slot ({@link #claimMerged}) committed: the node's slot is the new one. */
    synchronized void committed(NodeSlot moved) {
        slot = moved;
        log.debug("Node slot {} committed for site {}", moved, SlotClaims.hex(siteId));
    }

    byte[] siteId() {
        return siteId == null ? null : siteId.clone();
    }

    /** The slot of {@code c}'s transaction, or an error saying why there is none. */
    int require(ConnectionKeys c) throws SQLException {
        NodeSlot s = slot(c);
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

    /**
     * A claim naming another site for our slot was merged: applies the rule, in the transaction of {@code c}, and
     * returns that transaction's slot. A move stays the transaction's until it commits (see the class comment).
     */
    synchronized NodeSlot claimMerged(ConnectionKeys c, int claimedSlot, SlotClaims.Claim claim)
            throws SQLException {
        NodeSlot ours = slot(c);
        if (ours == null || ours.slot() != claimedSlot || Arrays.equals(claim.siteId(), siteId)) {
            return ours;
        }
        NodeSlot now = SlotClaims.resolveConflict(c.connection(), ours, siteId, claim, System.currentTimeMillis());
        if (!now.equals(ours)) {
            c.slotMoved(now);
        }
        return now;
    }
}
