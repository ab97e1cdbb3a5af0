package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.replication.ChangesPayload;
import io.corrosion.jdbc.replication.SimReplica;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLITE_FULL on the agent's writer: the apply fails whole (nothing booked), reads go on, and the same changeset applies once there is space. */
class DiskFullApplyTest {
    @TempDir
    Path dir;

    @Test
    void anApplyThatHitsAFullDiskBooksNothingAndSucceedsOnceThereIsSpace() throws Exception {
        byte[] self = new byte[16];
        self[0] = 1;
        SiteId peer = SiteId.of(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9});
        try (SimReplica node = new SimReplica(dir.resolve("n.db"), self, Workload.CREATE_TABLES,
                Workload.tableNames())) {
            Change big = new Change("kv", PackedColumns.pack(1L), "a", "x".repeat(50_000), 1, 1, peer.toBytes(), 1, 0);
            Changeset cs = Changeset.Full.complete(peer, 1, 0, 0, ChangesPayload.encode(List.of(big)));
            node.writerDiskFull(true);
            assertThatThrownBy(() -> node.store().apply(List.of(cs))).hasMessageContaining("full");
            assertThat(node.hasAllUpTo(peer, 1)).as("nothing booked").isFalse();
            assertThat(count(node)).as("reads go on").isZero();
            node.writerDiskFull(false);
            assertThat(node.store().apply(List.of(cs))).containsExactly(ApplyOutcome.NEW);
            assertThat(node.hasAllUpTo(peer, 1)).isTrue();
            assertThat(count(node)).isEqualTo(1);
        }
    }

    private static long count(SimReplica node) throws Exception {
        try (Statement s = node.app().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
