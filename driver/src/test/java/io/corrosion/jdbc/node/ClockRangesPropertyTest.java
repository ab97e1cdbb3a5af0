package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Random writes and merges into rows whose clock records a range stands for give exactly what they give on records
 * written row by row: a node bulk-inserts a large batch of generated keys (one clock range), its twin inserts the same
 * rows with the same keys one by one (one record each), and both then take the same random sequence of local UPDATEs,
 * DELETEs, REPLACEs, upserts, key changes, further batches and changes merged from a third node that wrote to the same
 * rows. After every step both have the same table, every few steps the same {@code crsql_changes} (the site ids of their
 * own changes aside), and at the end the agent's read of each local version by key equals the view's.
 */
class ClockRangesPropertyTest {
    private static final String DDL = "create table t (id integer primary key, a text, b int)";
    private static final String CHANGES = "select \"table\", hex(pk), cid, val, col_version, db_version, cl, seq"
            + " from crsql_changes order by db_version, seq, pk, cid";
    private static final String TABLE = "select id, a, b from t order by id";

    @Property(tries = 4, seed = "20261126")
    void rangedRecordsBehaveAsRecordsWrittenRowByRow(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long seed)
            throws Exception {
        Path dir = Files.createTempDirectory("clock-ranges-prop");
        try (Node ranged = new Node(dir, "ranged"); Node twin = new Node(dir, "twin"); Node peer = new Node(dir, "peer")) {
            Random random = new Random(seed);
            for (Node n : List.of(ranged, twin, peer)) {
                n.exec(DDL);
            }
            List<Long> keys = new ArrayList<>();
            batch(ranged, twin, keys, "row ", 4096 + random.nextInt(600));
            ranged.sendTo(peer);
            long peerSince = peer.crr.dbVersion();
            for (int step = 0; step < 48; step++) {
                long key = keys.get(random.nextInt(keys.size()));
                int value = random.nextInt(1000);
                String sql = switch (random.nextInt(9)) {
                    case 0 -> "update t set b = " + value + " where id = " + key;
                    case 1 -> "update t set a = 'a" + value + "', b = b + 1 where id = " + key;
                    case 2 -> "delete from t where id = " + key;
                    case 3 -> "insert or replace into t (id, a, b) values (" + key + ", 'replaced', " + value + ")";
                    case 4 -> "insert into t (id, a, b) values (" + key + ", 'upserted', " + value
                            + ") on conflict (id) do update set b = excluded.b";
                    case 5 -> "update t set id = " + (-key) + " where id = " + key;
                    case 6 -> "update t set b = b + 1 where id between " + key + " and " + (key + 50_000);
                    default -> null;
                };
                if (sql != null) {
                    ranged.exec(sql);
                    twin.exec(sql);
                } else if (random.nextBoolean()) {
                    peer.exec("update t set a = 'peer " + value + "' where id = " + key,
                            "delete from t where id = " + keys.get(random.nextInt(keys.size())));
                    List<Change> fromPeer = peer.crr.changes(peer.crr.siteId(), peerSince + 1, peer.crr.dbVersion());
                    peerSince = peer.crr.dbVersion();
                    assertThat(ranged.crr.applyChanges(fromPeer)).isEqualTo(twin.crr.applyChanges(fromPeer));
                } else {
                    batch(ranged, twin, keys, "batch " + step + " ", 50 + random.nextInt(300));
                }
                assertThat(ranged.rows(TABLE)).as("table after step %d, seed %d", step, seed).isEqualTo(twin.rows(TABLE));
                if (step % 8 == 7) {
                    assertThat(ranged.rows(CHANGES)).as("crsql_changes after step %d, seed %d", step, seed)
                            .isEqualTo(twin.rows(CHANGES));
                }
            }
            byte[] site = ranged.crr.siteId();
            List<Change> all = ranged.crr.changesSince(0);
            for (long v = 1; v <= ranged.crr.dbVersion(); v++) {
                long version = v;
                List<Change> fromView = all.stream().filter(c -> c.dbVersion() == version
                        && java.util.Arrays.equals(c.siteId(), site)).toList();
                assertThat(ranged.crr.changes(site, v, v)).as("version %d by key, seed %d", v, seed)
                        .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(fromView);
            }
        } finally {
            CorrosionDriver.shutdownAll();
        }
        TestFiles.deleteTree(dir); // kept when an assertion fails, to look at
    }

    /**
     * {@code rows} rows in one transaction: one JDBC batch on {@code ranged} (its keys generated), the same rows with
     * the same keys one statement each on {@code twin}.
     */
    private static void batch(Node ranged, Node twin, List<Long> keys, String prefix, int rows) throws SQLException {
        ranged.c.setAutoCommit(false);
        try (PreparedStatement p = ranged.c.prepareStatement("insert into t (a, b) values (?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setString(1, prefix + i);
                p.setInt(2, i);
                p.addBatch();
            }
            p.executeBatch();
        }
        ranged.c.commit();
        ranged.c.setAutoCommit(true);
        List<List<Object>> written = ranged.rows("select id, a, b from t where a like '" + prefix + "%' order by id");
        assertThat(written).hasSize(rows);
        twin.c.setAutoCommit(false);
        try (PreparedStatement p = twin.c.prepareStatement("insert into t (id, a, b) values (?, ?, ?)")) {
            for (List<Object> row : written) {
                p.setLong(1, (Long) row.get(0));
                p.setString(2, (String) row.get(1));
                p.setLong(3, (Long) row.get(2));
                p.executeUpdate();
                keys.add((Long) row.get(0));
            }
        }
        twin.c.commit();
        twin.c.setAutoCommit(true);
    }
}
