package io.corrosion.jdbc.replication;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One committed transaction: its origin (site id as 32 hex digits, and db version there), whether it was written on
 * this node, and the rows it wrote, by table, as primary keys in cr-sqlite's packed-column encoding
 * ({@code crsql_pack_columns}; {@code io.corrosion.jdbc.crr.PackedColumns.unpack} reads them). For a remote
 * transaction the rows are those its changes name; {@code rowsImpacted} says how many rows merging it changed here
 * (0: every change lost to newer ones this node had; -1 for local transactions).
 */
public record ChangeEvent(String siteId, long dbVersion, boolean local, Map<String, List<byte[]>> rows,
        long rowsImpacted) {

    public ChangeEvent {
        rows = Map.copyOf(rows);
    }

    public Set<String> tables() {
        return rows.keySet();
    }
}
