package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * A local version leaves the node only once it is on disk. With {@code synchronous=NORMAL} a commit is in the WAL file
 * but not flushed; a power loss could take a version its peers already hold, and the node's next commit would take
 * that number again (peers drop it as a duplicate). The model of a power loss here: what survives is what the last
 * flush of the WAL file covered.
 */
class WalSyncTest {
    private static final String PERSON = "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT)";

    @TempDir
    Path dir;
    private StoreNode node;

    @AfterEach
    void close() throws SQLException {
        if (node != null) {
            node.close();
        }
    }

    /** The newest local version each flush covered (the committed version when it ran), in order. */
    private final List<Long> flushedUpTo = new ArrayList<>();
    private final List<Path> flushedFiles = new ArrayList<>();
    private boolean diskFails;

    private StoreNode recordingNode() throws SQLException {
        StoreNode n = new StoreNode(dir.resolve("a.db"));
        n.handOff = round -> assertThat(highestVersion(round)).as("what leaves survives a power loss, when it leaves")
                .isLessThanOrEqualTo(survivesPowerLoss());
        n.exec(PERSON);
        n.crr.schema().asCrr("person");
        n.flush = path -> {
            if (diskFails) {
                throw new IOException("EIO (test)");
            }
            WalSync.FDATASYNC.flush(path);
            flushedFiles.add(path);
            try {
                flushedUpTo.add(n.app.dbVersion());
            } catch (SQLException e) {
                throw new IOException(e);
            }
        };
        return n;
    }

    private long survivesPowerLoss() {
        return flushedUpTo.isEmpty() ? 0 : flushedUpTo.get(flushedUpTo.size() - 1);
    }

    private static long highestVersion(List<Changeset> changesets) {
        long max = 0;
        for (Changeset cs : changesets) {
            max = Math.max(max, cs instanceof Changeset.Full f ? f.version() : ((Changeset.Empty) cs).versions().end());
        }
        return max;
    }

    @Test
    void aPublishRoundFlushesTheWalBeforeItsVersionsLeave() throws Exception {
        node = recordingNode();
        node.exec("INSERT INTO person VALUES (1, 'a')").exec("INSERT INTO person VALUES (2, 'b')");
        List<Changeset> sent = node.publish();

        assertThat(highestVersion(sent)).isEqualTo(node.app.dbVersion());
        assertThat(flushedFiles).containsExactly(Path.of(node.file + "-wal"));
        assertThat(highestVersion(sent)).as("what left survives a power loss").isLessThanOrEqualTo(survivesPowerLoss());

        assertThat(node.publish()).as("nothing new").isEmpty();
        assertThat(flushedFiles).as("nothing new to flush").hasSize(1);
        assertThat(node.counters.walFlushes.sum()).isEqualTo(1);
    }

    @Test
    void syncOffersOnlyVersionsOnDisk() throws Exception {
        node = recordingNode();
        node.exec("INSERT INTO person VALUES (1, 'a')");
        node.publish();
        node.exec("INSERT INTO person VALUES (2, 'b')"); // committed, not published yet

        long offered = node.store.syncState().head(node.site);
        assertThat(offered).isEqualTo(node.app.dbVersion()).isLessThanOrEqualTo(survivesPowerLoss());
        List<Changeset> served = node.store.read(List.of(new SyncNeed.Full(node.site, new LongRange(1, 100))),
                1 << 20).changesets();
        assertThat(highestVersion(served)).isEqualTo(offered);
        assertThat(flushedUpTo).hasSize(2);
    }

    @Test
    void whileTheDiskFailsLocalVersionsStayAndLeaveOnceAFlushWorks() throws Exception {
        node = recordingNode();
        node.exec("INSERT INTO person VALUES (1, 'a')");
        node.publish();
        long before = node.app.dbVersion();

        diskFails = true;
        node.exec("INSERT INTO person VALUES (2, 'b')");
        assertThat(node.publish()).as("not on disk: does not leave").isEmpty();
        assertThat(node.publisher.behind()).isTrue();
        assertThat(node.store.syncState().head(node.site)).as("nor does sync offer it").isEqualTo(before);

        diskFails = false;
        List<Changeset> sent = node.publish();
        assertThat(highestVersion(sent)).isEqualTo(node.app.dbVersion()).isGreaterThan(before);
        assertThat(node.publisher.behind()).isFalse();
        assertThat(highestVersion(sent)).isLessThanOrEqualTo(survivesPowerLoss());
    }

