package io.corrosion.jdbc.replication;

import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A remote version this node just merged (on arrival, or once the schema it waited for arrived): what change listeners
 * hear of it.
 *
 * @param rows         the rows its changes name, by table, as packed primary keys
 * @param rowsImpacted rows the merge changed (0: every change lost to what this node had)
 * @param ts           the origin's commit time (NTP64), 0 if unknown
 */
record AppliedVersion(SiteId site, long version, Map<String, List<byte[]>> rows, long rowsImpacted, long ts) {

    /** A version whose {@code changes} merged. */
    static AppliedVersion of(SiteId site, long version, List<Change> changes, long impacted, long ts) {
        return new AppliedVersion(site, version, rowsOf(changes), impacted, ts);
    }

    private static Map<String, List<byte[]>> rowsOf(List<Change> changes) {
        Map<String, Map<java.nio.ByteBuffer, byte[]>> rows = new LinkedHashMap<>();
        for (Change c : changes) {
            rows.computeIfAbsent(c.table(), t -> new LinkedHashMap<>()).putIfAbsent(java.nio.ByteBuffer.wrap(c.pk()),
                    c.pk());
        }
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        rows.forEach((table, keys) -> out.put(table, List.copyOf(keys.values())));
        return out;
    }
}
