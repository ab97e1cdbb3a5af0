package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An insert of a key seen before (a deleted row inserted again, an INSERT OR REPLACE over a row): up to format 10 the
 * insert trigger wrote it as an SQL upsert, from format 11 on Java does ({@code crsql_internal_reinsert},
 * {@link LocalWrites#reinserted}). Both must write the same clocks, and a file of format 10 gets the new trigger.
 */
class ReinsertCaptureTest {
    /**
     * An application trigger made before the CRR (capture triggers fire first), a composite key, a dropped column (the
     * slots have a gap) and an added one (rows from before have no clock for it).
     */
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT, b INTEGER DEFAULT 0, c BLOB, d REAL)",
            "CREATE TRIGGER bump AFTER INSERT ON t WHEN new.a = 'bump' BEGIN UPDATE t SET b = b + 1 WHERE id = new.id; END",
            "SELECT crsql_as_crr('t')",
            "CREATE TABLE u(k TEXT NOT NULL, j INTEGER NOT NULL, x TEXT, y INTEGER, PRIMARY KEY (k, j))",
            "SELECT crsql_as_crr('u')",
            "INSERT INTO t VALUES (1, 'a1', 1, x'01', 1.5), (2, 'a2', 2, NULL, NULL), (3, 'a3', 3, x'03', 3.5)",
            "INSERT INTO u VALUES ('k', 1, 'x1', 1), ('k', 2, 'x2', 2)",
            "DELETE FROM t WHERE id = 3",
            "SELECT crsql_begin_alter('t')", "ALTER TABLE t DROP COLUMN c", "ALTER TABLE t ADD COLUMN e TEXT DEFAULT 'e'",
            "SELECT crsql_commit_alter('t')");

    private static final List<String> WRITES = List.of(
            "INSERT OR REPLACE INTO t (id, a, b) VALUES (1, 'r1', 10)", // live, no sentinel, no clock for e
            "INSERT INTO t (id, a) VALUES (3, 'again')", // deleted: sentinel 2 to 3, no column clock
            "INSERT OR REPLACE INTO t VALUES (3, 'r3', 30, 3.25, 'e3')", // sentinel 3 to 5
            "BEGIN; DELETE FROM t WHERE id = 2; INSERT INTO t VALUES (2, 'bump', 5, NULL, NULL);"
                    + " REPLACE INTO u VALUES ('k', 1, 'y1', NULL); INSERT INTO t (id, a) VALUES (4, 'fresh');"
                    + " REPLACE INTO t (id, a) VALUES (4, 'bump'); COMMIT",
            "SELECT crsql_set_ts('7')",
            "DELETE FROM u WHERE j = 2; INSERT INTO u VALUES ('k', 2, 'x2', 2); REPLACE INTO u VALUES ('k', 2, 'z', 3)",
            "SELECT crsql_set_ts(NULL)",
            "BEGIN; REPLACE INTO t (id) VALUES (1); REPLACE INTO t (id) VALUES (1); INSERT INTO t (id) VALUES (5); COMMIT");

    private static final String CHANGES = "SELECT \"table\", quote(pk), cid, quote(val), col_version, db_version, seq, cl"
            + " FROM crsql_changes ORDER BY db_version, seq, \"table\", pk, cid";

    @TempDir
    Path dir;

    @Test
    void javaWritesAKeySeenBeforeAsFormat10sUpsertDid() throws SQLException {
        try (Replica old = new Replica(dir, "old"); Replica now = new Replica(dir, "now");
                Replica other = new Replica(dir, "other")) {
            for (Replica r : List.of(old, now, other)) {
                for (String sql : SCHEMA) {
                    r.exec(sql);
                }
            }
            toFormat10(old);
            assertThat((String) now.scalar(insertTrigger("t"))).contains("crsql_internal_reinsert(");
            for (String sql : WRITES) {
                old.exec(sql);
                now.exec(sql);
            }
            // merged inserts, of rows deleted and of rows alive, run the insert trigger with capture off: no clock of theirs
            other.exec("INSERT INTO t VALUES (3, 'o3', 1, 1.0, 'o'), (9, 'o9', 1, 1.0, 'o'); DELETE FROM t WHERE id = 9;"
                    + " INSERT INTO t (id, a) VALUES (9, 'o9')");
            other.sendTo(old);
            other.sendTo(now);
            for (String table : List.of("t", "u")) {
                String clock = "SELECT * FROM " + table + "__crsql_clock ORDER BY key";
                assertThat(now.query(clock)).as(table).isEqualTo(old.query(clock));
            }
            assertThat(now.query(CHANGES)).isEqualTo(old.query(CHANGES)).hasSizeGreaterThan(20);
            assertThat(now.query("SELECT * FROM t ORDER BY id")).isEqualTo(old.query("SELECT * FROM t ORDER BY id"));
        }
    }

    @Test
    void aFileOfFormat10GetsTheNewInsertTriggerAfterTheApplicationsOnOpen() throws SQLException {
        try (Replica r = new Replica(dir, "a")) {
            for (String sql : SCHEMA) {
                r.exec(sql);
            }
            toFormat10(r);
            r.exec("UPDATE crsql_master SET value = 10 WHERE key = 'corrosion_format'");
        }
        try (Replica r = new Replica(dir, "a")) {
            assertThat(r.scalar("SELECT value FROM crsql_master WHERE key = 'corrosion_format'"))
                    .isEqualTo((long) CrrMetadata.FORMAT_VERSION);
            for (String table : List.of("t", "u")) {
                assertThat((String) r.scalar(insertTrigger(table))).contains("crsql_internal_reinsert(")
                        .doesNotContain("crsql_internal_reseq");
            }
            // Captured first, the insert takes the fresh-key path; the application's update then bumps b once.
            r.exec("INSERT INTO t (id, a) VALUES (7, 'bump'); INSERT OR REPLACE INTO t (id, a) VALUES (1, 'r1')");
            assertThat(r.query("SELECT cid, col_version, seq, cl FROM crsql_changes WHERE pk = x'010907' ORDER BY seq"))
                    .hasToString("[[a, 1, 0, 1], [d, 1, 2, 1], [e, 1, 3, 1], [b, 2, 4, 1]]");
            assertThat(r.query("SELECT cid, col_version, seq, cl FROM crsql_changes WHERE pk = x'010901' ORDER BY seq"))
                    .hasToString("[[a, 2, 1, 1], [b, 2, 2, 1], [d, 2, 3, 1], [e, 1, 4, 1]]");
        }
    }

    private static String insertTrigger(String table) {
        return "SELECT sql FROM sqlite_master WHERE name = '" + table + "__crsql_itrig'";
    }

    /** Gives every CRR of the replica the insert trigger format 10 made. */
    private static void toFormat10(Replica r) throws SQLException {
        for (String table : List.of("t", "u")) {
            String current = (String) r.scalar(insertTrigger(table));
            String call = "SELECT crsql_internal_reinsert(";
            int from = current.indexOf(call);
            int to = current.indexOf("WHERE changes() = 0;", from) + "WHERE changes() = 0;".length();
            assertThat(from).isPositive();
            String former = current.substring(0, from) + seenBeforeAsFormat10(r.crr.catalog().table(table))
                    + current.substring(to);
            r.exec("DROP TRIGGER " + table + "__crsql_itrig; " + former);
        }
    }

    /**
     * The insert trigger's second statement as format 10 made it (CaptureTriggers.insertTrigger at a2bfa6f): the upsert
     * Java runs now, its values read in SQL after a check of changes().
     */
    private static String seenBeforeAsFormat10(TableInfo t) {
        int n = t.columns().size();
        String source = "(SELECT z.k, crsql_internal_dbv() AS d, crsql_internal_ts() AS ts, z.q FROM (SELECT "
                + CaptureTriggers.key(t, "new") + " AS k, crsql_internal_reseq(" + n + ", " + (n + 1) + ") AS q WHERE"
                + " changes() = 0 LIMIT 1 OFFSET 0) AS z WHERE z.q IS NOT NULL LIMIT 1 OFFSET 0) AS x";
        String upsert = CaptureTriggers.reinsert(t);
        assertThat(upsert).contains(CaptureTriggers.REINSERT_SOURCE);
        return upsert.replace(CaptureTriggers.REINSERT_SOURCE, source) + ";";
    }
}
