package io.corrosion.jdbc.chaos;

import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.replication.SimReplica;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the simulations do with their {@link SimReplica}s: commit and record, wait for convergence, read states. */
final class Replicas {
    private Replicas() {}

    /** Runs one transaction on the node's application connection and records what it acknowledged. */
    static void commit(SimReplica replica, String node, List<String> statements, History history)
            throws SQLException {
        long before = replica.dbVersion();
        try (Statement s = replica.app().createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        long after = replica.dbVersion();
        if (after > before) {
            history.acknowledged(node, replica.localChanges(after));
        }
    }

    /** Whether every replica has every version every other one committed, with no gap. All must be open. */
    static boolean converged(List<SimReplica> replicas) {
        try {
            Map<SiteId, Long> heads = new TreeMap<>();
            for (SimReplica r : replicas) {
                heads.put(r.siteId(), r.dbVersion());
            }
            for (SimReplica r : replicas) {
                for (Map.Entry<SiteId, Long> head : heads.entrySet()) {
                    if (!head.getKey().equals(r.siteId()) && head.getValue() > 0
                            && !r.hasAllUpTo(head.getKey(), head.getValue())) {
                        return false;
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each replica's state, named {@code prefix + index}. */
    static List<ReplicaState> states(List<SimReplica> replicas, String prefix) throws SQLException {
        List<ReplicaState> states = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            states.add(ReplicaState.read(prefix + i, replicas.get(i).app(), Workload.TABLES));
        }
        return states;
    }
}
