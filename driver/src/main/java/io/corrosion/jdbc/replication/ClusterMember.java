package io.corrosion.jdbc.replication;

import io.corrosion.gossip.MemberStatus;
import java.time.Instant;

/**
 * Another node of the cluster as this node sees it: its site id (32 hex digits), where it listens, its SWIM state
 * (alive, suspect, dead, left) and since when this node believes so.
 */
public record ClusterMember(String siteId, String address, MemberStatus state, Instant since) {
}