    @Test
    void inWalModeItFlushesWhateverSynchronousSaysAndInARollbackJournalModeNot() throws Exception {
        LongAdder flushes = new LongAdder();
        for (String mode : List.of("FULL", "NORMAL")) {
            try (SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("wal.db"));
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + mode); // per connection: another may commit at NORMAL
                WalSync sync = WalSync.of(c, path -> flushes.increment(), new AgentCounters());
                assertThat(sync.flushes()).as(mode).isTrue();
                assertThat(sync.upTo(7)).isEqualTo(7);
            }
        }
        assertThat(flushes.sum()).isEqualTo(2);
        try (SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("rb.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
            WalSync sync = WalSync.of(c, path -> flushes.increment(), new AgentCounters());
            assertThat(sync.flushes()).isFalse();
            assertThat(sync.upTo(7)).isEqualTo(7);
            assertThat(flushes.sum()).isEqualTo(2);
        }
    }

    @Test
    void theAgentFlushesForAConnectionAtNormalThoughItsOwnRunAtFull() throws Exception {
        String url = "jdbc:corrosion:" + dir.resolve("mixed.db") + "?bind=127.0.0.1:0&tls.insecure=true&synchronous=";
        try (Connection full = DriverManager.getConnection(url + "FULL"); // starts the agent: its connections at FULL
                Connection normal = DriverManager.getConnection(url + "NORMAL");
                Statement s = normal.createStatement()) {
            assertThat(Rows.query(normal, "PRAGMA synchronous")).containsExactly(List.of(1L));
            s.execute(PERSON);
            for (int i = 1; i <= 5; i++) {
                s.execute("INSERT INTO person VALUES (" + i + ", 'a')");
            }
            CorrosionConnection cc = normal.unwrap(CorrosionConnection.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ReplicationStats stats = cc.replicationStats().orElseThrow();
                return stats.localVersionsPublished() > 0 && stats.publishBacklog() == 0;
            });
            ReplicationStats stats = cc.replicationStats().orElseThrow();
            assertThat(stats.walFlushes()).isPositive();
            assertThat(stats.walFlushMaxMillis()).isLessThanOrEqualTo(stats.walFlushMillis());
        } finally {
            CorrosionDriver.shutdownAll();
        }
    }

    /**
     * On a disk that stalls, the flush before a publish takes as long as the stall: its time shows in the stats, and a
     * flush of a second or more is logged, at most once a minute, with the count of those not logged. A fake clock
     * that each flush moves on by the time it "took".
     */
    @Test
    void slowFlushesAreCountedAndLoggedAtMostOnceAMinute() {
        long[] now = {0};
        long[] takes = {0};
        AgentCounters counters = new AgentCounters();
        WalSync sync = new WalSync(dir.resolve("slow.db-wal"), path -> now[0] += takes[0], counters, () -> now[0]);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger log = (Logger) LoggerFactory.getLogger(WalSync.class);
        logs.start();
        log.addAppender(logs);
        try {
            long version = 0;
            for (long tookMillis : new long[] {3, 1_500, 2_000, 900, 1_000}) { // within a minute of the first slow one
                takes[0] = TimeUnit.MILLISECONDS.toNanos(tookMillis);
                assertThat(sync.upTo(++version)).isEqualTo(version);
            }
            assertThat(logs.list).hasSize(1);
            assertThat(logs.list.get(0).getLevel()).isEqualTo(Level.WARN);
            assertThat(logs.list.get(0).getFormattedMessage()).contains("took 1500 ms", "slow.db-wal")
                    .doesNotContain("more flushes");
            now[0] += TimeUnit.MINUTES.toNanos(1);
            takes[0] = TimeUnit.MILLISECONDS.toNanos(1_200);
            sync.upTo(++version);
            assertThat(logs.list).hasSize(2);
            assertThat(logs.list.get(1).getFormattedMessage()).contains("took 1200 ms",
                    "2 more flushes of a second or more since the last such line");
        } finally {
            log.detachAppender(logs);
        }
        assertThat(counters.walFlushes.sum()).isEqualTo(6);
        assertThat(TimeUnit.NANOSECONDS.toMillis(counters.walFlushNanos.sum())).isEqualTo(3 + 1_500 + 2_000 + 900 + 1_000 + 1_200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(counters.walFlushMaxNanos.get())).isEqualTo(2_000);
    }

    @Test
    void theRealFlushSyncsAnExistingWalAndAcceptsAMissingOne() throws Exception {
        Path wal = dir.resolve("x.db-wal");
        Files.write(wal, new byte[4096]);
        WalSync.FDATASYNC.flush(wal);
        WalSync.FDATASYNC.flush(dir.resolve("none.db-wal"));
        assertThat(Files.size(wal)).isEqualTo(4096);
    }
}
