package io.corrosion.jdbc.crr;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of {@code crsql_changes}: the winning state of one (row, column) or a row's sentinel ({@code cid = "-1"}).
 * Mirrors Corrosion's {@code Change}; {@code ts} is the fork's HLC timestamp string ({@code "0"} unless set).
 *
 * @param val one of {@code null}, {@link Long}, {@link Double}, {@link String}, {@code byte[]}
 */
public record Change(String table, byte[] pk, String cid, Object val, long colVersion, long dbVersion,
                     byte[] siteId, long cl, long seq, String ts) {

    public static final String SENTINEL = "-1";

    public Change {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(pk, "pk");
        Objects.requireNonNull(cid, "cid");
        Objects.requireNonNull(siteId, "siteId");
        val = SqlValues.normalize(val);
        ts = ts == null ? "0" : ts;
        if (siteId.length > CrrMetadata.SITE_ID_LENGTH) {
            throw new IllegalArgumentException("site id longer than 16 bytes: " + SqlValues.hex(siteId));
        }
    }

    /** A change without an HLC timestamp ({@code ts = "0"}). */
    public Change(String table, byte[] pk, String cid, Object val, long colVersion, long dbVersion,
                  byte[] siteId, long cl, long seq) {
        this(table, pk, cid, val, colVersion, dbVersion, siteId, cl, seq, "0");
    }

    /** {@code INSERT INTO crsql_changes} with every column, in the order {@link #bind} fills them. */
    public static final String INSERT_SQL = "INSERT INTO crsql_changes (\"table\", pk, cid, val, col_version, db_version,"
            + " site_id, cl, seq, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Binds this change to {@link #INSERT_SQL} (or any statement taking the ten columns in that order). */
    public void bind(java.sql.PreparedStatement p) throws java.sql.SQLException {
        p.setString(1, table);
        p.setBytes(2, pk);
        p.setString(3, cid);
        p.setObject(4, val);
        p.setLong(5, colVersion);
        p.setLong(6, dbVersion);
        p.setBytes(7, siteId);
        p.setLong(8, cl);
        p.setLong(9, seq);
        p.setString(10, ts);
    }

    public boolean isSentinel() {
        return SENTINEL.equals(cid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Change c && table.equals(c.table) && Arrays.equals(pk, c.pk) && cid.equals(c.cid)
                && SqlValues.same(val, c.val) && colVersion == c.colVersion && dbVersion == c.dbVersion
                && Arrays.equals(siteId, c.siteId) && cl == c.cl && seq == c.seq && ts.equals(c.ts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, Arrays.hashCode(pk), cid, SqlValues.hash(val), colVersion, dbVersion,
                Arrays.hashCode(siteId), cl, seq, ts);
    }

    @Override
    public String toString() {
        return "Change[" + table + " pk=" + SqlValues.hex(pk) + " cid=" + cid + " val=" + SqlValues.show(val)
                + " col_version=" + colVersion + " db_version=" + dbVersion + " site_id=" + SqlValues.hex(siteId)
                + " cl=" + cl + " seq=" + seq + " ts=" + ts + "]";
    }
}
