package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.corrosion.jdbc.CapturedLogs;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A table's triggers fire in the order SQLite gives them (newest first) after the driver made some of them again; the
 * driver's capture triggers still fire before the application's, so a row an {@code OR FAIL} statement keeps although
 * its AFTER trigger failed replicates; and the driver's UNIQUE checks fire after the application's BEFORE triggers, as
 * SQLite checks constraints after them. Before, renaming the table a trigger body inserts into made that trigger the
 * newest, ahead of the capture, and the row stayed on this node only (found by the random SQL probes); and a UNIQUE
 * index made after a BEFORE trigger (or an ALTER) put its checks ahead of it.
 */
class TriggerFiringOrderTest extends PlainDifferentialTest {
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(SchemaStatements.class);

    private static final String TARGET = "CREATE TABLE t1 (id INTEGER PRIMARY KEY, c3 NOT NULL)";
    private static final String FAILS_ON_TAKEN_ID = "CREATE TRIGGER tr AFTER INSERT ON t0 BEGIN"
            + " INSERT OR IGNORE INTO t1 VALUES (100, NEW.c1); END";
    private static final String AUDIT = "CREATE TABLE audit (k TEXT PRIMARY KEY)";
    private static final String AUDITS_INSERTS = "CREATE TRIGGER tr BEFORE INSERT ON t0 BEGIN INSERT INTO audit"
            + " VALUES (NEW.k); END";

    @Test
    void aRowKeptUnderOrFailAfterItsTriggerFailedReplicatesOnceTheTriggersTargetWasRenamed() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t0 (c0, c1)", TARGET, FAILS_ON_TAKEN_ID,
                "ALTER TABLE t1 RENAME TO t9"), List.of("INSERT INTO t9 VALUES (100, 0)"), "SELECT * FROM t0",
                "INSERT OR FAIL INTO t0 VALUES (1, 2), (3, 4)");
        assertThat(rows).containsExactly(List.of(1L, 2L));
    }

    @Test
    void aKeyedStrictTableToo() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t0 (k TEXT PRIMARY KEY, c1 INTEGER) STRICT", TARGET,
                FAILS_ON_TAKEN_ID, "ALTER TABLE t1 RENAME TO t9"), List.of("INSERT INTO t9 VALUES (100, 0)"),
                "SELECT * FROM t0", "INSERT OR FAIL INTO t0 VALUES ('a', 2)");
        assertThat(rows).containsExactly(List.of("a", 2L));
    }

    @Test
    void theApplicationsTriggersKeepTheirOrderAfterTheRename() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t0 (c0, c1)", TARGET, "CREATE TABLE seen (k TEXT PRIMARY KEY,"
                + " s TEXT)", "CREATE TRIGGER older AFTER INSERT ON t0 BEGIN INSERT INTO t1 VALUES (NEW.c0, NEW.c1);"
                + " UPDATE seen SET s = s || 'older,'; END", "CREATE TRIGGER newer AFTER INSERT ON t0 BEGIN"
                + " UPDATE seen SET s = s || 'newer,'; END", "ALTER TABLE t1 RENAME TO t9"),
                List.of("INSERT INTO seen VALUES ('x', '')"), "SELECT s FROM seen", "INSERT INTO t0 VALUES (1, 2)");
        assertThat(rows).containsExactly(List.of("newer,older,"));
    }

    /** SQLite checks a row's UNIQUE constraints after its BEFORE triggers ran: what they wrote stays if it ignores it. */
    @Test
    void aBeforeTriggersWriteStaysWhenAUniqueIndexMadeAfterItIgnoresTheRow() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t0 (k TEXT PRIMARY KEY, c0)", AUDIT, AUDITS_INSERTS,
                "CREATE UNIQUE INDEX u ON t0 (c0)"), List.of("INSERT INTO t0 VALUES ('a', 1)"),
                "SELECT * FROM audit ORDER BY k", "INSERT OR IGNORE INTO t0 VALUES ('b', 1)");
        assertThat(rows).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void andAfterAnAlterOfTheTableMadeItsChecksAgain() throws SQLException {
        List<List<Object>> rows = same(List.of("CREATE TABLE t0 (k TEXT PRIMARY KEY, c0 UNIQUE)", AUDIT, AUDITS_INSERTS,
                "ALTER TABLE t0 ADD COLUMN c1"), List.of("INSERT INTO t0 VALUES ('a', 1, 1)"),
                "SELECT * FROM audit ORDER BY k", "INSERT OR IGNORE INTO t0 VALUES ('b', 1, 2)",
                "INSERT OR FAIL INTO t0 VALUES ('c', 1, 3)");
        assertThat(rows).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    }

    /** A TEMP trigger fires before the capture whatever the driver does: the driver says so when it is created. */
    @Test
    void aTempTriggerOnAReplicatedTableIsWarnedOfOnce() throws SQLException {
        try (Node a = new Node(dir, "temp")) {
            a.exec("CREATE TABLE t0 (c0, c1)", "CREATE TABLE loose (c0)",
                    "CREATE TEMP TRIGGER tr AFTER INSERT ON t0 BEGIN SELECT 1; END",
                    "CREATE TEMP TABLE scratch (c0)", "CREATE TEMP TRIGGER on_scratch AFTER INSERT ON scratch BEGIN"
                    + " SELECT 1; END", "CREATE TRIGGER main_one AFTER INSERT ON t0 BEGIN SELECT 1; END");
            assertThat(logs.at(Level.WARN)).map(ILoggingEvent::getFormattedMessage).singleElement().asString()
                    .startsWith("TEMP trigger tr on replicated table t0 fires before the driver captures the row");
        }
    }
}
