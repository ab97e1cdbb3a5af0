package io.corrosion.jdbc.keys;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * How a node gets its slot, and the rule for two nodes claiming the same one.
 *
 * <p>A node with {@code node-slot} set uses that slot. Otherwise it claims one the first time the driver opens the
 * file: starting from a hash of its site id, it takes the first slot not claimed by another site in
 * {@value KeysSchema#SLOTS_TABLE}, records the claim there and keeps it in its own row of
 * {@value KeysSchema#NODE_TABLE}. Claims are meant to be replicated; two nodes that claimed before seeing each other's
 * claim can hold the same slot, which {@link #resolveConflict} settles.
 *
 * <p><b>The conflict rule.</b> When a claim for this node's slot names another site: the lower site id (unsigned byte
 * order, as SQLite compares BLOBs) keeps the slot and writes its claim again, so that the replicated claims table
 * converges on it; the higher site id claims a new slot for its future keys and logs an ERROR, because keys both
 * generated in the shared slot before the conflict was seen can be equal, and replicated rows with equal keys merge
 * into one. A configured slot is never given up: the node logs the ERROR and keeps it, and its claim says so
 * ({@code configured}), so that a node that claimed the slot moves off it whatever the site ids (else neither would).
 */
public final class SlotClaims {
    private static final Logger log = LoggerFactory.getLogger(SlotClaims.class);

    private SlotClaims() {}

    /**
     * One claim of a slot.
     *
     * @param siteId     the claiming site
     * @param configured the site's slot is configured ({@code node-slot}): it never moves
     */
    public record Claim(byte[] siteId, boolean configured) {}

    /** True if {@code siteId} keeps a slot that {@code otherSiteId} claims too: the lower site id wins. */
    public static boolean keepsSlot(byte[] siteId, byte[] otherSiteId) {
        return Arrays.compareUnsigned(siteId, otherSiteId) < 0;
    }

    /** The slot a site tries first: a hash of its site id. */
    static int preferredSlot(byte[] siteId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(siteId);
            return Math.floorMod(ByteBuffer.wrap(digest).getInt(), IdScheme.SLOTS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The first slot from {@code preferred} on (wrapping) that is not {@code taken}; -1 if every slot is. */
    static int probe(int preferred, Set<Integer> taken) {
        for (int i = 0; i < IdScheme.SLOTS; i++) {
            int slot = (preferred + i) % IdScheme.SLOTS;
            if (!taken.contains(slot)) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * The slot this node uses from now on: the configured one, its recorded claim (settling a conflicting claim that
     * arrived meanwhile), or a new claim. Writes in the caller's transaction.
     */
    static NodeSlot establish(SQLiteConnection c, byte[] siteId, Optional<Integer> configured, long now)
            throws SQLException {
        exec(c, "INSERT OR IGNORE INTO " + KeysSchema.NODE_TABLE + " (id) VALUES (1)");
        NodeRow row = nodeRow(c);
        if (row.claimSiteId != null && !Arrays.equals(row.claimSiteId, siteId)) {
            moveClaims(c, row.claimSiteId, siteId); // the node's identity source changed: its claims follow
        }
        Map<Integer, Claim> claims = claims(c);
        skipPredecessorsKeys(c, configured);
        if (configured.isPresent()) {
            int slot = configured.get();
            Claim other = claims.get(slot);
            if (other != null && !Arrays.equals(other.siteId(), siteId)) {
                log.error("node-slot {} is configured for site {}, but site {} has claimed it: keys both nodes generate "
                        + "in this slot can be equal, and replicated rows with equal keys merge into one. Give every "
                        + "node its own node-slot.", slot, hex(siteId), hex(other.siteId()));
            }
            if (row.slot != null && row.slot != slot) {
                deleteClaim(c, row.slot, siteId); // free the slot it used before
            }
            return record(c, new NodeSlot(slot, true), siteId, now);
        }
        if (row.slot != null) {
            Claim holder = claims.get(row.slot);
            if (holder != null && !Arrays.equals(holder.siteId(), siteId)) {
                return resolveConflict(c, new NodeSlot(row.slot, row.configured), siteId, holder, now);
            }
            return record(c, new NodeSlot(row.slot, false), siteId, now);
        }
        return claimNew(c, siteId, Set.of(), now);
    }

    /**
     * Applies the conflict rule after a claim of another site for this node's slot arrived (or was found at startup),
     * and returns the slot this node generates keys in from now on. Writes in the caller's transaction; the replication
     * layer calls it in the transaction that merged the claim.
     */
    public static NodeSlot resolveConflict(SQLiteConnection c, NodeSlot ours, byte[] ourSiteId, Claim other, long now)
            throws SQLException {
        byte[] otherSiteId = other.siteId();
        if (ours.configured()) {
            log.error("node-slot {} is configured for site {}, but site {} claims it too: keys both nodes generate in "
                    + "this slot can be equal, and replicated rows with equal keys merge into one. Give every node its "
                    + "own node-slot.", ours.slot(), hex(ourSiteId), hex(otherSiteId));
            return record(c, ours, ourSiteId, now);
        }
        if (!other.configured() && keepsSlot(ourSiteId, otherSiteId)) {
            log.warn("Site {} also claimed slot {}; this node (site {}) has the lower site id and keeps it. The other "
                    + "node moves to a new slot.", hex(otherSiteId), ours.slot(), hex(ourSiteId));
            return record(c, ours, ourSiteId, now);
        }
        NodeSlot moved = claimNew(c, ourSiteId, Set.of(ours.slot()), now);
        log.error("Slot {} was claimed by this node (site {}) and by site {}, which {} and keeps it; "
                + "this node generates new keys in slot {} from now on. Keys this node generated in slot {} before "
                + "can equal keys site {} generated there, and replicated rows with equal keys merge into one: check "
                + "the tables with generated keys. Set node-slot on every node to rule this out.",
                ours.slot(), hex(ourSiteId), hex(otherSiteId),
                other.configured() ? "has it configured (node-slot)" : "has the lower site id", moved.slot(), ours.slot(),
                hex(otherSiteId));
        return moved;
    }

    private static NodeSlot claimNew(SQLiteConnection c, byte[] siteId, Set<Integer> alsoTaken, long now)
            throws SQLException {
        Set<Integer> taken = new HashSet<>(alsoTaken);
        claims(c).forEach((slot, holder) -> {
            if (!Arrays.equals(holder.siteId(), siteId)) {
                taken.add(slot);
            }
        });
        int slot = probe(preferredSlot(siteId), taken);
        if (slot < 0) {
            throw new SQLException("All " + IdScheme.SLOTS + " node slots are claimed by other sites, so this node "
                    + "cannot generate keys that never collide. Set node-slot to a slot no other node uses.", "53400");
        }
        log.info("Site {} claimed node slot {} for generated keys", hex(siteId), slot);
        return record(c, new NodeSlot(slot, false), siteId, now);
    }

    private static NodeSlot record(SQLiteConnection c, NodeSlot slot, byte[] siteId, long now) throws SQLException {
        try (PreparedStatement claim = c.prepareStatement("INSERT INTO " + KeysSchema.SLOTS_TABLE
                + " (slot, site_id, claimed_at, configured) VALUES (?, ?, ?, ?) ON CONFLICT (slot) DO UPDATE SET "
                + "site_id = excluded.site_id, claimed_at = excluded.claimed_at, configured = excluded.configured"
                + " WHERE site_id <> excluded.site_id OR configured <> excluded.configured");
                PreparedStatement node = c.prepareStatement("UPDATE " + KeysSchema.NODE_TABLE
                        + " SET claim_site_id = ?, slot = ?, slot_configured = ? WHERE id = 1")) {
            claim.setInt(1, slot.slot());
            claim.setBytes(2, siteId);
            claim.setLong(3, now);
            claim.setInt(4, slot.configured() ? 1 : 0);
            claim.executeUpdate();
            node.setBytes(1, siteId);
            node.setInt(2, slot.slot());
            node.setInt(3, slot.configured() ? 1 : 0);
            node.executeUpdate();
        }
        return slot;
    }

    /** The slot the node row records, as the caller's transaction sees it; null if none. */
    static NodeSlot recorded(SQLiteConnection c) throws SQLException {
        NodeRow row = nodeRow(c);
        return row.slot == null ? null : new NodeSlot(row.slot, row.configured);
    }

    private record NodeRow(byte[] claimSiteId, Integer slot, boolean configured) {}

    private static NodeRow nodeRow(SQLiteConnection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT claim_site_id, slot, slot_configured FROM " + KeysSchema.NODE_TABLE + " WHERE id = 1")) {
            rs.next();
            int slot = rs.getInt(2);
            return new NodeRow(rs.getBytes(1), rs.wasNull() ? null : slot, rs.getInt(3) == 1);
        }
    }

    /** Every claim, by slot. */
    static Map<Integer, Claim> claims(SQLiteConnection c) throws SQLException {
        Map<Integer, Claim> claims = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT slot, site_id, configured FROM " + KeysSchema.SLOTS_TABLE)) {
            while (rs.next()) {
                claims.put(rs.getInt(1), new Claim(rs.getBytes(2), rs.getInt(3) == 1));
            }
        }
        return claims;
    }

    /** The claim of {@code slot}; null if nobody claims it. */
    static Claim claim(SQLiteConnection c, int slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT site_id, configured FROM " + KeysSchema.SLOTS_TABLE + " WHERE slot = ?")) {
            p.setInt(1, slot);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new Claim(rs.getBytes(1), rs.getInt(2) == 1) : null;
            }
        }
    }

    private static void moveClaims(SQLiteConnection c, byte[] from, byte[] to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + KeysSchema.SLOTS_TABLE + " SET site_id = ? WHERE site_id = ?")) {
            ps.setBytes(1, to);
            ps.setBytes(2, from);
            ps.executeUpdate();
        }
    }

    /**
     * In a copy of a node's file whose site was detached: forgets which slot the node claimed, so that the site the
     * copy gets next claims a slot of its own (the claim stays its predecessor's). Counters stay: in a new slot they
     * only skip values. Writes in the caller's transaction; nothing in a file without the key tables. Returns the slot
     * if it was configured ({@code node-slot}): a node started from the copy with that slot configured would generate
     * again the keys its predecessor generated there after the copy was made.
     */
    public static Optional<Integer> forgetNode(SQLiteConnection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE"
                + " type = 'table' AND name = '" + KeysSchema.NODE_TABLE + "'")) {
            if (!rs.next()) {
                return Optional.empty();
            }
        }
        Optional<Integer> configured;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT slot FROM " + KeysSchema.NODE_TABLE
                + " WHERE slot_configured = 1 AND slot IS NOT NULL")) {
            configured = rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
        }
        exec(c, "DELETE FROM " + KeysSchema.NODE_TABLE);
        if (configured.isPresent()) { // a node started from the copy with this slot moves its keys ahead (establish)
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO " + Reservations.TABLE
                    + " (name, next, step) VALUES ('" + CounterStore.COPIED_FROM_SLOT + "', ?, 0)")) {
                p.setInt(1, configured.get());
                p.executeUpdate();
            }
        }
        return configured;
    }

    /**
     * A file that is a copy of a node whose slot was configured ({@link #forgetNode}), opened by a node with the same
     * slot (a restore with the same configuration): its predecessor may have generated keys in that slot after the copy,
     * which reach this node only when it has synced. Until then it would generate them again, and rows with equal keys
     * merge into one. So its key counters move {@value KeyAllocator#MERGED_SKIP_MAX} values ahead: the persisted ones
     * now, those of tables without one when first used ({@link CounterStore#KEY_SKIP}). Keys the predecessor generated
     * beyond that are skipped as their rows arrive ({@link KeyAllocator#noteMerged}). The mark is read once.
     */
    private static void skipPredecessorsKeys(SQLiteConnection c, Optional<Integer> configured) throws SQLException {
        long[] copied = CounterStore.read(c, CounterStore.COPIED_FROM_SLOT);
        if (copied == null || configured.isEmpty()) {
            return; // no slot configured (a look inside a backup): the mark stays for the node it is restored as
        }
        exec(c, "DELETE FROM " + Reservations.TABLE + " WHERE name = '" + CounterStore.COPIED_FROM_SLOT + "'");
        int slot = configured.get();
        if (slot != copied[0]) {
            return; // another slot: the predecessor's keys are not this node's
        }
        // Not from below 2^31 to beyond it, as for merged keys: that would use up an INT key's keys.
        long skip = KeyAllocator.MERGED_SKIP_MAX;
        exec(c, "UPDATE " + Reservations.TABLE + " SET next = next + " + skip + " WHERE name LIKE '"
                + KeyAllocator.counterName("") + "%' AND NOT (next * " + IdScheme.SLOTS + " + " + (slot + 1) + " <= "
                + IdScheme.MAX_INT32_ID + " AND (next + " + skip + ") * " + IdScheme.SLOTS + " + " + (slot + 1) + " > "
                + IdScheme.MAX_INT32_ID + ")");
        exec(c, "INSERT OR REPLACE INTO " + Reservations.TABLE + " (name, next, step) VALUES ('"
                + CounterStore.KEY_SKIP + "', " + KeyAllocator.MERGED_SKIP_MAX + ", 0)");
        log.warn("This file is a copy of a node with node-slot {}, and this node has the same slot: its generated keys"
                + " move {} keys per table ahead, past those its predecessor may have generated after the copy (until"
                + " their rows arrive, a key beyond that could repeat one of them). Give a restored node a slot of"
                + " its own", copied[0], KeyAllocator.MERGED_SKIP_MAX);
    }

    private static void deleteClaim(SQLiteConnection c, int slot, byte[] siteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + KeysSchema.SLOTS_TABLE + " WHERE slot = ? AND site_id = ?")) {
            ps.setInt(1, slot);
            ps.setBytes(2, siteId);
            ps.executeUpdate();
        }
    }

    private static void exec(SQLiteConnection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    static String hex(byte[] siteId) {
        return siteId == null ? "null" : HexFormat.of().formatHex(siteId);
    }
}
