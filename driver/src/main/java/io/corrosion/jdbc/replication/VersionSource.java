package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.Change;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Reads what this node has of a site's versions: the changes still current in the CRRs ({@code crsql_changes}),
 * the changes kept for a schema this node does not have yet, and the recorded last seqs. On one of the agent's
 * connections; not thread-safe.
 */
final class VersionSource implements AutoCloseable {

    /** A version's content now: its changes by seq (possibly none left) and its last seq. */
    record Version(long version, List<Change> changes, long lastSeq) {
    }

    private final CrrAccess crr;
    private final PreparedStatement pending;
    private final PreparedStatement lastSeqs;

    VersionSource(CrrAccess crr) throws SQLException {
        this.crr = crr;
        this.pending = crr.connection().prepareStatement("SELECT db_version, seq, tbl, pk, cid, val, col_version, cl, ts"
                + " FROM " + ReplicationSchema.PENDING + " WHERE site = ? AND db_version BETWEEN ? AND ?"
                + " ORDER BY db_version, seq");
        this.lastSeqs = crr.connection().prepareStatement("SELECT version, last_seq FROM "
                + ReplicationSchema.LAST_SEQS + " WHERE site = ? AND version BETWEEN ? AND ?");
    }

    /** The versions in [from, to] that have changes left; versions without any are absent. */
    NavigableMap<Long, Version> read(byte[] site, long from, long to) throws SQLException {
        Map<Long, List<Change>> byVersion = new TreeMap<>();
        List<Change> current = null;
        long currentVersion = -1;
        for (Change c : crr.changes(site, from, to)) { // ordered by db version
            if (c.dbVersion() != currentVersion) {
                currentVersion = c.dbVersion();
                current = new ArrayList<>();
                byVersion.put(currentVersion, current);
            }
            current.add(c);
        }
        boolean pendingRows = false;
        pending.setBytes(1, site);
        pending.setLong(2, from);
        pending.setLong(3, to);
        try (ResultSet rs = pending.executeQuery()) {
            while (rs.next()) {
                pendingRows = true;
                long version = rs.getLong(1);
                byVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(new Change(rs.getString(3),
                        rs.getBytes(4), rs.getString(5), rs.getObject(6), rs.getLong(7), version, site, rs.getLong(8),
                        rs.getLong(2), rs.getString(9)));
            }
        }
        Map<Long, Long> recorded = new HashMap<>();
        lastSeqs.setBytes(1, site);
        lastSeqs.setLong(2, from);
        lastSeqs.setLong(3, to);
        try (ResultSet rs = lastSeqs.executeQuery()) {
            while (rs.next()) {
                recorded.put(rs.getLong(1), rs.getLong(2));
            }
        }
        NavigableMap<Long, Version> out = new TreeMap<>();
        for (Map.Entry<Long, List<Change>> e : byVersion.entrySet()) {
            List<Change> changes = e.getValue();
            if (pendingRows) {
                changes.sort(Comparator.comparingLong(Change::seq));
            }
            long maxSeq = changes.get(changes.size() - 1).seq();
            long lastSeq = Math.max(maxSeq, recorded.getOrDefault(e.getKey(), maxSeq));
            out.put(e.getKey(), new Version(e.getKey(), changes, lastSeq));
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        pending.close();
        lastSeqs.close();
    }
}
