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

/**
 * Large JDBC batches of INSERTs with driver-allocated keys are captured at once, not row by row; the clock records,
 * versions and seqs must be exactly those the capture triggers write row by row.
 */
class BulkCaptureTest {
    private static final String DDL = "create table t (id integer primary key, a text, b int check (b < 1000))";
    /** What crsql_changes shows, without the keys and site ids (they differ between files). */
    private static final String CHANGES = "select cid, val, col_version, db_version, cl, seq from crsql_changes"
            + " order by db_version, seq";
    private static final int ROWS = 200;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void largeBatchGetsTheClockRecordsRowByRowCaptureWrites() throws SQLException {
        try (Node bulk = new Node(dir, "bulk"); Node rowByRow = new Node(dir, "rows"); Node replica = new Node(dir, "replica")) {
            for (Node n : List.of(bulk, rowByRow, replica)) {
                n.exec(DDL, "insert into t (a, b) values ('first', 1)");
            }
            write(bulk, true);
            write(rowByRow, false);
            assertThat(bulk.rows(CHANGES)).hasSize(2 + 2 * ROWS).isEqualTo(rowByRow.rows(CHANGES));
            assertThat(bulk.rows("select a, b from t order by id")).isEqualTo(rowByRow.rows("select a, b from t order by id"));

            replica.crr.applyChanges(bulk.crr.changesSince(0));
            assertThat(replica.rows("select id, a, b from t where a <> 'first' order by id"))
                    .isEqualTo(bulk.rows("select id, a, b from t where a <> 'first' order by id"));
        }
    }

    /** One transaction: an update, the rows (one batch, or one execution each), an update of one of the new rows. */
    private static void write(Node n, boolean batch) throws SQLException {
        n.c.setAutoCommit(false);
        n.exec("update t set b = 2 where a = 'first'");
        try (PreparedStatement p = n.c.prepareStatement("insert into t (a, b) values (?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                p.setString(1, "row " + i);
                p.setInt(2, i);
                if (batch) {
                    p.addBatch();
                } else {
                    p.executeUpdate();
                }
            }
            if (batch) {
                assertThat(p.executeBatch()).hasSize(ROWS).containsOnly(1);
            }
        }
        n.exec("update t set a = 'changed' where a = 'row 7'");
        n.c.commit();
        n.c.setAutoCommit(true);
    }

    @Test
    void batchFailingPartWayKeepsAndCapturesTheRowsBeforeTheFailure() throws SQLException {
        try (Node n = new Node(dir, "a")) {
            n.exec(DDL);
            n.c.setAutoCommit(false);
            assertThatThrownBy(() -> batch(n, 100)).isInstanceOf(SQLException.class); // row 100 violates the CHECK
            n.c.commit();
            n.c.setAutoCommit(true);
            assertThat(n.scalar("select count(*) from t")).isEqualTo(100L);
            assertThat(n.rows("select count(*), count(distinct pk), min(seq), max(seq), min(db_version), max(db_version)"
                    + " from crsql_changes")).containsExactly(List.of(200L, 100L, 0L, 199L, 1L, 1L));
            assertThat(n.scalar("select count(*) from t where id not in (select crsql_internal_pk_part(pk, 0)"
                    + " from crsql_changes)")).isEqualTo(0L);
        }
    }

    @Test
    void rolledBackBatchLeavesNoTrace() throws SQLException {
        try (Node n = new Node(dir, "a")) {
            n.exec(DDL, "insert into t (a, b) values ('kept', 1)");
            n.c.setAutoCommit(false);
            batch(n, -1);
            n.c.rollback();
            n.c.setAutoCommit(true);
            assertThat(n.crr.dbVersion()).isEqualTo(1);
            assertThat(n.rows("select cid, val, db_version from crsql_changes order by seq"))
                    .containsExactly(List.of("a", "kept", 1L), List.of("b", 1L, 1L));
            n.exec("insert into t (a, b) values ('next', 2)");
            assertThat(n.crr.dbVersion()).isEqualTo(2);
        }
    }

    @Test
    void tableWithAnApplicationTriggerIsCapturedRowByRow() throws SQLException {
        try (Node n = new Node(dir, "a")) {
            n.exec(DDL, "create trigger bump after insert on t begin update t set b = b + 1 where id = new.id; end");
            n.c.setAutoCommit(false);
            batch(n, -1);
            n.c.commit();
            n.c.setAutoCommit(true);
            assertThat(n.rows("select cid, min(col_version), max(col_version), count(*) from crsql_changes group by cid order by cid"))
                    .containsExactly(List.of("a", 1L, 1L, (long) ROWS), List.of("b", 2L, 2L, (long) ROWS));
        }
    }

    /** One JDBC batch of {@value #ROWS} rows; the row numbered {@code failing} (if any) violates the CHECK. */
    private static void batch(Node n, int failing) throws SQLException {
        try (PreparedStatement p = n.c.prepareStatement("insert into t (a, b) values (?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                p.setString(1, "row " + i);
                p.setInt(2, i == failing ? 5000 : i);
                p.addBatch();
            }
            p.executeBatch();
        }
    }
}
