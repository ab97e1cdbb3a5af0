package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
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
    /**
     * The "bulk" node's slot: its batch generates keys, and the test then supplies the key 100000 itself; in a slot
     * picked by a hash of the site id, 1 run in 1024 (slot 671) the batch had generated that key already.
     */
    static final String BULK_SLOT = "node-slot=1";

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
        String mode = args.length > 1 ? args[1] : "";
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + args[0]
                + (mode.equals("same-tombstone") ? "?merge-equal-values=true" : "")
                + (mode.equals("bulk") ? "?" + BULK_SLOT : ""));
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
        if (mode.equals("drop-column")) {
            // A version whose only trace is a column's clock, then the column goes.
            try (Statement s = c.createStatement()) {
                s.execute("alter table t add column b text");
                s.executeUpdate("update t set b = 'x' where id = 2");
                System.out.println("DBVERSION=" + c.unwrap(CorrosionConnection.class).dbVersion());
                s.execute("alter table t drop column b");
            }
        }
        if (mode.equals("same-tombstone")) {
            // A local delete, then the same delete from a higher site id: merge-equal-values keeps that one's
            // tombstone, which replaces the local delete's only trace (and impacts no row).
            try (Statement s = c.createStatement()) {
                s.executeUpdate("delete from t where id = 3");
                System.out.println("DBVERSION=" + c.unwrap(CorrosionConnection.class).dbVersion());
                s.executeUpdate("insert into crsql_changes (\"table\", pk, cid, val, col_version, db_version, site_id,"
                        + " cl, seq) values ('t', crsql_pack_columns(3), '-1', NULL, 2, 7,"
                        + " X'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 2, 0)");
            }
        }
        if (mode.equals("failed-ddl")) {
            failedSchemaChangeThenFlush(c);
        }
        if (mode.equals("close-race")) {
            String url = "jdbc:corrosion:" + args[0];
            java.util.concurrent.CompletableFuture<Connection> second = io.corrosion.jdbc.crr.JournalCloseRace
                    .openWhileClosing(Path.of(args[0]), () -> DriverManager.getConnection(url));
            CorrosionDriver.shutdown(url);
            try (Statement s = second.get(60, TimeUnit.SECONDS).createStatement()) {
                s.executeUpdate("insert into t values (" + (TRANSACTIONS + 1) + ", 'after the race')");
            }
        }
        if (mode.equals("failed-ddl-version")) {
            // The transaction's only write is in a string beside an ALTER, and fails: its version was taken inside
            // the schema change's savepoint, and the transaction commits.
            try (Statement s = c.createStatement()) {
                s.execute("create table w (id integer primary key, v text)");
                c.setAutoCommit(false);
                try {
                    s.executeUpdate("alter table t add column b text; insert into w values (1, 'x'), (1, 'again')");
                    throw new AssertionError("the duplicate key was inserted");
                } catch (SQLException expected) {
                    // the whole string is undone
                }
                c.commit();
                System.out.println("DBVERSION=" + c.unwrap(CorrosionConnection.class).dbVersion());
            }
        }
        Runtime.getRuntime().halt(0); // no shutdown hook, no last flush
    }

    /**
     * In an application transaction, a schema change whose first part flushed the journal (ALTER TABLE) fails in its
     * second (the UNIQUE constraint's index is named like a table) and is undone; the transaction commits, and a later
     * flush writes the watermark. The watcher is held in a commit listener meanwhile, so it cannot confirm the
     * watermark in between.
     */
    private static void failedSchemaChangeThenFlush(Connection c) throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        c.unwrap(CorrosionConnection.class).addCommitListener(commit -> {
            held.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into t values (" + (TRANSACTIONS + 1) + ", 'heard')");
            if (!held.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the watcher delivered no commit");
            }
            c.setAutoCommit(false);
            try {
                s.executeUpdate("alter table t add column b text;"
                        + " create table u (id integer primary key, x text, constraint t unique (x))");
                throw new AssertionError("the index named like table t was created");
            } catch (SQLException expected) {
                System.out.println("FAILED=" + expected.getMessage());
            }
            c.commit();
            c.setAutoCommit(true);
            s.execute("alter table t add column c text"); // flushes the journal and writes the watermark
        }
    }

    /**
     * A schema change that fails inside an application transaction undoes the journal flush it made: the transaction
     * that commits afterwards must not move the watermark past entries the file does not hold, or a later flush writes
     * that watermark and a crash loses them from the version log.
     */
    @Test
    void aFailedSchemaChangeInATransactionLosesNoLogEntryToACrash() throws Exception {
        runChild(dir.resolve("failed-ddl.db"), "failed-ddl");
        assertThat(Files.readString(dir.resolve("child.log"))).contains("FAILED=").contains("already a table named t");
        try (Node n = new Node(dir, "failed-ddl")) {
            List<Change> changes = n.crr.changesSince(0);
            assertThat(changes).extracting(Change::dbVersion).as("every committed version can still be synced")
                    .contains((long) TRANSACTIONS + 1, (long) TRANSACTIONS + 2).hasSize(TRANSACTIONS + 1);
        }
    }

    /**
     * A write that takes the transaction's db version beside a schema change, and fails with it: the version is taken
     * all the same once the transaction commits, so the record of it must outlive the undoing of the schema change.
     */
    @Test
    void theVersionTakenInAFailedSchemaChangeIsNotHandedOutAgain() throws Exception {
        runChild(dir.resolve("failed-ddl-version.db"), "failed-ddl-version");
        long taken = printedDbVersion();
        try (Node n = new Node(dir, "failed-ddl-version")) {
            assertThat(taken).isEqualTo(TRANSACTIONS + 2);
            assertThat(n.crr.dbVersion()).as("the db version after the restart").isEqualTo(taken);
        }
    }

    /**
     * A connection opened while the file shuts down starts the file's next journal: the last flush of the one closing
     * must not mark the file cleanly closed under it, or a crash later skips the recovery of its commits.
     */
    @Test
    void aConnectionOpenedWhileTheFileShutsDownLosesNothingToACrash() throws Exception {
        runChild(dir.resolve("close-race.db"), "close-race");
        try (Node n = new Node(dir, "close-race")) {
            assertThat(n.crr.changesSince(TRANSACTIONS + 1)).extracting(Change::val).containsExactly("after the race");
        }
    }

    /** The child's db version as it printed it ({@code DBVERSION=n}) before its last step. */
    private long printedDbVersion() throws Exception {
        for (String line : Files.readAllLines(dir.resolve("child.log"))) {
            if (line.startsWith("DBVERSION=")) {
                return Long.parseLong(line.substring("DBVERSION=".length()));
            }
        }
        throw new AssertionError("the child printed no db version");
    }

    /**
     * A schema change or a merge that clears the last trace of a local version (a dropped column's clock, a tombstone a
     * duplicate delete replaced) records it first: after a crash the number is not handed out again.
     */
    @Test
    void aVersionWhoseLastTraceWentIsNotHandedOutAgain() throws Exception {
        for (String mode : List.of("drop-column", "same-tombstone")) {
            runChild(dir.resolve(mode + ".db"), mode);
            long taken = printedDbVersion();
            String[] query = mode.equals("same-tombstone") ? new String[] {"merge-equal-values=true"} : new String[0];
            try (Node n = new Node(dir, mode, query)) {
                assertThat(n.crr.dbVersion()).as("%s: the db version after the restart", mode)
                        .isGreaterThanOrEqualTo(taken);
                n.exec("insert into t (id, v) values (1000, 'after')");
                assertThat(n.crr.dbVersion()).as(mode).isGreaterThan(taken);
            }
        }
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
        try (Node n = new Node(dir, "bulk", BULK_SLOT)) {
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
