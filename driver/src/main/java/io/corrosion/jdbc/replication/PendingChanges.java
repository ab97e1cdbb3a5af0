package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.MissingSchemaException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes for tables or columns this node does not have yet ({@link ReplicationSchema#PENDING}): every node runs its
 * own migrations, so changes may arrive before their schema. They are kept in the transaction that received them,
 * served to peers as part of their version, and merged once the table or column exists here. On the writer
 * connection; not thread-safe.
 */
final class PendingChanges {

    /** Changes split by whether this node's schema can take them now. */
    record Split(List<Change> applicable, List<Change> missing) {
    }

    private final Connection conn;
    private long count;

    PendingChanges(Connection conn) throws SQLException {
        this.conn = conn;
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + ReplicationSchema.PENDING)) {
            count = rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Changes waiting for their schema. */
    long count() {
        return count;
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
                count += p.executeUpdate();
            }
        }
    }

    /**
     * Takes the kept changes of tables that exist now out of the table, in the caller's transaction, and returns
     * them to be merged (those still lacking a column are {@linkplain #keep kept} again by the caller).
     */
    List<Change> takeFor(Set<String> tables) throws SQLException {
        List<Change> taken = new ArrayList<>();
        for (String table : tables) {
            try (PreparedStatement p = conn.prepareStatement("SELECT site, db_version, seq, pk, cid, val, col_version,"
                    + " cl, ts FROM " + ReplicationSchema.PENDING + " WHERE tbl = ? ORDER BY site, db_version, seq")) {
                p.setString(1, table);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        taken.add(new Change(table, rs.getBytes(4), rs.getString(5), rs.getObject(6), rs.getLong(7),
                                rs.getLong(2), rs.getBytes(1), rs.getLong(8), rs.getLong(3), rs.getString(9)));
                    }
                }
            }
            try (PreparedStatement p = conn.prepareStatement("DELETE FROM " + ReplicationSchema.PENDING
                    + " WHERE tbl = ?")) {
                p.setString(1, table);
                count -= p.executeUpdate();
            }
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

    /** After a rollback the count is read again. */
    void rolledBack() throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + ReplicationSchema.PENDING)) {
            count = rs.next() ? rs.getLong(1) : 0;
        }
    }
}
