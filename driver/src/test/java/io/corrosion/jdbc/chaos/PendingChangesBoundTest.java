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
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile peer sending changes for tables nobody has: they are kept for a schema that never comes, so the kept
 * changes are bounded per origin site and overall. Past a bound a changeset is refused (not booked, so not forwarded
 * and offered again by sync), counted, and the node keeps working; once the schema exists, a refused version sent
 * again merges like any other.
 */
class PendingChangesBoundTest {
    private static final int CHANGES_PER_VERSION = 4;

    @TempDir
    Path dir;

    private static SiteId site(int n) {
        byte[] s = new byte[16];
        s[0] = (byte) n;
        s[15] = 7;
        return SiteId.of(s);
    }

    /** One version of {@code site}: CHANGES_PER_VERSION columns of one row of {@code table}. */
    private static Changeset version(SiteId site, long version, String table) {
        List<Change> changes = new ArrayList<>();
        for (int seq = 0; seq < CHANGES_PER_VERSION; seq++) {
            changes.add(new Change(table, PackedColumns.pack(version), "c" + seq, "v" + version + "." + seq, 1,
                    version, site.toBytes(), 1, seq));
        }
        return Changeset.Full.complete(site, version, CHANGES_PER_VERSION - 1, 0, ChangesPayload.encode(changes));
    }

    private static ApplyOutcome apply(SimReplica node, Changeset cs) {
        return node.store().apply(List.of(cs)).get(0);
    }

    @Test
    void changesForMissingTablesAreBoundedPerSiteAndOverallAndRefusedVersionsMergeOnceTheSchemaExists()
            throws Exception {
        SiteId mallory = site(0x66);
        try (SimReplica node = new SimReplica(dir.resolve("n.db"), site(1).toBytes(), Workload.CREATE_TABLES,
                Workload.tableNames())) {
            // 10 changes per site (2 versions of 4), 20 overall (5 versions); bytes generous.
            node.boundPendingChanges(20, 1 << 20, 10, 1 << 20);

            assertThat(apply(node, version(mallory, 1, "ghost"))).isEqualTo(ApplyOutcome.NEW);
            assertThat(apply(node, version(mallory, 2, "ghost"))).isEqualTo(ApplyOutcome.NEW);
            assertThat(node.pendingChanges()).isEqualTo(8);
            // The third would make 12 of one site: refused, and more of the same site too.
            assertThat(apply(node, version(mallory, 3, "ghost"))).isEqualTo(ApplyOutcome.REJECTED);
            assertThat(apply(node, version(mallory, 4, "phantom"))).isEqualTo(ApplyOutcome.REJECTED);
            assertThat(node.pendingChanges()).isEqualTo(8);
            assertThat(node.hasAllUpTo(mallory, 3)).as("a refused version is not booked").isFalse();

            // Other sites still get their early changes kept, until the overall bound: 8 + 4 + 4 + 4 = 20.
            for (int n = 2; n <= 4; n++) {
                assertThat(apply(node, version(site(n), 1, "ghost"))).as("site " + n).isEqualTo(ApplyOutcome.NEW);
            }
            assertThat(node.pendingChanges()).isEqualTo(20);
            assertThat(apply(node, version(site(5), 1, "ghost"))).as("overall bound").isEqualTo(ApplyOutcome.REJECTED);
            assertThat(node.pendingChanges()).isEqualTo(20);

            // In one batch, the refused changeset does not hold up the good ones beside it.
            Change good = new Change("kv", PackedColumns.pack(42L), "a", "from mallory", 1, 5, mallory.toBytes(), 1,
                    0);
            List<ApplyOutcome> outcomes = node.store().apply(List.of(version(mallory, 6, "ghost"),
                    Changeset.Full.complete(mallory, 5, 0, 0, ChangesPayload.encode(List.of(good)))));
            assertThat(outcomes).containsExactly(ApplyOutcome.REJECTED, ApplyOutcome.NEW);
            assertThat(value(node, "SELECT a FROM kv WHERE k = 42")).isEqualTo("from mallory");
            assertThat(node.pendingChangesRefused()).isEqualTo(4);
            assertThat(node.rejectedChangesets()).isEqualTo(4);

            // The bound survives a restart: it is counted again from the table.
            node.crash();
            node.reopen();
            assertThat(apply(node, version(mallory, 3, "ghost"))).isEqualTo(ApplyOutcome.REJECTED);

            // The migration arrives: kept changes merge, the bound frees, and the refused versions sent again merge.
            node.createTable("CREATE TABLE ghost (k INTEGER NOT NULL PRIMARY KEY, c0 TEXT, c1 TEXT, c2 TEXT, c3 TEXT)",
                    "ghost");
            assertThat(node.mergeKeptChanges()).isEqualTo(20);
            assertThat(node.pendingChanges()).isZero();
            assertThat(apply(node, version(mallory, 3, "ghost"))).isEqualTo(ApplyOutcome.NEW);
            assertThat(apply(node, version(mallory, 6, "ghost"))).isEqualTo(ApplyOutcome.NEW);
            assertThat(apply(node, version(site(5), 1, "ghost"))).isEqualTo(ApplyOutcome.NEW);
            assertThat(value(node, "SELECT c3 FROM ghost WHERE k = 3")).isEqualTo("v3.3");
            assertThat(value(node, "SELECT c0 FROM ghost WHERE k = 6")).isEqualTo("v6.0");
            assertThat(node.hasAllUpTo(site(5), 1)).isTrue();
        }
    }

    @Test
    void aPeerSendingBigValuesForMissingTablesIsBoundedInBytes() throws Exception {
        SiteId mallory = site(0x66);
        try (SimReplica node = new SimReplica(dir.resolve("b.db"), site(1).toBytes(), Workload.CREATE_TABLES,
                Workload.tableNames())) {
            node.boundPendingChanges(1_000, 1 << 20, 1_000, 64 << 10);
            String big = "x".repeat(20_000);
            int kept = 0;
            ApplyOutcome last = ApplyOutcome.NEW;
            for (long v = 1; v <= 10 && last == ApplyOutcome.NEW; v++) {
                Change c = new Change("ghost", PackedColumns.pack(v), "blob", big, 1, v, mallory.toBytes(), 1, 0);
                last = apply(node, Changeset.Full.complete(mallory, v, 0, 0, ChangesPayload.encode(List.of(c))));
                kept += last == ApplyOutcome.NEW ? 1 : 0;
            }
            assertThat(last).isEqualTo(ApplyOutcome.REJECTED);
            assertThat(kept).as("64 KiB of 20 KB values").isEqualTo(3);
            assertThat(node.pendingChanges()).isEqualTo(3);
            assertThat(node.pendingChangesRefused()).isEqualTo(1);
        }
    }

    private static String value(SimReplica node, String sql) throws Exception {
        try (Statement s = node.app().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
