package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Making tables CRRs (A5 restrictions, back-fill) and keeping metadata right through schema changes. */
class CrrSchemaTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "CREATE TABLE x(a TEXT)|PRIMARY_KEY_NOT_NULL",
        "CREATE TABLE x(id INTEGER PRIMARY KEY, e TEXT)|PRIMARY_KEY_NOT_NULL",
        "CREATE TABLE x(a INTEGER NOT NULL, b TEXT, PRIMARY KEY (a, b))|PRIMARY_KEY_NOT_NULL",
        "CREATE TABLE x(id INTEGER PRIMARY KEY NOT NULL, e TEXT UNIQUE)|NO_UNIQUE_INDEX",
        "CREATE TABLE x(id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, e TEXT)|NO_AUTOINCREMENT",
        "CREATE TABLE p(id INTEGER PRIMARY KEY NOT NULL); CREATE TABLE x(id INTEGER PRIMARY KEY NOT NULL, p INTEGER REFERENCES p(id))|NO_FOREIGN_KEYS",
        "CREATE TABLE x(id INTEGER PRIMARY KEY NOT NULL, e TEXT NOT NULL)|NOT_NULL_HAS_DEFAULT"})
    void restrictedSchemasAreRefusedNamingTableRuleAndRemedy(String ddl, CrrRule rule) throws SQLException {
        try (Replica r = new Replica(dir, "a", ddl)) {
            assertThatThrownBy(() -> r.crr.schema().asCrr("x"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Table x cannot be a CRR")
                    .hasMessageContaining("rule " + rule.name())
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            assertThat(r.crr.crrTables()).doesNotContain("x");
            Set<CrrRule> relaxed = EnumSet.allOf(CrrRule.class);
            relaxed.remove(rule);
            if (rule != CrrRule.PRIMARY_KEY_NOT_NULL) {
                r.crr.schema().asCrr("x", relaxed); // each rule can be switched off on its own
                assertThat(r.crr.crrTables()).contains("x");
            }
        }
    }

    @Test
    void existingRowsAreBackFilledInPrimaryKeyOrderUnderOneVersion() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT, b INTEGER DEFAULT 4);"
                + " INSERT INTO t VALUES (3, 'c', 4), (1, NULL, NULL);")) {
            r.crr.schema().asCrr("t");
            assertThat(r.query("SELECT hex(pk), cid, col_version, db_version, seq FROM crsql_changes ORDER BY seq"))
                    .hasToString("[[010901, a, 1, 1, 0], [010901, b, 1, 1, 1], [010903, a, 1, 1, 2], [010903, b, 1, 1, 3]]");
            r.crr.schema().asCrr("t"); // idempotent
            assertThat(r.query("SELECT count(*) FROM crsql_changes")).hasToString("[[4]]");
        }
    }

    @Test
    void addedColumnsGetClocksOnlyWhenWrittenOrNotDefault() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT); SELECT crsql_as_crr('t');"
                + " INSERT INTO t VALUES (1, 'x');")) {
            r.crr.schema().beginAlter("t");
            r.exec("ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'dc'");
            r.crr.schema().commitAlter("t");
            assertThat(r.query("SELECT cid FROM crsql_changes")).hasToString("[[a]]");
            r.exec("UPDATE t SET c = 'set' WHERE id = 1; INSERT INTO t (id) VALUES (2);");
            assertThat(r.query("SELECT hex(pk), cid, val FROM crsql_changes ORDER BY pk, cid"))
                    .hasToString("[[010901, a, x], [010901, c, set], [010902, a, null], [010902, c, dc]]");
        }
    }

    @Test
    void droppedColumnsLoseTheirClocks() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT, b TEXT); SELECT crsql_as_crr('t');"
                + " INSERT INTO t VALUES (1, 'x', 'y');")) {
            r.exec("SELECT crsql_begin_alter('t'); ALTER TABLE t DROP COLUMN b; SELECT crsql_commit_alter('t');");
            assertThat(r.query("SELECT cid FROM crsql_changes")).hasToString("[[a]]");
            r.exec("SELECT crsql_begin_alter('t'); ALTER TABLE t ADD COLUMN b TEXT; SELECT crsql_commit_alter('t');");
            r.exec("UPDATE t SET b = 'new' WHERE id = 1");
            assertThat(r.query("SELECT cid, col_version FROM crsql_changes ORDER BY cid")).hasToString("[[a, 1], [b, 1]]");
        }
    }

    @Test
    void droppingACrrRemovesItFromCrsqlChanges() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT); SELECT crsql_as_crr('t');"
                + " CREATE TABLE u(id INTEGER PRIMARY KEY NOT NULL); SELECT crsql_as_crr('u'); INSERT INTO t VALUES (1, 'x'); INSERT INTO u VALUES (1);")) {
            r.exec("DROP TABLE t");
            r.crr.schema().dropCrr("t");
            assertThat(r.query("SELECT \"table\" FROM crsql_changes")).hasToString("[[u]]");
            assertThat(r.query("SELECT name FROM sqlite_master WHERE name LIKE 't\\_\\_crsql%' ESCAPE '\\'")).isEmpty();
            assertThat(r.crr.dbVersion()).isEqualTo(2); // the log keeps the local version from going back
        }
    }

    @Test
    void tablesChangedOrDroppedBehindTheEngineAreRepairedOnAttach() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT); SELECT crsql_as_crr('t');"
                + " CREATE TABLE gone(id INTEGER PRIMARY KEY NOT NULL); SELECT crsql_as_crr('gone'); INSERT INTO t VALUES (1, 'x');")) {
            r.exec("DROP VIEW crsql_changes; ALTER TABLE t ADD COLUMN c TEXT; DROP TABLE gone;");
        }
        try (Replica r = new Replica(dir, "a")) {
            assertThat(r.crr.crrTables()).containsExactly("t");
            r.exec("UPDATE t SET c = 'captured' WHERE id = 1");
            assertThat(r.query("SELECT cid, val FROM crsql_changes ORDER BY cid")).hasToString("[[a, x], [c, captured]]");
        }
    }

    @Test
    void aConnectionTakesTheCatalogAnotherCheckedOnlyAtThatSchemaVersion() throws SQLException {
        try (Replica held = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT);"
                + " SELECT crsql_as_crr('t');")) {
            try (Replica second = new Replica(dir, "a")) { // checks the file at this version and offers what it read
                assertThat(CheckedCatalog.of(second.crr.journal()).schemaVersion()).isEqualTo(second.crr.catalog().schemaVersion());
            }
            try (Replica third = new Replica(dir, "a")) {
                assertThat(third.crr.catalog().table("t")).as("taken, not read again")
                        .isSameAs(CheckedCatalog.of(third.crr.journal()).byName().get("t"));
            }
            // Behind the engine: a connection without it adds a column; the next connection must repair t's capture
            try (org.sqlite.SQLiteConnection plain = Replica.open(dir.resolve("a.db"))) {
                plain.getDatabase()._exec("ALTER TABLE t ADD COLUMN c TEXT");
            }
            try (Replica fourth = new Replica(dir, "a")) {
                fourth.exec("INSERT INTO t VALUES (1, 'x', 'y')");
                assertThat(fourth.query("SELECT cid, val FROM crsql_changes ORDER BY cid")).hasToString("[[a, x], [c, y]]");
            }
        }
    }

    @Test
    void internalTablesFollowTheHidingRule() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT); SELECT crsql_as_crr('t');"
                + " CREATE TABLE p(a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)); SELECT crsql_as_crr('p');")) {
            assertThat(r.query("SELECT name FROM sqlite_master WHERE name NOT IN ('t', 'p') AND name NOT LIKE 'sqlite%'"
                    + " AND NOT (name LIKE 'crsql\\_%' ESCAPE '\\' OR name LIKE '%\\_\\_crsql\\_%' ESCAPE '\\'"
                    + " OR name LIKE '\\_\\_corrosion\\_%' ESCAPE '\\')")).isEmpty();
            assertThatThrownBy(() -> r.crr.schema().asCrr("__corrosion_log")).hasMessageContaining("internal");
        }
    }

    @Test
    void indexesCanBeAddedToACrrWithoutDisturbingCapture() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT); SELECT crsql_as_crr('t');"
                + " INSERT INTO t VALUES (1, 'x');")) {
            r.exec("CREATE INDEX t_a ON t(a); UPDATE t SET a = 'y' WHERE id = 1;");
            assertThat(r.crr.schema().repairSchema()).isEmpty();
            assertThat(r.query("SELECT cid, val, col_version FROM crsql_changes")).hasToString("[[a, y, 2]]");
        }
    }

    @Test
    void tablesMadeWithoutTheEngineAreListedForUpgrade() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT); SELECT crsql_as_crr('t');"
                + " CREATE TABLE old(id INTEGER PRIMARY KEY NOT NULL, v TEXT); INSERT INTO old VALUES (1, 'kept');")) {
            assertThat(r.crr.schema().nonCrrTables()).containsExactly("old");
            r.crr.schema().asCrr("old");
            assertThat(r.crr.schema().nonCrrTables()).isEmpty();
            assertThat(r.query("SELECT \"table\", cid, val FROM crsql_changes")).hasToString("[[old, v, kept]]");
        }
    }

    @Test
    void compactingTheLogDropsOnlyStaleEntries() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT); SELECT crsql_as_crr('t');")) {
            r.exec("INSERT INTO t VALUES (1, 'x'); INSERT INTO t VALUES (2, 'y');");
            for (int i = 0; i < 5; i++) {
                r.exec("UPDATE t SET a = 'v" + i + "' WHERE id = 1");
            }
            java.util.List<Change> before = r.changes();
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log")).as("still in the journal").isEqualTo(0L);
            r.crr.flushJournal();
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log")).isEqualTo(7L);
            assertThat(r.changes()).isEqualTo(before);
            assertThat(r.crr.schema().compactLog()).isEqualTo(5);
            assertThat(r.changes()).isEqualTo(before);
            assertThat(r.crr.dbVersion()).isEqualTo(7);
            r.exec("DELETE FROM t WHERE id = 1");
            assertThat(r.crr.schema().compactLog()).isEqualTo(1);
            assertThat(r.crr.dbVersion()).isEqualTo(8);
            r.exec("INSERT INTO t VALUES (3, 'z')");
            assertThat(r.crr.dbVersion()).isEqualTo(9);
        }
    }

    @Test
    void flushingTheJournalKeepsEveryKindOfKeyInGroupsAndSingleRows() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE i(id INTEGER PRIMARY KEY NOT NULL, v TEXT);"
                + " CREATE TABLE s(id TEXT PRIMARY KEY NOT NULL, v TEXT); CREATE TABLE c(a INTEGER NOT NULL, b TEXT NOT NULL,"
                + " v TEXT, PRIMARY KEY (a, b)); CREATE TABLE f(id REAL PRIMARY KEY NOT NULL, v TEXT);"
                + " SELECT crsql_as_crr('i'); SELECT crsql_as_crr('s'); SELECT crsql_as_crr('c'); SELECT crsql_as_crr('f');")) {
            for (int rows : new int[] {3, 40}) { // fewer than a group, then a group per table
                StringBuilder tx = new StringBuilder("BEGIN;");
                for (int k = 0; k < rows; k++) {
                    String n = rows + "" + k;
                    tx.append("INSERT INTO i VALUES (").append(n).append(", 'x');")
                      .append("INSERT INTO s VALUES ('k\"\\").append(n).append("é\u0001', 'x');")
                      .append("INSERT INTO c VALUES (").append(n).append(", 'b").append(n).append("', 'x');")
                      .append("INSERT INTO f VALUES (").append(n).append(".5, 'x');");
                }
                r.exec(tx.append("COMMIT;").toString());
            }
            List<Change> before = r.changes();
            assertThat(before).hasSize(4 * 43);
            r.crr.flushJournal();
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log")).isEqualTo(4L * 43);
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log WHERE typeof(key) = 'blob'")).isEqualTo(43L);
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log WHERE typeof(key) = 'real'")).isEqualTo(43L);
            assertThat(r.changes()).isEqualTo(before);
        }
    }

    @Test
    void flushingManySmallTransactionsKeepsEveryKindOfKey() throws SQLException {
        try (Replica r = new Replica(dir, "a", "CREATE TABLE i(id INTEGER PRIMARY KEY NOT NULL, v TEXT);"
                + " CREATE TABLE s(id TEXT PRIMARY KEY NOT NULL, v TEXT); CREATE TABLE b(id BLOB PRIMARY KEY NOT NULL, v TEXT);"
                + " CREATE TABLE c(a INTEGER NOT NULL, b TEXT NOT NULL, v TEXT, PRIMARY KEY (a, b));"
                + " CREATE TABLE f(id REAL PRIMARY KEY NOT NULL, v TEXT); SELECT crsql_as_crr('i'); SELECT crsql_as_crr('s');"
                + " SELECT crsql_as_crr('b'); SELECT crsql_as_crr('c'); SELECT crsql_as_crr('f');")) {
            int transactions = 45; // 225 single rows: several full statements of rows and a padded last one
            for (int k = 0; k < transactions; k++) {
                r.exec("INSERT INTO i VALUES (" + k + ", 'x'); INSERT INTO s VALUES ('k" + k + "' || char(0) || 'z', 'x');"
                        + " INSERT INTO b VALUES (x'00" + String.format("%02x", k) + "', 'x'); INSERT INTO c VALUES (" + k
                        + ", 'b" + k + "', 'x'); INSERT INTO f VALUES (" + k + ".25, 'x');");
            }
            r.exec("UPDATE i SET v = 'y' WHERE id = 3"); // a second version of a row flushed with the same batch
            List<Change> before = r.changes();
            assertThat(before).hasSize(5 * transactions);
            r.crr.flushJournal();
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log")).isEqualTo(5L * transactions + 1);
            for (String type : List.of("integer", "text", "blob", "real")) {
                long expected = type.equals("blob") ? 2L * transactions : transactions + (type.equals("integer") ? 1 : 0);
                assertThat(r.scalar("SELECT count(*) FROM __corrosion_log WHERE typeof(key) = '" + type + "'")).as(type)
                        .isEqualTo(expected);
            }
            assertThat(r.changes()).isEqualTo(before);
        }
    }
}
