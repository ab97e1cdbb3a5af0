package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Local write capture (CRSQLITE.md A4): versions, seqs, transactions. */
class LocalWritesTest {
    private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT, b INTEGER DEFAULT 0);"
            + " SELECT crsql_as_crr('t'); CREATE TABLE u(k TEXT NOT NULL PRIMARY KEY, n INTEGER); SELECT crsql_as_crr('u');";

    @TempDir
    Path dir;

    @Test
    void everyTransactionGetsTheNextDbVersionAndSeqsInWriteOrder() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            assertThat(r.crr.dbVersion()).isZero();
            r.exec("INSERT INTO t VALUES (1, 'x', 1)");
            r.exec("BEGIN; INSERT INTO u VALUES ('k', 1); UPDATE t SET a = 'y' WHERE id = 1; INSERT INTO t (id) VALUES (2); COMMIT;");
            assertThat(r.crr.dbVersion()).isEqualTo(2);
            assertThat(r.query("SELECT db_version, seq, \"table\", cid FROM crsql_changes WHERE db_version = 2 ORDER BY seq"))
                    .hasToString("[[2, 0, u, n], [2, 1, t, a], [2, 2, t, a], [2, 3, t, b]]");
        }
    }

    @Test
    void aRolledBackTransactionLeavesNoTrace() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 1)");
            List<Change> before = r.changes();
            r.conn.setAutoCommit(false);
            r.exec("INSERT INTO t VALUES (2, 'y', 2); UPDATE t SET a = 'z' WHERE id = 1; DELETE FROM u;");
            r.conn.rollback();
            r.conn.setAutoCommit(true);
            assertThat(r.changes()).isEqualTo(before);
            assertThat(r.crr.dbVersion()).isEqualTo(1);
            r.exec("INSERT INTO t VALUES (3, 'w', 3)");
            assertThat(r.query("SELECT DISTINCT db_version, min(seq) FROM crsql_changes WHERE pk = x'010903'")).hasToString("[[2, 0]]");
        }
    }

    @Test
    void aReadOfSomeLocalVersionsGetsExactlyThoseWhetherInTheJournalOrTheLog() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA); Replica other = new Replica(dir, "b", SCHEMA)) {
            for (int i = 1; i <= 4; i++) {
                r.exec("INSERT INTO t VALUES (" + i + ", 'v" + i + "', " + i + ")");
            }
            List<Change> all = r.changes();
            assertThat(all).extracting(Change::dbVersion).containsOnly(1L, 2L, 3L, 4L);
            List<Change> middle = all.stream().filter(c -> c.dbVersion() == 2 || c.dbVersion() == 3).toList();
            assertThat(r.crr.changes(r.crr.siteId(), 2, 3)).isEqualTo(middle); // still in the journal, not the log
            assertThat(r.crr.changes(other.crr.siteId(), 1, 4)).isEmpty();
            assertThat(r.changes()).isEqualTo(all); // the read's version window ends with it

            r.conn.setAutoCommit(false);
            r.exec("UPDATE t SET a = 'w' WHERE id = 1");
            assertThat(r.crr.changes(r.crr.siteId(), 5, 5)).extracting(Change::cid).containsExactly("a");
            assertThat(r.crr.changes(r.crr.siteId(), 1, 4)).extracting(Change::dbVersion).doesNotContain(5L);
            r.conn.rollback();
            r.conn.setAutoCommit(true);

            r.crr.flushJournal();
            assertThat(r.crr.changes(r.crr.siteId(), 2, 3)).isEqualTo(middle);
        }
    }

    @Test
    void updatesThatChangeNothingWriteNothing() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 1)");
            r.exec("UPDATE t SET a = 'x', b = 1 WHERE id = 1");
            assertThat(r.crr.dbVersion()).isEqualTo(1);
            r.exec("UPDATE t SET a = CAST('x' AS BLOB) WHERE id = 1"); // same bytes, new type: a change for cr-sqlite
            assertThat(r.query("SELECT cid, col_version, db_version FROM crsql_changes WHERE cid = 'a'")).hasToString("[[a, 2, 2]]");
        }
    }

    @Test
    void upsertAndReplaceFollowTheInsertAndUpdatePaths() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 1)");
            r.exec("INSERT INTO t VALUES (1, 'dup', 1) ON CONFLICT(id) DO UPDATE SET a = excluded.a");
            r.exec("INSERT OR REPLACE INTO t VALUES (1, 'replaced', 5)");
            assertThat(r.query("SELECT cid, col_version, db_version, seq, cl FROM crsql_changes ORDER BY cid"))
                    .hasToString("[[a, 3, 3, 1, 1], [b, 2, 3, 2, 1]]");
        }
    }

    @Test
    void deletesLeaveATombstoneAndReinsertsBumpTheCausalLength() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 1); DELETE FROM t WHERE id = 1;");
            assertThat(r.query("SELECT cid, col_version, cl FROM crsql_changes")).hasToString("[[-1, 2, 2]]");
            r.exec("INSERT INTO t VALUES (1, 'y', 2)");
            assertThat(r.query("SELECT cid, col_version, cl, seq FROM crsql_changes ORDER BY cid"))
                    .hasToString("[[-1, 3, 3, 0], [a, 1, 3, 1], [b, 1, 3, 2]]");
        }
    }

    @Test
    void mergesDoNotMoveTheLocalDbVersion() throws SQLException {
        try (Replica a = new Replica(dir, "a", SCHEMA); Replica b = new Replica(dir, "b", SCHEMA)) {
            a.exec("INSERT INTO t VALUES (1, 'x', 1); INSERT INTO t VALUES (2, 'y', 2); INSERT INTO t VALUES (3, 'z', 3);");
            b.exec("INSERT INTO t VALUES (9, 'b', 9)");
            a.sendTo(b);
            assertThat(b.crr.dbVersion()).isEqualTo(1);
            b.exec("INSERT INTO t VALUES (10, 'b', 10)");
            assertThat(b.crr.dbVersion()).isEqualTo(2);
            assertThat(b.query("SELECT hex(site_id), db_version FROM crsql_db_versions ORDER BY db_version"))
                    .containsExactlyInAnyOrder(List.of(SqlValues.hex(b.crr.siteId()), 2L), List.of(SqlValues.hex(a.crr.siteId()), 3L));
        }
    }

    @Test
    void connectionsOnOneFileShareOneVersionSequence() throws SQLException {
        try (Replica a = new Replica(dir, "a", SCHEMA)) {
            SQLiteConnection second = Replica.open(dir.resolve("a.db"));
            try (CrrSession s2 = CrrEngine.attach(second)) {
                assertThat(s2.siteId()).isEqualTo(a.crr.siteId());
                a.exec("INSERT INTO t VALUES (1, 'x', 1)");
                second.getDatabase()._exec("INSERT INTO t VALUES (2, 'y', 2)");
                a.exec("INSERT INTO t VALUES (3, 'z', 3)");
                second.getDatabase()._exec("UPDATE t SET a = 'w' WHERE id = 1");
                assertThat(a.query("SELECT DISTINCT db_version FROM crsql_changes ORDER BY 1")).hasToString("[[1], [2], [3], [4]]");
                assertThat(s2.dbVersion()).isEqualTo(4);
            } finally {
                second.close();
            }
        }
    }

    @Test
    void jdbcBatchesAndExplicitTransactionsCaptureLikeSql() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.conn.setAutoCommit(false);
            try (PreparedStatement p = r.conn.prepareStatement("INSERT INTO t (id, a) VALUES (?, ?)")) {
                for (int i = 1; i <= 100; i++) {
                    p.setInt(1, i);
                    p.setString(2, "v" + i);
                    p.addBatch();
                }
                p.executeBatch();
            }
            r.conn.commit();
            r.conn.setAutoCommit(true);
            assertThat(r.query("SELECT count(*), min(db_version), max(db_version), max(seq) FROM crsql_changes"))
                    .hasToString("[[200, 1, 1, 199]]");
        }
    }

    @Test
    void writesOnAConnectionWithoutTheEngineFailLoudly() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            SQLiteConnection bare = Replica.open(dir.resolve("a.db"));
            try (bare) {
                assertThatThrownBy(() -> bare.createStatement().execute("INSERT INTO t VALUES (7, 'x', 1)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("no such function: crsql_internal_");
            }
            assertThat(r.query("SELECT count(*) FROM t")).hasToString("[[0]]");
        }
    }

    @Test
    void timestampsFromCrsqlSetTsAreRecordedWithLocalWrites() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("SELECT crsql_set_ts('7205759403792793600'); INSERT INTO t VALUES (1, 'x', 1);");
            assertThat(r.query("SELECT DISTINCT ts FROM crsql_changes")).hasToString("[[7205759403792793600]]");
            // a set timestamp takes the stamp's slow path: db version, seq and ts asked for one by one
            r.exec("SELECT crsql_set_ts('8'); BEGIN; UPDATE t SET a = 'y' WHERE id = 1; UPDATE t SET b = 2 WHERE id = 1;"
                    + " COMMIT;");
            assertThat(r.query("SELECT \"table\", cid, col_version, db_version, seq, ts FROM crsql_changes WHERE \"table\" = 't'"
                    + " ORDER BY seq")).hasToString("[[t, a, 2, 2, 0, 8], [t, b, 2, 2, 1, 8]]");
        }
    }

    @Test
    void aClosedSessionLeavesTheConnectionUnableToWriteCrrs() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.crr.close();
            assertThatThrownBy(() -> r.exec("INSERT INTO t VALUES (1, 'x', 1)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("detached");
            try (CrrSession again = CrrEngine.attach(r.conn)) {
                r.exec("INSERT INTO t VALUES (1, 'x', 1)");
                assertThat(again.dbVersion()).isEqualTo(1);
            }
        }
    }

    @Test
    void captureLeavesGeneratedKeysAndLastInsertRowidToTheApplication() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (41, 'x', 1)");
            try (PreparedStatement p = r.conn.prepareStatement("INSERT INTO t (id, a) VALUES (?, 'y')",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                p.setInt(1, 77);
                p.executeUpdate();
                try (java.sql.ResultSet keys = p.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(77);
                }
            }
            assertThat(r.scalar("SELECT last_insert_rowid()")).isEqualTo(77L);
            r.exec("UPDATE t SET id = 78 WHERE id = 77"); // the primary-key change runs Java inside the trigger
            r.exec("INSERT INTO u VALUES ('k', 1)");
            assertThat(r.scalar("SELECT last_insert_rowid()")).isNotEqualTo(0L);
        }
    }

    /**
     * The primary-key change trigger fires only for UPDATEs that set a key column (UPDATE OF): setting an INTEGER
     * PRIMARY KEY through any of the rowid's names, or in an upsert's DO UPDATE, is captured as SET id is.
     */
    @Test
    void aKeyChangeThroughTheRowidOrAnUpsertIsCapturedAsThroughTheKeyColumn() throws SQLException {
        String changes = "SELECT \"table\", quote(pk), cid, quote(val), col_version, db_version, cl, seq FROM crsql_changes"
                + " ORDER BY db_version, seq";
        List<String> ways = List.of("UPDATE t SET id = 9 WHERE id = 1", "UPDATE t SET rowid = 9 WHERE id = 1",
                "UPDATE t SET _rowid_ = 9 WHERE id = 1", "UPDATE t SET OID = 9, b = b WHERE id = 1",
                "INSERT INTO t VALUES (1, 'x', 5) ON CONFLICT (id) DO UPDATE SET id = 9");
        List<List<Object>> expected = null;
        for (int i = 0; i < ways.size(); i++) {
            try (Replica r = new Replica(dir, "r" + i, SCHEMA)) {
                r.exec("INSERT INTO t VALUES (1, 'x', 5); INSERT INTO t VALUES (2, 'y', 6)");
                r.exec(ways.get(i));
                r.exec("UPDATE t SET a = 'z' WHERE id = 9"); // a column of the moved row, after the move
                assertThat(r.query("SELECT id, a, b FROM t ORDER BY id")).hasToString("[[2, y, 6], [9, z, 5]]");
                List<List<Object>> got = r.query(changes);
                if (expected == null) {
                    expected = got;
                    // the old key's row is deleted (cl 2), the new one has every column at the move's version
                    assertThat(got).contains(List.of("t", "X'010901'", "-1", "NULL", 2L, 3L, 2L, 0L));
                } else {
                    assertThat(got).as(ways.get(i)).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * A file of format 4 has a primary-key trigger that fires on every UPDATE and three-argument stamps: the next open
     * recreates its triggers.
     */
    @Test
    void aFileOfTheFormerFormatGetsTheNewCaptureTriggers() throws SQLException {
        String pkTrigger = "SELECT sql FROM sqlite_master WHERE name = 't__crsql_utrig_pk'";
        String aTrigger = "SELECT sql FROM sqlite_master WHERE name = 't__crsql_utrig_1'";
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 5)");
            String current = (String) r.scalar(pkTrigger);
            assertThat(current).contains("AFTER UPDATE OF \"id\", \"rowid\", \"oid\", \"_rowid_\" ON \"t\"");
            r.exec("DROP TRIGGER t__crsql_utrig_pk; " + current.replaceFirst("AFTER UPDATE OF .* ON \"t\"", "AFTER UPDATE ON \"t\"")
                    + "; UPDATE crsql_master SET value = 4 WHERE key = 'corrosion_format'");
            assertThat((String) r.scalar(pkTrigger)).contains("AFTER UPDATE ON \"t\" WHEN");
            String column = (String) r.scalar(aTrigger);
            String twoArguments = "crsql_internal_stamp(1, new.\"id\")";
            assertThat(column).contains(twoArguments);
            r.exec("DROP TRIGGER t__crsql_utrig_1; " + column.replace(twoArguments, "crsql_internal_stamp(1, 1, new.\"id\")"));
        }
        try (Replica r = new Replica(dir, "a")) {
            assertThat(r.scalar("SELECT value FROM crsql_master WHERE key = 'corrosion_format'"))
                    .isEqualTo((long) CrrMetadata.FORMAT_VERSION);
            assertThat((String) r.scalar(pkTrigger)).contains("AFTER UPDATE OF \"id\"");
            assertThat((String) r.scalar(aTrigger)).contains("crsql_internal_stamp(1, new.\"id\")");
            r.exec("UPDATE t SET a = 'y' WHERE id = 1; UPDATE t SET rowid = 2 WHERE id = 1");
            assertThat(r.query("SELECT quote(pk), cid, quote(val), db_version, cl FROM crsql_changes ORDER BY pk, cid"))
                    .hasToString("[[X'010901', -1, NULL, 3, 2], [X'010902', -1, NULL, 3, 1], [X'010902', a, 'y', 3, 1],"
                            + " [X'010902', b, 5, 3, 1]]");
        }
    }
}
