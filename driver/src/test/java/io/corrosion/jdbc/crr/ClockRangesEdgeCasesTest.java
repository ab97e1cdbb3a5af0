package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clock ranges ({@link ClockRanges}) at their edges: log compaction, the alter window, two batches in one transaction, a
 * batch failing part-way, another node's keys between a range's, a second connection, the largest keys. Each test
 * compares a replica whose batches are captured as ranges with a twin that inserts the same rows one by one.
 */
class ClockRangesEdgeCasesTest {
    private static final String SCHEMA = "CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, a TEXT, b INT);"
            + " SELECT crsql_as_crr('t');";
    private static final String CHANGES = "SELECT crsql_internal_pk_part(pk, 0), cid, val, col_version, db_version, cl, seq"
            + " FROM crsql_changes ORDER BY db_version, seq";
    private static final int ROWS = BulkInserts.UNTRIGGERED + 10;

    @TempDir
    Path dir;

    static List<Object> keys(long lo, long step, int n) {
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(lo + step * i);
        }
        return keys;
    }

    /** One transaction: the keys as one JDBC batch through bulkInsert (ranged) or row by row (twin). */
    static void insert(Replica r, boolean bulk, List<Object> keys) throws SQLException {
        r.conn.setAutoCommit(false);
        batch(r, bulk, keys, key -> key % 97);
        r.conn.commit();
        r.conn.setAutoCommit(true);
    }

    /** One JDBC batch of rows {@code (key, 'r' || key, b(key))}, through bulkInsert (ranged) or as is (twin). */
    static void batch(Replica r, boolean bulk, List<Object> keys, LongUnaryOperator b) throws SQLException {
        CrrSession.Work<int[]> batch = () -> {
            try (PreparedStatement p = r.conn.prepareStatement("INSERT INTO t (id, a, b) VALUES (?, ?, ?)")) {
                for (Object key : keys) {
                    p.setLong(1, (Long) key);
                    p.setString(2, "r" + key);
                    p.setLong(3, b.applyAsLong((Long) key));
                    p.addBatch();
                }
                return p.executeBatch();
            }
        };
        if (bulk) {
            r.crr.bulkInsert("t", keys, batch);
        } else {
            batch.run();
        }
    }

    /**
     * Log compaction keeps the entries of a version a range stands for: records written out of it later carry that
     * version, and are read through them.
     */
    @Test
    void compactingTheLogThenWritingARowOutLosesItsBlock() throws SQLException {
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica rows = new Replica(dir, "rows", SCHEMA)) {
            insert(bulk, true, keys(1, 1, ROWS));
            insert(rows, false, keys(1, 1, ROWS));
            assertThat(bulk.scalar("SELECT count(*) FROM " + ClockRanges.TABLE)).isEqualTo(1L);
            for (Replica r : List.of(bulk, rows)) {
                r.crr.flushJournal();
                r.crr.schema().compactLog();
            }
            assertThat(bulk.query(CHANGES)).isEqualTo(rows.query(CHANGES));
            for (Replica r : List.of(bulk, rows)) {
                r.exec("UPDATE t SET b = -1 WHERE id = 5");
            }
            assertThat(bulk.query(CHANGES)).hasSize(rows.query(CHANGES).size()).isEqualTo(rows.query(CHANGES));
        }
    }

    /** A merge between crsql_begin_alter and crsql_commit_alter (no capture triggers then) still reads the ranges. */
    @Test
    void aMergeInTheAlterWindowKeepsTheOtherColumnsClocks() throws SQLException {
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica rows = new Replica(dir, "rows", SCHEMA)) {
            insert(bulk, true, keys(1, 1, ROWS));
            insert(rows, false, keys(1, 1, ROWS));
            Change ch = remoteA(5L);
            for (Replica r : List.of(bulk, rows)) {
                r.crr.schema().beginAlter("t");
                r.crr.apply(List.of(ch));
                r.crr.schema().commitAlter("t");
            }
            assertThat(bulk.query("SELECT a, b FROM t WHERE id = 5")).isEqualTo(rows.query("SELECT a, b FROM t WHERE id = 5"));
            assertThat(bulk.query(CHANGES)).hasSize(rows.query(CHANGES).size()).isEqualTo(rows.query(CHANGES));
        }
    }

    /** Two bulk batches in one transaction, the second into the now ranged table; then writes to both. */
    @Test
    void twoBatchesInOneTransaction() throws SQLException {
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica rows = new Replica(dir, "rows", SCHEMA)) {
            for (Replica r : List.of(bulk, rows)) {
                boolean b = r == bulk;
                r.conn.setAutoCommit(false);
                for (List<Object> ks : List.of(keys(1, 2, ROWS), keys(20001, 3, 100), keys(2, 2, 50))) {
                    batch(r, b, ks, key -> key % 97);
                }
                r.exec("UPDATE t SET b = -5 WHERE id IN (3, 4, 20004, 131)");
                r.conn.commit();
                r.conn.setAutoCommit(true);
                r.exec("UPDATE t SET a = 'x' WHERE id % 7 = 0");
                r.exec("DELETE FROM t WHERE id % 11 = 0");
            }
            assertThat(bulk.query(CHANGES)).hasSize(rows.query(CHANGES).size()).isEqualTo(rows.query(CHANGES));
        }
    }

    /** A batch that fails part-way (CHECK) after the range mode is entered: the prefix is kept and committed. */
    @Test
    void aFailedLargeBatchKeepsItsPrefixAsTheTwinDoes() throws SQLException {
        String schema = "CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, a TEXT, b INT CHECK (b < 96));"
                + " SELECT crsql_as_crr('t');";
        try (Replica bulk = new Replica(dir, "bulk", schema); Replica rows = new Replica(dir, "rows", schema)) {
            List<Object> ks = keys(1, 1, ROWS); // key 4100 fails the CHECK
            for (Replica r : List.of(bulk, rows)) {
                r.conn.setAutoCommit(false);
                try {
                    batch(r, r == bulk, ks, key -> key == 4100L ? 96 : key % 90);
                } catch (SQLException expected) {
                    // the prefix stays, as sqlite-jdbc keeps it
                }
                r.conn.commit();
                r.conn.setAutoCommit(true);
                if (r == bulk) {
                    assertThat(r.query("SELECT lo, hi FROM " + ClockRanges.TABLE)).containsExactly(List.of(1L, 4099L));
                }
                r.exec("UPDATE t SET a = 'x' WHERE id % 7 = 0");
                r.exec("DELETE FROM t WHERE id % 11 = 0");
            }
            assertThat(bulk.scalar("SELECT count(*) FROM t")).isEqualTo(rows.scalar("SELECT count(*) FROM t"));
            assertThat(bulk.query(CHANGES)).hasSize(rows.query(CHANGES).size()).isEqualTo(rows.query(CHANGES));
        }
    }

    /** Another node's keys interleave with a range (slots of 1024): merges both ways, then writes. */
    @Test
    void interleavedKeysOfAnotherNode() throws SQLException {
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica rows = new Replica(dir, "rows", SCHEMA);
                Replica peer = new Replica(dir, "peer", SCHEMA)) {
            insert(bulk, true, keys(1, 1024, ROWS));
            insert(rows, false, keys(1, 1024, ROWS));
            insert(peer, false, keys(2, 1024, 300));
            peer.exec("UPDATE t SET a = 'peer' WHERE id % 3 = 0");
            peer.sendTo(bulk);
            peer.sendTo(rows);
            for (Replica r : List.of(bulk, rows)) {
                r.exec("UPDATE t SET b = b + 1 WHERE id % 5 = 0");
                r.exec("DELETE FROM t WHERE id % 13 = 0");
            }
            String changes = "SELECT crsql_internal_pk_part(pk, 0), cid, val, col_version, db_version, cl, seq, hex(site_id) = hex(crsql_site_id())"
                    + " FROM crsql_changes ORDER BY db_version, seq, pk, cid";
            assertThat(bulk.query(changes)).hasSize(rows.query(changes).size()).isEqualTo(rows.query(changes));
            assertThat(bulk.query("SELECT * FROM t ORDER BY id")).isEqualTo(rows.query("SELECT * FROM t ORDER BY id"));
        }
    }

    /** Another connection to the same file, its catalog cached before the range mode, writes and merges. */
    @Test
    void aSecondConnectionSeesTheRanges() throws SQLException {
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica other = new Replica(dir, "bulk");
                Replica rows = new Replica(dir, "rows", SCHEMA)) {
            other.query(CHANGES);
            other.exec("UPDATE t SET a = 'nothing' WHERE id = -1");
            insert(bulk, true, keys(1, 1, ROWS));
            insert(rows, false, keys(1, 1, ROWS));
            Change ch = remoteA(70L);
            for (Replica r : List.of(other, rows)) {
                r.exec("UPDATE t SET b = -1 WHERE id = 5");
                r.crr.apply(List.of(ch));
            }
            other.crr.ensureChangesView(); // a raw connection: bulk's ranges changed the CRRs since it made its view
            assertThat(other.query(CHANGES)).hasSize(rows.query(CHANGES).size()).isEqualTo(rows.query(CHANGES));
            assertThat(bulk.query(CHANGES)).isEqualTo(rows.query(CHANGES));
        }
    }

    /** The agent's read of a local version by key (journal entries) while an alter window is open: no empty changeset. */
    @Test
    void readingTheBulkVersionByKeyInTheAlterWindow() throws SQLException {
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica rows = new Replica(dir, "rows", SCHEMA)) {
            insert(bulk, true, keys(1, 1, ROWS));
            insert(rows, false, keys(1, 1, ROWS));
            for (Replica r : List.of(bulk, rows)) {
                r.crr.schema().beginAlter("t");
            }
            long v = bulk.crr.dbVersion();
            assertThat(rows.crr.changes(rows.crr.siteId(), v, v)).hasSize(2 * ROWS);
            assertThat(bulk.crr.changes(bulk.crr.siteId(), v, v)).hasSize(2 * ROWS);
        }
    }

    /** Keys up to Long.MAX_VALUE: a block's end is not computed past the range's. */
    @Test
    void theLastBlockOfARangeEndingNearTheLargestKey() throws SQLException {
        long lo = Long.MAX_VALUE - 1024L * (ROWS - 1);
        try (Replica bulk = new Replica(dir, "bulk", SCHEMA); Replica rows = new Replica(dir, "rows", SCHEMA)) {
            insert(bulk, true, keys(lo, 1024, ROWS));
            insert(rows, false, keys(lo, 1024, ROWS));
            for (Replica r : List.of(bulk, rows)) {
                r.exec("UPDATE t SET b = -1 WHERE id = " + Long.MAX_VALUE);
            }
            assertThat(bulk.query(CHANGES)).hasSize(rows.query(CHANGES).size()).isEqualTo(rows.query(CHANGES));
        }
    }

    /** A file whose metadata a newer driver wrote (a newer format) is refused, not misread. */
    @Test
    void aFileOfANewerFormatIsRefused() throws SQLException {
        try (Replica r = new Replica(dir, "newer", SCHEMA)) {
            r.exec("UPDATE crsql_master SET value = " + (CrrMetadata.FORMAT_VERSION + 1) + " WHERE key = 'corrosion_format'");
        }
        try (org.sqlite.SQLiteConnection c = Replica.open(dir.resolve("newer.db"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CrrEngine.attach(c))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("format " + (CrrMetadata.FORMAT_VERSION + 1))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
        }
    }

    /** Another site's write of column {@code a} = 'remote' to row {@code key}, at column version 2 of its version 1. */
    private static Change remoteA(long key) {
        byte[] peer = new byte[16];
        peer[0] = 7;
        return new Change("t", PackedColumns.pack(key), "a", "remote", 2, 1, peer, 1, 0, "0");
    }
}
