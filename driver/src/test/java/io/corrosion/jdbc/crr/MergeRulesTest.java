package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per cr-sqlite merge rule (CRSQLITE.md A3), on two or three real replicas. */
class MergeRulesTest {
    private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a, b INTEGER); SELECT crsql_as_crr('t');";

    @TempDir
    Path dir;
    Replica a;
    Replica b;

    @BeforeEach
    void open() throws SQLException {
        a = new Replica(dir, "a", SCHEMA);
        b = new Replica(dir, "b", SCHEMA);
    }

    @AfterEach
    void close() throws SQLException {
        a.close();
        b.close();
    }

    private void exchange() throws SQLException {
        a.sendTo(b);
        b.sendTo(a);
    }

    private void assertConverged(String expectedRows) throws SQLException {
        assertThat(a.query("SELECT * FROM t ORDER BY id")).hasToString(expectedRows);
        assertThat(b.query("SELECT * FROM t ORDER BY id")).hasToString(expectedRows);
    }

    @Test
    void concurrentUpdatesOfOneColumnTheHigherColVersionWins() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1)");
        exchange();
        a.exec("UPDATE t SET a = 'a1' WHERE id = 1; UPDATE t SET a = 'a2' WHERE id = 1;");
        b.exec("UPDATE t SET a = 'zzz' WHERE id = 1");
        exchange();
        assertConverged("[[1, a2, 1]]");
    }

    @Test
    void equalColVersionsTheLargerValueWins() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1)");
        exchange();
        a.exec("UPDATE t SET a = 'apple' WHERE id = 1");
        b.exec("UPDATE t SET a = 'banana' WHERE id = 1");
        exchange();
        assertConverged("[[1, banana, 1]]");
    }

    @Test
    void equalColVersionsDifferentTypesOrderNullBlobTextRealInteger() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 0), (2, 'x', 0), (3, 'x', 0), (4, 'x', 0)");
        exchange();
        a.exec("UPDATE t SET a = 1 WHERE id = 1; UPDATE t SET a = 'text' WHERE id = 2; UPDATE t SET a = x'ff' WHERE id = 3;"
                + " UPDATE t SET a = NULL WHERE id = 4;");
        b.exec("UPDATE t SET a = 1000.5 WHERE id = 1; UPDATE t SET a = 2.5 WHERE id = 2; UPDATE t SET a = 'text' WHERE id = 3;"
                + " UPDATE t SET a = x'00' WHERE id = 4;");
        exchange();
        assertConverged("[[1, 1, 0], [2, 2.5, 0], [3, text, 0], [4, 00, 0]]");
    }

    @Test
    void nullLosesToAnyValueAtEqualVersions() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, NULL, NULL)");
        b.exec("INSERT INTO t VALUES (1, x'', 0)");
        exchange();
        assertConverged("[[1, , 0]]");
    }

    @Test
    void blobsCompareBytewiseShorterPrefixFirst() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, x'0102', 0), (2, x'80', 0)");
        b.exec("INSERT INTO t VALUES (1, x'010200', 0), (2, x'7fff', 0)");
        exchange();
        assertConverged("[[1, 010200, 0], [2, 80, 0]]");
    }

    @Test
    void remoteDeleteBeatsConcurrentUpdate() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1)");
        exchange();
        a.exec("DELETE FROM t WHERE id = 1");
        b.exec("UPDATE t SET a = 'b-upd' WHERE id = 1; UPDATE t SET a = 'again' WHERE id = 1;");
        exchange();
        assertConverged("[]");
        assertThat(a.query("SELECT cid, cl FROM crsql_changes")).hasToString("[[-1, 2]]");
    }

    @Test
    void resurrectionBeatsTheDeleteItFollows() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1)");
        exchange();
        a.exec("DELETE FROM t WHERE id = 1");
        exchange();
        b.exec("INSERT INTO t VALUES (1, 'reborn', 2)");
        a.exec("UPDATE t SET a = 'ghost' WHERE id = 1"); // no row: nothing to update
        exchange();
        assertConverged("[[1, reborn, 2]]");
        assertThat(a.query("SELECT cid, col_version, cl FROM crsql_changes ORDER BY cid"))
                .hasToString("[[-1, 3, 3], [a, 1, 3], [b, 1, 3]]");
    }

    @Test
    void concurrentDeleteAndResurrectTheLongerCausalLengthWins() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1)");
        exchange();
        a.exec("DELETE FROM t WHERE id = 1; INSERT INTO t VALUES (1, 'a-life', 2);"); // cl 3
        b.exec("DELETE FROM t WHERE id = 1"); // cl 2
        exchange();
        assertConverged("[[1, a-life, 2]]");
    }

    @Test
    void resurrectedColumnsNotRewrittenKeepZeroedVersions() throws SQLException {
        Replica c = new Replica(dir, "c", SCHEMA);
        try (c) {
            a.exec("INSERT INTO t VALUES (1, 'x', 1)");
            a.sendTo(c);
            a.exec("DELETE FROM t WHERE id = 1; INSERT INTO t (id, a) VALUES (1, 'y');");
            // c only hears of the new life's sentinel: its old clocks for the row drop to version 0.
            c.crr.apply(a.changes().stream().filter(Change::isSentinel).toList());
            assertThat(c.query("SELECT cid, col_version, cl FROM crsql_changes ORDER BY cid"))
                    .hasToString("[[-1, 3, 3], [a, 0, 3], [b, 0, 3]]");
            c.crr.apply(a.changes());
            assertThat(c.query("SELECT * FROM t")).hasToString("[[1, y, null]]");
        }
    }

    @Test
    void outOfOrderColumnChangeResurrectsAnUnseenRow() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1); DELETE FROM t WHERE id = 1; INSERT INTO t VALUES (1, 'again', 3);");
        Change onlyB = a.changes().stream().filter(ch -> ch.cid().equals("b")).findFirst().orElseThrow();
        assertThat(b.crr.apply(List.of(onlyB))).isEqualTo(2); // the resurrect and the column
        assertThat(b.query("SELECT * FROM t")).hasToString("[[1, null, 3]]");
        assertThat(b.query("SELECT cid, cl, seq FROM crsql_changes ORDER BY cid")).hasToString("[[-1, 3, 2], [b, 3, 2]]");
    }

    @Test
    void staleChangesFromAnOlderLifeAreIgnoredButTheirVersionIsRecorded() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1)");
        List<Change> firstLife = a.changes();
        a.exec("DELETE FROM t WHERE id = 1");
        b.crr.apply(a.changes());
        assertThat(b.crr.apply(firstLife)).isZero();
        assertThat(b.query("SELECT * FROM t")).isEmpty();
        assertThat(b.query("SELECT hex(site_id), db_version FROM crsql_db_versions WHERE site_id = x'"
                + SqlValues.hex(a.crr.siteId()) + "'")).hasToString("[[" + SqlValues.hex(a.crr.siteId()) + ", 2]]");
    }

    @Test
    void mergeEqualValuesBreaksTiesOnTheHigherSiteId() throws SQLException {
        a.exec("SELECT crsql_config_set('merge-equal-values', 1); INSERT INTO t VALUES (1, 'same', 1)");
        b.exec("SELECT crsql_config_set('merge-equal-values', 1); INSERT INTO t VALUES (1, 'same', 1)");
        exchange();
        byte[] higher = java.util.Arrays.compareUnsigned(a.crr.siteId(), b.crr.siteId()) > 0 ? a.crr.siteId() : b.crr.siteId();
        for (Replica r : List.of(a, b)) {
            assertThat(r.query("SELECT DISTINCT hex(site_id) FROM crsql_changes")).hasToString("[[" + SqlValues.hex(higher) + "]]");
        }
    }

    @Test
    void withoutMergeEqualValuesEqualValuesKeepTheirLocalClock() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'same', 1)");
        b.exec("INSERT INTO t VALUES (1, 'same', 1)");
        assertThat(a.sendTo(b)).isZero();
        assertThat(b.query("SELECT DISTINCT hex(site_id) FROM crsql_changes")).hasToString("[[" + SqlValues.hex(b.crr.siteId()) + "]]");
    }

    @Test
    void primaryKeyChangeMovesTheRowEverywhere() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 10)");
        exchange();
        a.exec("UPDATE t SET id = 5 WHERE id = 1");
        exchange();
        assertConverged("[[5, x, 10]]");
        assertThat(b.query("SELECT hex(pk), cid, col_version, cl FROM crsql_changes ORDER BY pk, cid"))
                .hasToString("[[010901, -1, 2, 2], [010905, -1, 1, 1], [010905, a, 2, 1], [010905, b, 2, 1]]");
    }

    @Test
    void compositeAndTextPrimaryKeysMerge() throws SQLException {
        String ddl = "CREATE TABLE p(x INTEGER NOT NULL, y TEXT NOT NULL, v, PRIMARY KEY (y, x)); SELECT crsql_as_crr('p');"
                + " CREATE TABLE s(k TEXT NOT NULL PRIMARY KEY, v); SELECT crsql_as_crr('s');";
        a.exec(ddl);
        b.exec(ddl);
        a.exec("INSERT INTO p VALUES (1, 'k', 'a'), (2, 'k', 'a2'); INSERT INTO s VALUES ('é', 1), ('', 2);");
        b.exec("INSERT INTO p VALUES (1, 'k', 'b'); INSERT INTO s VALUES ('é', 5);");
        exchange();
        b.exec("DELETE FROM p WHERE x = 2; UPDATE s SET k = 'moved' WHERE k = '';");
        exchange();
        for (Replica r : List.of(a, b)) {
            assertThat(r.query("SELECT * FROM p ORDER BY y, x")).hasToString("[[1, k, b]]");
            assertThat(r.query("SELECT * FROM s ORDER BY k")).hasToString("[[moved, 2], [é, 5]]");
        }
        assertThat(a.query("SELECT hex(pk) FROM crsql_changes WHERE \"table\" = 'p' AND cid = '-1'")).hasToString("[[020B016B0902]]");
    }

    @Test
    void changesForATableThatIsNotACrrAreRefusedAndNothingIsApplied() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1)");
        List<Change> batch = new java.util.ArrayList<>(a.changes());
        batch.add(new Change("missing", PackedColumns.pack(1L), "a", 1L, 1, 1, a.crr.siteId(), 1, 0));
        assertThatThrownBy(() -> b.crr.apply(batch)).isInstanceOf(SQLException.class)
                .hasMessageContaining("missing").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S02");
        assertThat(b.query("SELECT count(*) FROM t")).hasToString("[[0]]");
        assertThat(b.query("SELECT count(*) FROM crsql_changes")).hasToString("[[0]]");
    }

    @Test
    void reapplyingChangesIsIdempotent() throws SQLException {
        a.exec("INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2); DELETE FROM t WHERE id = 2;");
        assertThat(a.sendTo(b)).isEqualTo(3);
        List<Change> before = b.changes();
        assertThat(a.sendTo(b)).isZero();
        assertThat(b.changes()).isEqualTo(before);
    }
}
