package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
    /** Rows of the child's last transaction in "bulk" mode: one JDBC batch, its clock records one range. */
    static final int BATCH = 5000;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /**
     * The child: writes {@code TRANSACTIONS} single-row transactions and an update (and with "bulk", a batch of {@code
     * BATCH} rows), then halts.
     */
    public static void main(String[] args) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + args[0]);
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id integer primary key, v text)");
            for (int i = 1; i <= TRANSACTIONS; i++) {
                s.executeUpdate("insert into t values (" + i + ", 'v" + i + "')");
            }
            s.executeUpdate("update t set v = 'last' where id = 1");
        }
        if (args.length > 1 && args[1].equals("bulk")) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("insert into t (v) values (?)")) {
                for (int i = 0; i < BATCH; i++) {
                    p.setString(1, "batch " + i);
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
        }
        if (args.length > 1 && args[1].equals("undone")) {
            // Two committed transactions whose every write was undone: each takes a db version all the same.
            c.setAutoCommit(false);
            java.sql.Savepoint savepoint = c.setSavepoint();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into t values (100000, 'undone')");
            }
            c.rollback(savepoint);
            c.commit();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into t values (100001, 'undone'), (1, 'the key is taken')");
            } catch (SQLException expected) {
                // the first row was written, then undone with the statement
            }
            c.commit();
        }
        Runtime.getRuntime().halt(0); // no shutdown hook, no last flush
    }

    private void runChild(Path file, String... mode) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashRecoveryTest.class.getName(), file.toString()));
        command.addAll(List.of(mode));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
    }

    @Test
    void aBulkInsertsRangeOfClocksSurvivesTheCrashToo() throws Exception {
        Path file = dir.resolve("bulk.db");
        runChild(file, "bulk");
        try (Node n = new Node(dir, "bulk")) {
            List<Change> changes = n.crr.changesSince(0);
            assertThat(changes).hasSize(TRANSACTIONS + BATCH);
            assertThat(changes.stream().filter(ch -> ch.dbVersion() == TRANSACTIONS + 2)).hasSize(BATCH);
            assertThat(n.crr.dbVersion()).as("the batch's version is not handed out again").isEqualTo(TRANSACTIONS + 2);
            n.exec("insert into t values (100000, 'after')", "update t set v = 'changed' where v = 'batch 7'");
            assertThat(n.crr.dbVersion()).isEqualTo(TRANSACTIONS + 4);
            assertThat(n.crr.changesSince(TRANSACTIONS + 2)).extracting(Change::val).containsExactly("after", "changed");
        }
    }

    /**
     * A committed transaction whose writes were all undone (rolled back to a savepoint, or a failed statement) leaves
     * no trace in the clocks, yet its db version was taken: the agent publishes it, empty. After a crash it must not be
     * handed out again, or peers that booked it empty would drop the next commit as a duplicate.
     */
    @Test
    void theVersionOfATransactionWhoseWritesWereUndoneIsNotHandedOutAgain() throws Exception {
        Path file = dir.resolve("undone.db");
        runChild(file, "undone");
        try (Node n = new Node(dir, "undone")) {
            assertThat(n.crr.dbVersion()).isEqualTo(TRANSACTIONS + 3);
            assertThat(n.crr.changesSince(TRANSACTIONS + 1)).isEmpty();
            n.exec("insert into t values (1000, 'after')");
            assertThat(n.crr.dbVersion()).isEqualTo(TRANSACTIONS + 4);
        }
    }

    @Test
    void committedChangesSurviveAProcessThatDiesBeforeItsLogIsWritten() throws Exception {
        Path file = dir.resolve("crash.db");
        runChild(file);
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
