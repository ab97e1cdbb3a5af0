package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's watcher proves a commit nobody reported finished by taking the write lock an instant. An application
 * transaction that has read and is about to write meets that lock, and SQLite refuses its write at once
 * ({@code SQLITE_BUSY}, no busy handler for a transaction that holds a read lock): HikariClusterTest failed so, when the
 * application's thread reported its commit a few milliseconds late on a busy machine. So the commits of a session that
 * reports the end of its calls (the application's connections) are waited for, and only the others are proven.
 */
class LockProofTest {
    private static final long REPORT_WAIT = LocalJournal.reportWaitNanos;

    @TempDir
    Path dir;

    @AfterEach
    void noHook() {
        JournalWatcher.beforeLockProof = file -> { };
        LocalJournal.reportWaitNanos = REPORT_WAIT;
    }

    @Test
    void aReadThenWriteTransactionIsNotRefusedWhileAReportingSessionsCommitAwaitsItsReport() throws Exception {
        List<String> proofs = new CopyOnWriteArrayList<>();
        JournalWatcher.beforeLockProof = proofs::add;
        // the watcher waits this long for the report: a machine that pauses past 100 ms would see a proof
        LocalJournal.reportWaitNanos = TimeUnit.SECONDS.toNanos(60);
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, v TEXT)",
                "SELECT crsql_as_crr('t')");
                Replica other = new Replica(dir, "a")) {
            r.crr.commitFinished(); // the driver reports these sessions' calls, as it does the application's
            other.crr.commitFinished();
            List<Long> heard = new CopyOnWriteArrayList<>();
            CountDownLatch delivered = new CountDownLatch(1);
            try (AutoCloseable listening = r.crr.addCommitListener(c -> {
                heard.add(c.dbVersion());
                delivered.countDown();
            })) {
                r.exec("INSERT INTO t (v) VALUES ('committed, not reported yet')");
                long version = r.crr.dbVersion();
                // another connection reads, then writes, while the watcher waits for the report
                try (Statement s = other.conn.createStatement()) {
                    s.execute("BEGIN");
                    s.executeQuery("SELECT count(*) FROM t").close();
                    for (int i = 0; i < 20; i++) { // 20 writes over the watcher's rounds (one every 2 ms)
                        s.execute("INSERT INTO t (id, v) VALUES (" + (1000 + i) + ", 'other')");
                    }
                    s.execute("COMMIT");
                }
                other.crr.commitFinished(); // its commit finished, and so did every lower version: r's too
                r.crr.commitFinished();
                assertThat(delivered.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(heard).contains(version);
            }
        }
        assertThat(proofs).as("no commit proven by the write lock").isEmpty();
    }

    /**
     * An auto-commit write with RETURNING commits as its results end, after the driver's last word on the call: the
     * end of the results reports it, so it reaches the listeners at once, not after the watcher's wait for a report.
     */
    @Test
    void aReturningWriteIsReportedWhenItsResultsEnd() throws Exception {
        List<String> proofs = new CopyOnWriteArrayList<>();
        JournalWatcher.beforeLockProof = proofs::add;
        String file = dir.resolve("r.db").toString();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:corrosion:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            List<io.corrosion.jdbc.replication.ChangeEvent> heard = new CopyOnWriteArrayList<>();
            try (AutoCloseable listening = c.unwrap(io.corrosion.jdbc.CorrosionConnection.class)
                    .addChangeListener(heard::add)) {
                for (int i = 0; i < 3; i++) {
                    try (java.sql.ResultSet rs = s.executeQuery("INSERT INTO t (v) VALUES ('r" + i + "') RETURNING id")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.next()).isFalse();
                    }
                }
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> heard.size() == 3);
            }
        } finally {
            io.corrosion.jdbc.CorrosionDriver.shutdownAll();
        }
        assertThat(proofs).as("commits proven by the write lock").isEmpty();
    }

    @Test
    void aCommitOfASessionThatDoesNotReportIsProvenByTheWriteLock() throws Exception {
        List<String> proofs = new CopyOnWriteArrayList<>();
        JournalWatcher.beforeLockProof = proofs::add;
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, v TEXT)",
                "SELECT crsql_as_crr('t')")) {
            CountDownLatch delivered = new CountDownLatch(1);
            try (AutoCloseable listening = r.crr.addCommitListener(c -> delivered.countDown())) {
                r.exec("INSERT INTO t (v) VALUES ('nobody reports this')");
                assertThat(delivered.await(20, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(proofs).hasSize(1).allSatisfy(file -> assertThat(file).endsWith("a.db"));
    }
}
