package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk insert into a table of key columns only: its clock range stands for sentinels ({@link ClockRanges}), as the
 * insert trigger writes them row by row.
 */
class ClockRangesKeysOnlyTest {
    private static final String SCHEMA = "CREATE TABLE k (id INTEGER PRIMARY KEY NOT NULL); SELECT crsql_as_crr('k');";
    private static final String CHANGES = "SELECT cid, val, col_version, db_version, cl, seq, crsql_internal_pk_part(pk, 0)"
            + " FROM crsql_changes ORDER BY db_version, seq";
    private static final int ROWS = BulkInserts.UNTRIGGERED + 10;

    @TempDir
    Path dir;

    @Test
    void sentinelsOfABulkInsertReadAndChangeAsRowByRowOnes() throws SQLException {
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica rows = new Replica(dir, "rows", SCHEMA)) {
            List<Object> keys = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                keys.add(1000L + 3L * i);
            }
            bulk.conn.setAutoCommit(false);
            bulk.crr.bulkInsert("k", keys, () -> {
                try (PreparedStatement p = bulk.conn.prepareStatement("INSERT INTO k (id) VALUES (?)")) {
                    for (Object key : keys) {
                        p.setLong(1, (Long) key);
                        p.addBatch();
                    }
                    return p.executeBatch();
                }
            });
            bulk.conn.commit();
            bulk.conn.setAutoCommit(true);
            rows.exec("BEGIN");
            for (Object key : keys) {
                rows.exec("INSERT INTO k (id) VALUES (" + key + ")");
            }
            rows.exec("COMMIT");
            assertThat(bulk.scalar("SELECT count(*) FROM " + ClockRanges.TABLE)).isEqualTo(1L);
            assertThat(bulk.scalar("SELECT count(*) FROM k__crsql_clock")).isEqualTo(0L);
            assertThat(bulk.query(CHANGES)).hasSize(ROWS).isEqualTo(rows.query(CHANGES));

            for (Replica r : List.of(bulk, rows)) {
                r.exec("DELETE FROM k WHERE id = 1003");
                r.exec("INSERT INTO k (id) VALUES (1003)");
                r.exec("INSERT OR REPLACE INTO k (id) VALUES (1006)");
            }
            assertThat(bulk.query(CHANGES)).isEqualTo(rows.query(CHANGES));
            // Both keys are in the range's first block: its records were written out, the range starts after it.
            assertThat(bulk.scalar("SELECT count(*) FROM k__crsql_clock")).isEqualTo((long) ClockRanges.BLOCK);
            assertThat(bulk.scalar("SELECT lo FROM " + ClockRanges.TABLE)).isEqualTo(1000L + 3L * ClockRanges.BLOCK);
        }
    }
}
