package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies without closing its database loses none of its committed changes: the version log entries the
 * journal still held in memory are recovered from the clocks when the file opens again, and db versions go on from
 * where they were. The writer is a real second JVM that halts without shutting the driver down.
 */
class CrashRecoveryTest {
    static final int TRANSACTIONS = 150;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /** The child: writes {@code TRANSACTIONS} single-row transactions and an update, then halts. */
    public static void main(String[] args) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + args[0]);
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id integer primary key, v text)");
            for (int i = 1; i <= TRANSACTIONS; i++) {
                s.executeUpdate("insert into t values (" + i + ", 'v" + i + "')");
            }
            s.executeUpdate("update t set v = 'last' where id = 1");
        }
        Runtime.getRuntime().halt(0); // no shutdown hook, no last flush
    }

    @Test
    void committedChangesSurviveAProcessThatDiesBeforeItsLogIsWritten() throws Exception {
        Path file = dir.resolve("crash.db");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashRecoveryTest.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = plain.createStatement()) {
            var rs = s.executeQuery("select count(*) from __corrosion_log");
            rs.next();
            assertThat(rs.getInt(1)).as("the journal had not written every entry when the process died")
                    .isLessThan(TRANSACTIONS + 1);
        }
        try (Node n = new Node(dir, "crash")) {
            List<Change> changes = n.crr.changesSince(0);
            assertThat(changes).hasSize(TRANSACTIONS);
            assertThat(changes).extracting(Change::dbVersion).doesNotHaveDuplicates()
                    .contains((long) TRANSACTIONS + 1).allMatch(v -> v >= 2 && v <= TRANSACTIONS + 1);
            assertThat(n.crr.dbVersion()).isEqualTo(TRANSACTIONS + 1);
            n.exec("insert into t values (1000, 'after')");
            assertThat(n.crr.dbVersion()).isEqualTo(TRANSACTIONS + 2);
        }
    }

    @Test
    void aCleanShutdownWritesTheWholeLog() throws SQLException {
        try (Node n = new Node(dir, "clean")) {
            n.exec("create table t (id integer primary key, v text)", "insert into t values (1, 'x')");
        }
        CorrosionDriver.shutdownAll();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("clean.db"));
                Statement s = plain.createStatement()) {
            var rs = s.executeQuery("select (select count(*) from __corrosion_log), (select value from crsql_master"
                    + " where key = 'corrosion_clean_close')");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(1);
        }
    }
}
