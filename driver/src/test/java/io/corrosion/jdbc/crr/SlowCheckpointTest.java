package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that takes long (a disk that stalls while it syncs the database file) holds back neither the commits nor
 * their delivery to the commit listeners, the replication agent's publisher among them ({@link Checkpointer}).
 */
class SlowCheckpointTest {
    @TempDir
    Path dir;

    @AfterEach
    void noHook() {
        Checkpointer.beforeCheckpoint = file -> { };
    }

    @Test
    void commitsAreDeliveredWhileACheckpointHangs() throws Exception {
        CountDownLatch checkpointing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, v TEXT)",
                "SELECT crsql_as_crr('t')")) {
            String file = dir.resolve("a.db").toRealPath().toString();
            Checkpointer.beforeCheckpoint = f -> {
                if (f.equals(file)) {
                    checkpointing.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            List<Long> heard = new CopyOnWriteArrayList<>();
            try (AutoCloseable listening = r.crr.addCommitListener(c -> heard.add(c.dbVersion()))) {
                int i = 0;
                // commits until the watcher asks for a checkpoint (a while after the first commits)
                while (!checkpointing.await(10, TimeUnit.MILLISECONDS)) {
                    r.exec("INSERT INTO t (v) VALUES ('before " + i++ + "')");
                    assertThat(i).as("commits before a checkpoint began").isLessThan(10_000);
                }
                try {
                    long before = r.crr.dbVersion();
                    for (int k = 0; k < 20; k++) {
                        r.exec("INSERT INTO t (v) VALUES ('during " + k + "')");
                    }
                    long last = r.crr.dbVersion();
                    assertThat(last).isEqualTo(before + 20);
                    await().atMost(Duration.ofSeconds(20)).until(() -> heard.contains(last));
                    assertThat(checkpointing.getCount()).as("the checkpoint still hangs").isZero();
                    assertThat(release.getCount()).isOne();
                } finally {
                    release.countDown();
                }
            }
            // and the checkpoints go on afterwards, for the commits made while it hung
            CountDownLatch next = new CountDownLatch(1);
            Checkpointer.beforeCheckpoint = f -> {
                if (f.equals(file)) {
                    next.countDown();
                }
            };
            assertThat(next.await(20, TimeUnit.SECONDS)).as("a checkpoint after the one that hung").isTrue();
        }
    }

    @Test
    void checkpointsLongerThanTheirPeriodDoNotRunBackToBack() throws Exception {
        List<long[]> checkpoints = new CopyOnWriteArrayList<>(); // start and end of each one's slow part, nanoTime
        try (Replica r = new Replica(dir, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, v TEXT)",
                "SELECT crsql_as_crr('t')")) {
            String file = dir.resolve("a.db").toRealPath().toString();
            long period = LocalJournal.CHECKPOINT_NANOS;
            Checkpointer.beforeCheckpoint = f -> {
                if (f.equals(file)) {
                    long start = System.nanoTime();
                    LockSupport.parkNanos(period + period / 2); // a disk slower than the period
                    checkpoints.add(new long[] {start, System.nanoTime()});
                }
            };
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; checkpoints.size() < 4; i++) {
                assertThat(System.nanoTime()).as("four checkpoints within 30 s").isLessThan(deadline);
                r.exec("INSERT INTO t (v) VALUES ('row " + i + "')");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a steady stream, far below 1000 per period
            }
            // what the replication stats show of them: each took at least its slow part
            CheckpointStats stats = r.crr.checkpointStats();
            long slowMillis = TimeUnit.NANOSECONDS.toMillis(period + period / 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> stats.count() >= 4);
            assertThat(stats.maxMillis()).isGreaterThanOrEqualTo(slowMillis);
            assertThat(stats.millis()).isGreaterThanOrEqualTo(4 * slowMillis).isGreaterThanOrEqualTo(stats.maxMillis());
            assertThat(stats.walPages()).as("the WAL holds the rows' pages, checkpointed or not").isPositive();
        }
        for (int i = 1; i < checkpoints.size(); i++) {
            long gap = checkpoints.get(i)[0] - checkpoints.get(i - 1)[1];
            assertThat(gap).as("from the end of checkpoint %d to the start of the next", i)
                    .isGreaterThanOrEqualTo(LocalJournal.CHECKPOINT_NANOS);
        }
    }
}
