package io.corrosion.jdbc;

import io.corrosion.jdbc.crr.SqlValues;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of {@code crsql_changes}: the winning state of one column of one row, or the row's sentinel
 * ({@code cid = "-1"}, which carries whether the row exists). This is what replication moves between nodes and what
 * {@link CorrosionConnection#applyChanges} merges; it mirrors Corrosion's {@code Change} plus the fork's {@code ts}.
 *
 * <p>A change is identified everywhere by its origin: {@code (siteId, dbVersion, seq)}. Merging keeps these values, so
 * a change read from any node that has it is the same change.
 *
 * @param table      the replicated table's name
 * @param pk         the row's primary key in cr-sqlite's packed encoding ({@code crsql_pack_columns};
 *                   {@link io.corrosion.jdbc.crr.PackedColumns#pack})
 * @param cid        the column's name, or {@link #SENTINEL} for the row itself
 * @param val        the column's value: {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}
 *                   (other numbers and booleans are normalised to these); {@code null} for a sentinel
 * @param colVersion how often the column was written in this life of the row; for a sentinel, the causal length
 * @param dbVersion  the origin's db version of the transaction that wrote it
 * @param siteId     the origin's 16-byte site id
 * @param cl         the row's causal length: odd while the row exists, even once deleted
 * @param seq        the order of this change within its transaction at the origin
 * @param ts         the origin's HLC timestamp text, {@code "0"} when none was set
 */
public record Change(String table, byte[] pk, String cid, Object val, long colVersion, long dbVersion,
                     byte[] siteId, long cl, long seq, String ts) {

    /** The {@code cid} of a row's sentinel: cr-sqlite's insert and delete marker. */
    public static final String SENTINEL = "-1";

    /** Length of a site id. */
    public static final int SITE_ID_BYTES = 16;

    /** {@code INSERT INTO crsql_changes} with every column, in the order {@link #bind} fills them. */
    public static final String INSERT_SQL = "INSERT INTO crsql_changes (\"table\", pk, cid, val, col_version, db_version,"
            + " site_id, cl, seq, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Validates and copies: the arrays are this change's own, so neither the caller nor a reader of {@link #pk()},
     * {@link #siteId()} or a {@code byte[]} {@link #val()} can change it afterwards.
     *
     * @throws NullPointerException     if table, pk, cid or siteId is null
     * @throws IllegalArgumentException if the site id is longer than 16 bytes or val is not an SQLite value
     */
    public Change {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(cid, "cid");
        pk = Objects.requireNonNull(pk, "pk").clone();
        siteId = Objects.requireNonNull(siteId, "siteId").clone();
        if (siteId.length > SITE_ID_BYTES) {
            throw new IllegalArgumentException("site id longer than 16 bytes: " + SqlValues.hex(siteId));
        }
        val = SqlValues.normalize(val);
        if (val instanceof byte[] bytes) {
            val = bytes.clone();
        }
        ts = ts == null ? "0" : ts;
    }

    /** A change without an HLC timestamp ({@code ts = "0"}). */
    public Change(String table, byte[] pk, String cid, Object val, long colVersion, long dbVersion,
                  byte[] siteId, long cl, long seq) {
        this(table, pk, cid, val, colVersion, dbVersion, siteId, cl, seq, "0");
    }

    /** A copy of the packed primary key. */
    @Override
    public byte[] pk() {
        return pk.clone();
    }

    /** A copy of the origin's site id. */
    @Override
    public byte[] siteId() {
        return siteId.clone();
    }

    /** The value; a copy for {@code byte[]}. */
    @Override
    public Object val() {
        return val instanceof byte[] bytes ? bytes.clone() : val;
    }

    /** True for a row's sentinel ({@code cid = "-1"}). */
    public boolean isSentinel() {
        return SENTINEL.equals(cid);
    }

    /** True for a sentinel of a deleted row (even causal length). */
    public boolean isDelete() {
        return cl % 2 == 0;
    }

    /** Binds this change to {@link #INSERT_SQL} (or any statement taking the ten columns in that order). */
    public void bind(PreparedStatement p) throws SQLException {
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

    /** Field equality, arrays by content, values as SQLite compares them (type and value). */
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
