package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large JDBC batches of INSERTs with driver-allocated keys are captured at once, not row by row; the clock records,
 * versions and seqs must be exactly those the capture triggers write row by row.
 */
class BulkCaptureTest {
    private static final String DDL = "create table t (id integer primary key, a text, b int check (b < 100000))";
    /** What crsql_changes shows, without the keys and site ids (they differ between files). */
    private static final String CHANGES = "select cid, val, col_version, db_version, cl, seq from crsql_changes"
            + " order by db_version, seq";
    /** Batch sizes: one where the insert trigger is skipped per row, one where it is dropped for the batch. */
    private static final int SMALL = 200;
    private static final int LARGE = 4200;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @ParameterizedTest
    @ValueSource(ints = {SMALL, LARGE})
    void largeBatchGetsTheClockRecordsRowByRowCaptureWrites(int rows) throws SQLException {
        try (Node bulk = new Node(dir, "bulk"); Node rowByRow = new Node(dir, "rows"); Node replica = new Node(dir, "replica")) {
            for (Node n : List.of(bulk, rowByRow, replica)) {
                n.exec(DDL, "insert into t (a, b) values ('first', 1)");
            }
            write(bulk, true, rows);
            write(rowByRow, false, rows);
            // The insert trigger captures again after the batch.
            bulk.exec("insert into t (a, b) values ('after', 3)");
            rowByRow.exec("insert into t (a, b) values ('after', 3)");
            assertThat(bulk.rows(CHANGES)).hasSize(4 + 2 * rows).isEqualTo(rowByRow.rows(CHANGES));
            assertThat(bulk.rows("select a, b from t order by id")).isEqualTo(rowByRow.rows("select a, b from t order by id"));

            replica.crr.applyChanges(bulk.crr.changesSince(0));
            assertThat(replica.rows("select id, a, b from t where a <> 'first' order by id"))
                    .isEqualTo(bulk.rows("select id, a, b from t where a <> 'first' order by id"));
        }
    }

    /** One transaction: an update, the rows (one batch, or one execution each), an update of one of the new rows. */
    private static void write(Node n, boolean batch, int rows) throws SQLException {
        n.c.setAutoCommit(false);
        n.exec("update t set b = 2 where a = 'first'");
        try (PreparedStatement p = n.c.prepareStatement("insert into t (a, b) values (?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setString(1, "row " + i);
                p.setInt(2, i);
                if (batch) {
                    p.addBatch();
                } else {
                    p.executeUpdate();
                }
            }
            if (batch) {
                assertThat(p.executeBatch()).hasSize(rows).containsOnly(1);
            }
        }
        n.exec("update t set a = 'changed' where a = 'row 7'");
        n.c.commit();
        n.c.setAutoCommit(true);
    }

    @ParameterizedTest
    @ValueSource(ints = {SMALL, LARGE})
    void batchFailingPartWayKeepsAndCapturesTheRowsBeforeTheFailure(int rows) throws SQLException {
        try (Node n = new Node(dir, "a")) {
            n.exec(DDL);
            n.c.setAutoCommit(false);
            assertThatThrownBy(() -> batch(n, rows, 100)).isInstanceOf(SQLException.class); // row 100 violates the CHECK
            n.c.commit();
            n.c.setAutoCommit(true);
            assertThat(n.scalar("select count(*) from t")).isEqualTo(100L);
            assertThat(n.rows("select count(*), count(distinct pk), min(seq), max(seq), min(db_version), max(db_version)"
                    + " from crsql_changes")).containsExactly(List.of(200L, 100L, 0L, 199L, 1L, 1L));
            assertThat(n.scalar("select count(*) from t where id not in (select crsql_internal_pk_part(pk, 0)"
                    + " from crsql_changes)")).isEqualTo(0L);
            n.exec("insert into t (a, b) values ('after', 3)");
            assertThat(n.scalar("select count(*) from crsql_changes where db_version = 2")).isEqualTo(2L);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {SMALL, LARGE})
    void rolledBackBatchLeavesNoTrace(int rows) throws SQLException {
        try (Node n = new Node(dir, "a")) {
            n.exec(DDL, "insert into t (a, b) values ('kept', 1)");
            n.c.setAutoCommit(false);
            batch(n, rows, -1);
            n.c.rollback();
            n.c.setAutoCommit(true);
            assertThat(n.crr.dbVersion()).isEqualTo(1);
            assertThat(n.rows("select cid, val, db_version from crsql_changes order by seq"))
                    .containsExactly(List.of("a", "kept", 1L), List.of("b", 1L, 1L));
            n.exec("insert into t (a, b) values ('next', 2)");
            assertThat(n.crr.dbVersion()).isEqualTo(2);
            assertThat(n.scalar("select count(*) from crsql_changes where db_version = 2")).isEqualTo(2L);
        }
    }

    @Test
    void tableWithAnApplicationTriggerIsCapturedRowByRow() throws SQLException {
        try (Node n = new Node(dir, "a")) {
            n.exec(DDL, "create trigger bump after insert on t begin update t set b = b + 1 where id = new.id; end");
            n.c.setAutoCommit(false);
            batch(n, SMALL, -1);
            n.c.commit();
            n.c.setAutoCommit(true);
            assertThat(n.rows("select cid, min(col_version), max(col_version), count(*) from crsql_changes group by cid order by cid"))
                    .containsExactly(List.of("a", 1L, 1L, (long) SMALL), List.of("b", 2L, 2L, (long) SMALL));
        }
    }

    /** One JDBC batch of {@code rows} rows; the row numbered {@code failing} (if any) violates the CHECK. */
    private static void batch(Node n, int rows, int failing) throws SQLException {
        try (PreparedStatement p = n.c.prepareStatement("insert into t (a, b) values (?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setString(1, "row " + i);
                p.setInt(2, i == failing ? 500000 : i);
                p.addBatch();
            }
            p.executeBatch();
        }
    }
}
