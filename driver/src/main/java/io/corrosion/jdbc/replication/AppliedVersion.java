package io.corrosion.jdbc.replication;

import io.corrosion.gossip.SiteId;
import java.util.List;
import java.util.Map;

/**
 * A remote version this node just committed (merged, or kept for a missing schema): what change listeners hear of
 * it.
 *
 * @param rows         the rows its changes name, by table, as packed primary keys
 * @param rowsImpacted rows the merge changed (0: every change lost to what this node had)
 * @param ts           the origin's commit time (NTP64), 0 if unknown
 */
record AppliedVersion(SiteId site, long version, Map<String, List<byte[]>> rows, long rowsImpacted, long ts) {
}
