package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large JDBC batch of generated keys keeps its rows' clock records as one range, and each record becomes a row of the
 * clock table only when something writes it. Every write and read of such a row must give exactly what the records
 * written row by row give: the same {@code crsql_changes}, the same merges.
 */
class ClockRangesTest {
    private static final String DDL = "create table t (id integer primary key, a text, b int)";
    /** What crsql_changes shows, without the keys and site ids (they differ between files). */
    private static final String CHANGES = "select cid, val, col_version, db_version, cl, seq from crsql_changes"
            + " order by db_version, seq";
    private static final String TABLE = "select a, b from t order by a, b";
    private static final int LARGE = 4200;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void everyWriteToRangedRowsGivesWhatRowByRowClocksGive() throws SQLException {
        try (Node ranged = new Node(dir, "ranged"); Node rows = new Node(dir, "rows")) {
            List<Node> both = List.of(ranged, rows);
            for (Node n : both) {
                n.exec(DDL);
            }
            insert(ranged, true, "row ", LARGE);
            insert(rows, false, "row ", LARGE);
            assertThat(ranges(ranged)).as("the batch's records are one range").isEqualTo(1);
            assertThat(rawCount(ranged, "select count(*) from t__crsql_clock")).isZero();
            assertSame(ranged, rows);

            String[] writes = {
                "update t set b = b + 1000 where a = 'row 5'",
                "update t set b = b + 1 where a = 'row 5'",
                "update t set a = 'was row 0' where a = 'row 0'",
                "update t set a = 'was the last row' where a = 'row " + (LARGE - 1) + "'",
                "update t set a = 'both', b = -2 where a = 'row 6'",
                "update t set b = b where a = 'row 8'",
                "delete from t where a = 'row 10'",
                "insert or replace into t (id, a, b) select id, 'replaced', 9 from t where a = 'row 11'",
                "insert into t (id, a, b) select id, 'upserted', 8 from t where a = 'row 12' on conflict (id) do update set a = excluded.a",
                "update t set id = id + 1 where a = 'row 13'",
                "delete from t where b between 100 and 120",
                "begin; update t set b = 1 where a = 'row 20'; delete from t where a = 'row 21'; update t set b = 2 where a = 'row 20'; commit",
            };
            for (String sql : writes) {
                for (Node n : both) {
                    n.exec(sql.split("; "));
                }
                assertSame(ranged, rows);
            }
            assertThat(ranges(ranged)).as("the rows written since were cut out of the range").isGreaterThan(1);

            // A second batch: the table has ranges already, so any bulk batch gets one.
            insert(ranged, true, "second ", 300);
            insert(rows, false, "second ", 300);
            assertSame(ranged, rows);
            for (Node n : both) {
                n.exec("update t set b = -1 where a = 'second 2'", "delete from t where a = 'second 3'");
            }
            assertSame(ranged, rows);

            // Renaming the table keeps its ranges (they follow its id) until the rename's schema work writes them out.
            for (Node n : both) {
                n.exec("alter table t rename to t2", "alter table t2 rename to t");
            }
            assertSame(ranged, rows);
            insert(ranged, true, "third ", LARGE);
            insert(rows, false, "third ", LARGE);
            assertThat(ranges(ranged)).isEqualTo(1);
            assertSame(ranged, rows);

            // A schema change writes every range out as records first.
            for (Node n : both) {
                n.exec("alter table t add column z text default 'zz'", "update t set z = 'set' where a = 'row 30'");
            }
            assertThat(ranges(ranged)).isZero();
            assertThat(rawCount(ranged, "select count(*) from t__crsql_clock")).isEqualTo(rawCount(rows,
                    "select count(*) from t__crsql_clock"));
            assertSame(ranged, rows);
        }
    }

