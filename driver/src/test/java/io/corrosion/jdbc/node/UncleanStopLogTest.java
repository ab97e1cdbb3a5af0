package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.JdbcRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The INFO of a recovery after an unclean stop comes after one, not for a new file (from an operator's review). */
class UncleanStopLogTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of("io.corrosion.jdbc.crr.LocalJournal");

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private long uncleanStops() {
        return logs.messages(Level.INFO).stream().filter(m -> m.contains("after an unclean stop")).count();
    }

    @Test
    void aNewFileAndACleanlyClosedOneSayNothingAndAnUncleanStopIsSaid() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("a.db");
        try (Connection c = DriverManager.getConnection(url)) {
            JdbcRows.exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a')");
        }
        CorrosionDriver.shutdownAll();
        try (Connection c = DriverManager.getConnection(url)) {
            JdbcRows.exec(c, "INSERT INTO t VALUES (2, 'b')");
        }
        assertThat(uncleanStops()).as("a new file, then one closed cleanly").isZero();
        CorrosionDriver.shutdownAll();
        // what a process that died leaves: the mark of an open file
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"))) {
            JdbcRows.exec(raw, "UPDATE crsql_master SET value = 0 WHERE key = 'corrosion_clean_close'");
        }
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(JdbcRows.column(c, "SELECT count(*) FROM t")).containsExactly("2");
        }
        assertThat(uncleanStops()).isEqualTo(1);
    }
}
