package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.replication.SimReplica;
import java.nio.file.Path;
import java.sql.Statement;
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
}
