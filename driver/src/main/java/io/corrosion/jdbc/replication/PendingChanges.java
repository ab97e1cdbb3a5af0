package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.MissingSchemaException;
import io.corrosion.jdbc.node.DroppedSchema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes for tables or columns this node does not have yet ({@link ReplicationSchema#PENDING}): every node runs its
 * own migrations, so changes may arrive before their schema. They are kept in the transaction that received them,
 * served to peers as part of their version, and merged once the table or column exists here. On the writer
 * connection; not thread-safe.
 *
 * <p>A peer can send changes for any table name, so the table is bounded ({@link Limits}): overall and per origin
 * site, in changes and in bytes. A version that would go past a bound is refused ({@link Full}) rather than kept;
 * it is not booked, so sync offers it again, and once its schema exists it merges like any other.
 */
final class PendingChanges {

    /**
     * Bounds of the changes kept, overall and per origin site.
     *
     * @param maxChanges        changes kept, all sites together
     * @param maxBytes          their estimated size (pk, value, table and column names)
     * @param maxChangesPerSite changes kept of one origin site
     * @param maxBytesPerSite   their estimated size
     */
    record Limits(long maxChanges, long maxBytes, long maxChangesPerSite, long maxBytesPerSite) {
        /** A migration's worth of early changes; a flood of made-up tables stops well short of filling a disk. */
        static final Limits DEFAULT = new Limits(1_000_000, 256L << 20, 250_000, 64L << 20);

        Limits {
            if (maxChanges <= 0 || maxBytes <= 0 || maxChangesPerSite <= 0 || maxBytesPerSite <= 0) {
                throw new IllegalArgumentException("pending-changes limits must be positive");
            }
        }
    }

    /** Keeping these changes would go past a {@link Limits bound}: the changeset is refused, not kept. */
    static final class Full extends SQLException {
        private static final long serialVersionUID = 1L;
        /** SQLSTATE class 53 (insufficient resources), "configuration limit exceeded". */
        static final String SQLSTATE = "53400";

        Full(String message) {
            super(message, SQLSTATE);
        }
    }

    /** Changes split by whether this node's schema can take them now. */
    record Split(List<Change> applicable, List<Change> missing) {
    }

    private final Connection conn;
    private final Limits limits;
    /** Changes and bytes kept, per origin site; with the totals, reloaded from the table after a rollback. */
    private final Map<ByteBuffer, long[]> perSite = new HashMap<>();
    private long count;
    private long bytes;
    /** Changes kept in all, those outside the bound (of dropped names) too. */
    private long kept;

    PendingChanges(Connection conn) throws SQLException {
        this(conn, Limits.DEFAULT);
    }

    PendingChanges(Connection conn, Limits limits) throws SQLException {
        this.conn = conn;
        this.limits = limits;
        load();
    }

    private void load() throws SQLException {
        perSite.clear();
        count = 0;
        bytes = 0;
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + ReplicationSchema.PENDING)) {
            kept = rs.next() ? rs.getLong(1) : 0;
        }
        String notDropped = notDropped(" WHERE ");
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT site, count(*), sum(length(pk) + length(CAST(tbl AS BLOB))"
                        + " + length(CAST(cid AS BLOB)) + coalesce(length(CAST(val AS BLOB)), 0)) FROM "
                        + ReplicationSchema.PENDING + notDropped + " GROUP BY site")) {
            while (rs.next()) {
                long[] site = {rs.getLong(2), rs.getLong(3)};
                perSite.put(ByteBuffer.wrap(rs.getBytes(1)), site);
                count += site[0];
                bytes += site[1];
            }
        }
    }

    /** {@code prefix} and the condition that a kept change names no table or column this node dropped; "" if none. */
    private String notDropped(String prefix) throws SQLException {
        return !DroppedSchema.exists(conn) ? "" : prefix + "NOT EXISTS (SELECT 1 FROM " + DroppedSchema.TABLE
                + " AS d WHERE d.tbl = lower(" + ReplicationSchema.PENDING + ".tbl) AND d.col IN ('', lower("
                + ReplicationSchema.PENDING + ".cid)))";
    }

    /** Estimated size of a kept change, as {@link #load} sums it in SQL. */
    static long sizeOf(Change c) {
        Object v = c.val();
        long val = v == null ? 0 : v instanceof byte[] b ? b.length
                : v.toString().getBytes(StandardCharsets.UTF_8).length;
        return c.pk().length + c.table().getBytes(StandardCharsets.UTF_8).length
                + c.cid().getBytes(StandardCharsets.UTF_8).length + val;
    }

    /** Estimated bytes kept. */
    long bytes() {
        return bytes;
    }

    /**
     * Checks that keeping {@code changes} (new arrivals, not changes taken out and kept again) stays within the
     * limits; nothing is kept here.
     *
     * @throws Full naming the bound that would be passed and the origin site
     */
    void admit(List<Change> changes) throws Full {
        Map<ByteBuffer, long[]> adding = new HashMap<>();
        long addCount = 0;
        long addBytes = 0;
        for (Change c : changes) {
            long size = sizeOf(c);
            long[] a = adding.computeIfAbsent(ByteBuffer.wrap(c.siteId()), k -> new long[2]);
            a[0]++;
            a[1] += size;
            addCount++;
            addBytes += size;
        }
        if (count + addCount > limits.maxChanges() || bytes + addBytes > limits.maxBytes()) {
            throw new Full("the changes kept for a missing schema would pass their bound (" + limits.maxChanges()
                    + " changes, " + limits.maxBytes() + " bytes; " + count + " changes, " + bytes + " bytes kept)");
        }
        for (Map.Entry<ByteBuffer, long[]> e : adding.entrySet()) {
            long[] have = perSite.getOrDefault(e.getKey(), new long[2]);
            if (have[0] + e.getValue()[0] > limits.maxChangesPerSite()
                    || have[1] + e.getValue()[1] > limits.maxBytesPerSite()) {
                throw new Full("the changes of one site kept for a missing schema would pass their bound ("
                        + limits.maxChangesPerSite() + " changes, " + limits.maxBytesPerSite() + " bytes; " + have[0]
                        + " changes, " + have[1] + " bytes kept)");
            }
        }
    }

    private void counted(Change c, int sign) {
        long size = sizeOf(c) * sign;
        long[] site = perSite.computeIfAbsent(ByteBuffer.wrap(c.siteId()), k -> new long[2]);
        site[0] += sign;
        site[1] += size;
        if (site[0] <= 0) {
            perSite.remove(ByteBuffer.wrap(c.siteId()));
        }
        count += sign;
        bytes += size;
    }

    /** Changes waiting for their schema, held against the bound. */
    long count() {
        return count;
    }

    /** Changes kept in all: also those of a table or column this node dropped, outside the bound. */
    long kept() {
        return kept;
    }

    /** Splits changes by what the CRR engine said is missing ({@code table} or {@code table.column}). */
    static Split split(List<Change> changes, MissingSchemaException missing) {
        Set<String> names = new HashSet<>(missing.missing());
        List<Change> applicable = new ArrayList<>();
        List<Change> kept = new ArrayList<>();
        for (Change c : changes) {
            boolean lacking = names.contains(c.table()) || names.contains(c.table() + "." + c.cid());
            (lacking ? kept : applicable).add(c);
        }
        return new Split(applicable, kept);
    }

    /** Keeps changes until their schema arrives, in the caller's transaction. */
    void keep(List<Change> changes) throws SQLException {
        keep(changes, true);
    }

    /**
     * Keeps changes, in the caller's transaction; {@code counted} false for changes of a table or column this node
     * dropped ({@link DroppedSchema}): kept and served like the others, but not held against the bound, which they
     * would fill for good while other nodes go on writing the name.
     */
    void keep(List<Change> changes, boolean counted) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("INSERT OR IGNORE INTO " + ReplicationSchema.PENDING
                + " (site, db_version, seq, tbl, pk, cid, val, col_version, cl, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Change c : changes) {
                p.setBytes(1, c.siteId());
                p.setLong(2, c.dbVersion());
                p.setLong(3, c.seq());
                p.setString(4, c.table());
                p.setBytes(5, c.pk());
                p.setString(6, c.cid());
                p.setObject(7, c.val());
                p.setLong(8, c.colVersion());
                p.setLong(9, c.cl());
                p.setString(10, c.ts());
                if (p.executeUpdate() > 0) {
                    kept++;
                    if (counted) {
                        counted(c, 1);
                    }
                }
            }
        }
    }

    /**
     * Takes the kept changes of tables that exist now out of the table, in the caller's transaction, and returns
     * them to be merged (those still lacking a column are {@linkplain #keep kept} again by the caller). Changes of a
     * table or column this node dropped stay: they cannot merge before the name is back, itself a schema change.
     */
    List<Change> takeFor(Set<String> tables) throws SQLException {
        List<Change> taken = new ArrayList<>();
        for (String table : tables) {
            String notDropped = notDropped(" AND ");
            try (PreparedStatement p = conn.prepareStatement("SELECT site, db_version, seq, pk, cid, val, col_version,"
                    + " cl, ts FROM " + ReplicationSchema.PENDING + " WHERE tbl = ?" + notDropped
                    + " ORDER BY site, db_version, seq")) {
                p.setString(1, table);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Change c = new Change(table, rs.getBytes(4), rs.getString(5), rs.getObject(6), rs.getLong(7),
                                rs.getLong(2), rs.getBytes(1), rs.getLong(8), rs.getLong(3), rs.getString(9));
                        taken.add(c);
                    }
                }
            }
            try (PreparedStatement p = conn.prepareStatement("DELETE FROM " + ReplicationSchema.PENDING
                    + " WHERE tbl = ?" + notDropped)) {
                p.setString(1, table);
                p.executeUpdate();
            }
        }
        if (!taken.isEmpty()) {
            load(); // some of them were not counted (a dropped name): counted again from what stays
        }
        return taken;
    }

    /** Tables some kept change names. */
    Set<String> tables() throws SQLException {
        Set<String> tables = new HashSet<>();
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT tbl FROM " + ReplicationSchema.PENDING)) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** After a rollback, or a schema change (a name dropped since no longer counts), the counts are read again. */
    void rolledBack() throws SQLException {
        load();
    }
}
