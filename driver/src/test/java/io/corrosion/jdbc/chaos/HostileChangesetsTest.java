package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.sim.NetworkConditions;
import io.corrosion.gossip.sim.SimNode;
import io.corrosion.gossip.sim.Simulation;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.replication.ChangesPayload;
import io.corrosion.jdbc.replication.SimReplica;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bad changesets through the real apply path: each refused (or harmlessly kept), and the node keeps working. */
class HostileChangesetsTest {
    private static final Logger LOG = LoggerFactory.getLogger(HostileChangesetsTest.class);

    @TempDir
    Path dir;

    private static byte[] site(int n) {
        byte[] s = new byte[16];
        s[0] = (byte) n;
        s[15] = 1;
        return s;
    }

    @Test
    void everyBadChangesetGetsItsVerdictAndTheNodeKeepsWorking() throws Exception {
        SiteId mallory = SiteId.of(site(0x66));
        try (SimReplica node = new SimReplica(dir.resolve("probe.db"), site(1), Workload.CREATE_TABLES,
                Workload.tableNames())) {
            StringBuilder table = new StringBuilder("bad changesets through the apply path:\n");
            int k = 100;
            for (BadChangesets.Bad bad : BadChangesets.all(mallory, node.siteId(), 1)) {
                ApplyOutcome outcome;
                try {
                    outcome = node.store().apply(List.of(bad.changeset())).get(0);
                } catch (RuntimeException e) {
                    table.append(String.format("  %-55s -> store failure %s%n", bad.name(), e));
                    throw new AssertionError(bad.name() + " escaped as " + e, e);
                }
                table.append(String.format("  %-55s -> %s%n", bad.name(), outcome));
                if (bad.mustReject()) {
                    assertThat(outcome).as(bad.name()).isEqualTo(ApplyOutcome.REJECTED);
                }
                // The node keeps working: local writes to every row the bad input aimed at, and a good remote write.
                try (Statement s = node.app().createStatement()) {
                    for (int row = 1; row <= 5; row++) {
                        s.execute("INSERT INTO kv (k, a, b) VALUES (" + row + ", 'local', 1)"
                                + " ON CONFLICT (k) DO UPDATE SET a = excluded.a || '+', b = b + 1");
                        s.execute("UPDATE kv SET a = 'again' WHERE k = " + row);
                    }
                    s.execute("INSERT INTO kv (k, a) VALUES (" + (k++) + ", 'fresh')");
                }
            }
            LOG.info("{}", table);
            assertThat(node.rejectedChangesets()).isPositive();
            // No clock was pushed to where the next local increment overflows into a REAL (a write others ignore).
            try (Statement s = node.app().createStatement(); var rs = s.executeQuery("SELECT count(*) FROM crsql_changes"
                    + " WHERE typeof(col_version) <> 'integer' OR typeof(cl) <> 'integer' OR col_version > (1 << 62)")) {
                assertThat(rs.next() && rs.getLong(1) == 0).as("clocks stay small integers").isTrue();
            }
        }
    }

    @Test
    void badChangesetsStopAtTheirFirstReceiversWhileGoodOnesSpreadAndTheClusterKeepsConverging() throws Exception {
        // Fanout 2 among 7 nodes: receivers must forward for a changeset to reach everyone.
        GossipConfig config = GossipConfig.builder().fanout(2).syncInterval(Duration.ofSeconds(1)).build();
        Simulation sim = new Simulation(5, config, NetworkConditions.lan());
        List<SimReplica> replicas = new ArrayList<>();
        List<SimNode> honest = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                SimReplica r = new SimReplica(dir.resolve("h" + i + ".db"), site(i + 1), Workload.CREATE_TABLES,
                        Workload.tableNames());
                replicas.add(r);
                honest.add(sim.addNode(r.siteId(), r.store(), i < 2));
            }
            SimNode mallory = sim.addNode(SiteId.of(site(0x66)), null, false);
            sim.startAll(honest, 0);
            sim.start(mallory);
            sim.runFor(3_000);
            long forwardedBefore = transmissions(honest);

            long version = 1_000; // above the bad ones' versions (but the absurd one)
            int rejectable = 0;
            for (BadChangesets.Bad bad : BadChangesets.all(mallory.siteId(), replicas.get(0).siteId(), 1)) {
                if (bad.mustReject() && bad.changeset().siteId().equals(mallory.siteId())) {
                    sim.broadcast(mallory, bad.changeset());
                    rejectable++;
                }
            }
            sim.runFor(3_000);
            long rejected = replicas.stream().mapToLong(SimReplica::rejectedChangesets).sum();
            assertThat(rejected).as("some honest nodes got the bad changesets").isPositive();
            assertThat(rejected).as("each refused once per node at most").isLessThanOrEqualTo(6L * rejectable);
            assertThat(transmissions(honest)).as("no honest node forwarded any of them").isEqualTo(forwardedBefore);

            // A good changeset from the same peer spreads by forwarding, so the stop above is the store's verdict.
            Change good = new Change("kv", PackedColumns.pack(7L), "a", "from mallory", 1, version,
                    mallory.siteId().toBytes(), 1, 0);
            sim.broadcast(mallory, Changeset.Full.complete(mallory.siteId(), version, 0, 0,
                    ChangesPayload.encode(List.of(good))));
            sim.runFor(3_000);
            assertThat(transmissions(honest)).as("the good one was forwarded").isGreaterThan(forwardedBefore);

            History history = new History(5);
            history.inFlight("mallory", List.of(good));
            for (int i = 0; i < 6; i += 2) {
                SimReplica r = replicas.get(i);
                Replicas.commit(r, "h" + i, List.of("INSERT INTO kv (k, a, b) VALUES (" + (i + 1) + ", 'h" + i + "', "
                        + i + ")"), history);
                for (Changeset cs : r.publish()) {
                    sim.broadcast(honest.get(i), cs);
                }
            }
            assertThat(sim.runUntil(() -> Replicas.converged(replicas), 30_000, 50)).isTrue();
            List<ReplicaState> states = Replicas.states(replicas, "h");
            HistoryChecker.Result result = HistoryChecker.check(history, states);
            assertThat(result.violations()).as(result.report()).isEmpty();
            assertThat(states).allSatisfy(st -> assertThat(st.tables().get("kv")).containsKey(
                    ReplicaState.pkKey(PackedColumns.pack(7L))));
        } finally {
            replicas.forEach(SimReplica::close);
        }
    }

    private static long transmissions(List<SimNode> nodes) {
        return nodes.stream().mapToLong(n -> n.core().stats().broadcast().transmissions()).sum();
    }
}
