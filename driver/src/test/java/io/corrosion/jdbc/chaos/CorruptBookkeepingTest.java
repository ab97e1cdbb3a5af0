package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.replication.ChangesPayload;
import io.corrosion.jdbc.replication.SimReplica;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrupt row in the agent's durable record of applied versions: the node starts anyway, treats that site's
 * versions as missing (never as present), takes them again (they merge idempotently) and rewrites the rows.
 */
class CorruptBookkeepingTest {
    private static final SiteId PEER = SiteId.of(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5});
    private static final String PEER_HEX = "02000000000000000000000000000005";

    @TempDir
    Path dir;

    /** Versions 1..4 of the peer, each one value of its own row, with a gap at 3 (not received yet). */
    private static Changeset version(long v) {
        Change c = new Change("kv", PackedColumns.pack(v), "a", "peer-" + v, 1, v, PEER.toBytes(), 1, 0);
        return Changeset.Full.complete(PEER, v, 0, 0, ChangesPayload.encode(List.of(c)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "UPDATE __corrosion_heads SET head = 'garbage' WHERE site = X'" + PEER_HEX + "'",
        "UPDATE __corrosion_heads SET head = -7 WHERE site = X'" + PEER_HEX + "'",
        "UPDATE __corrosion_gaps SET first = 9, last = 2 WHERE site = X'" + PEER_HEX + "'",
        "UPDATE __corrosion_gaps SET last = 'x' WHERE site = X'" + PEER_HEX + "'",
        "INSERT INTO __corrosion_gaps (site, first, last) VALUES (X'" + PEER_HEX + "', 50, 60)",
        "INSERT INTO __corrosion_heads (site, head) VALUES (X'0102', 3)",
    })
    void aCorruptBookkeepingRowMakesItsVersionsSyncAgainNeverSkipped(String corruption) throws Exception {
        byte[] self = new byte[16];
        self[0] = 1;
        try (SimReplica node = new SimReplica(dir.resolve("n.db"), self, Workload.CREATE_TABLES,
                Workload.tableNames())) {
            for (long v : new long[] {1, 2, 4}) {
                assertThat(node.store().apply(List.of(version(v)))).containsExactly(ApplyOutcome.NEW);
            }
            assertThat(node.hasAllUpTo(PEER, 2)).isTrue();
            assertThat(node.hasAllUpTo(PEER, 3)).isFalse();
            node.crash();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("n.db"));
                    Statement s = c.createStatement()) {
                assertThat(s.executeUpdate(corruption)).as("the corruption hit a row").isEqualTo(1);
            }

            node.reopen(); // does not throw
            boolean siteReset = !node.hasAllUpTo(PEER, 1);
            if (!corruption.contains("X'0102'")) {
                assertThat(siteReset).as("the peer's versions count as missing").isTrue();
            }
            assertThat(node.hasAllUpTo(PEER, 3)).as("the missing version is still missing").isFalse();
            // What sync brings again merges idempotently; what was missing merges for the first time.
            List<ApplyOutcome> outcomes = new ArrayList<>();
            for (long v = 1; v <= 4; v++) {
                outcomes.addAll(node.store().apply(List.of(version(v))));
            }
            assertThat(outcomes).doesNotContain(ApplyOutcome.REJECTED);
            assertThat(outcomes.get(2)).as("version 3 was never skipped").isEqualTo(ApplyOutcome.NEW);
            assertThat(node.hasAllUpTo(PEER, 4)).isTrue();
            assertThat(values(node)).containsExactly("peer-1", "peer-2", "peer-3", "peer-4");

            // The rows were rewritten: a restart loads them as they are.
            node.crash();
            node.reopen();
            assertThat(node.hasAllUpTo(PEER, 4)).isTrue();
            assertThat(node.store().apply(List.of(version(2)))).containsExactly(ApplyOutcome.DUPLICATE);
        }
    }

    private static List<String> values(SimReplica node) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = node.app().createStatement(); ResultSet rs = s.executeQuery("SELECT a FROM kv ORDER BY k")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