    @Test
    void rangedRowsMergeBothWaysAndConverge() throws SQLException {
        try (Node ranged = new Node(dir, "ranged"); Node peer = new Node(dir, "peer")) {
            ranged.exec(DDL);
            peer.exec(DDL);
            insert(ranged, true, "row ", LARGE);
            ranged.sendTo(peer);
            assertThat(peer.rows("select id, a, b from t order by id")).isEqualTo(ranged.rows("select id, a, b from t order by id"));

            // Concurrent writes to rows the range stands for: some on one side, some on both.
            peer.exec("update t set b = b + 5 where b between 0 and 49", "delete from t where b between 50 and 59",
                    "update t set a = 'peer' where b between 60 and 69");
            ranged.exec("update t set b = b + 7 where b between 40 and 49", "delete from t where b between 65 and 74",
                    "update t set a = 'ranged' where b between 80 and 89");
            long recordsBefore = rawCount(ranged, "select count(*) from t__crsql_clock");
            peer.sendTo(ranged); // merges into records the range still stands for, and into ones written out
            assertThat(rawCount(ranged, "select count(*) from t__crsql_clock")).as("merged rows were written out")
                    .isGreaterThan(recordsBefore);
            ranged.sendTo(peer);
            assertThat(peer.rows("select id, a, b from t order by id")).isEqualTo(ranged.rows("select id, a, b from t order by id"));
            String all = "select \"table\", hex(pk), cid, val, col_version, db_version, hex(site_id), cl, seq from crsql_changes"
                    + " order by \"table\", pk, cid";
            assertThat(ranged.rows(all)).hasSizeGreaterThan(LARGE).isEqualTo(peer.rows(all));
            assertThat(ranged.rows("select a, b from t where b between 0 and 9 order by b"))
                    .as("updates of the same rows on both sides merged").allMatch(r -> (long) r.get(1) >= 5);
        }
    }

    @Test
    void droppingARangedTableDropsItsRanges() throws SQLException {
        try (Node ranged = new Node(dir, "ranged")) {
            ranged.exec(DDL);
            insert(ranged, true, "row ", LARGE);
            assertThat(ranges(ranged)).isEqualTo(1);
            ranged.exec("drop table t", DDL);
            assertThat(ranges(ranged)).isZero();
            assertThat(ranged.rows(CHANGES)).isEmpty();
            insert(ranged, true, "again ", LARGE);
            assertThat(ranged.rows(CHANGES)).hasSize(2 * LARGE);
        }
    }

    @Test
    void theAgentsReadOfTheBatchVersionIsTheViewsRead() throws SQLException {
        try (Node ranged = new Node(dir, "ranged")) {
            ranged.exec(DDL, "insert into t (a, b) values ('before', 1)");
            insert(ranged, true, "row ", LARGE);
            long v = ranged.crr.dbVersion();
            byte[] site = ranged.crr.siteId();
            // The journal still holds this version: changes() reads its rows by key, changesSince() the view.
            List<Change> byKey = ranged.crr.changes(site, v, v);
            List<Change> fromView = ranged.crr.changesSince(v - 1);
            assertThat(byKey).hasSize(2 * LARGE);
            assertThat(byKey).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(fromView);
        }
    }

    /** {@code count} rows in one transaction: one JDBC batch, or one execution each. */
    private static void insert(Node n, boolean batch, String prefix, int count) throws SQLException {
        n.c.setAutoCommit(false);
        try (PreparedStatement p = n.c.prepareStatement("insert into t (a, b) values (?, ?)")) {
            for (int i = 0; i < count; i++) {
                p.setString(1, prefix + i);
                p.setInt(2, i % 500);
                if (batch) {
                    p.addBatch();
                } else {
                    p.executeUpdate();
                }
            }
            if (batch) {
                assertThat(p.executeBatch()).hasSize(count).containsOnly(1);
            }
        }
        n.c.commit();
        n.c.setAutoCommit(true);
    }

    private static void assertSame(Node ranged, Node rows) throws SQLException {
        assertThat(ranged.rows(CHANGES)).isEqualTo(rows.rows(CHANGES));
        assertThat(ranged.rows(TABLE)).isEqualTo(rows.rows(TABLE));
    }

    private static long ranges(Node n) throws SQLException {
        return rawCount(n, "select count(*) from __corrosion_clock_range");
    }

    /** A count read with plain sqlite-jdbc: the driver hides its own tables. */
    private static long rawCount(Node n, String sql) throws SQLException {
        try (Connection plain = DriverManager.getConnection(n.url.replace("jdbc:corrosion:", "jdbc:sqlite:"));
                Statement s = plain.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
