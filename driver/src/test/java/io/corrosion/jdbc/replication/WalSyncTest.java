package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        n.exec(PERSON);
        n.crr.asCrr("person");
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
    void withSynchronousFullEveryCommitIsOnDiskAndNothingIsFlushed() throws Exception {
        Path file = dir.resolve("full.db");
        try (SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute(PERSON);
            LongAdder flushes = new LongAdder();
            WalSync sync = WalSync.of(c, path -> flushes.increment(), flushes);
            assertThat(sync.flushes()).isFalse();
            assertThat(sync.upTo(7)).isEqualTo(7);
            assertThat(flushes.sum()).isZero();

            s.execute("PRAGMA synchronous=NORMAL");
            WalSync normal = WalSync.of(c, path -> flushes.increment(), new LongAdder());
            assertThat(normal.flushes()).isTrue();
            assertThat(normal.upTo(7)).isEqualTo(7);
            assertThat(flushes.sum()).isEqualTo(1);
        }
    }

    @Test
    void theAgentFlushesUnderTheDefaultSynchronousAndNotUnderFull() throws Exception {
        try {
            for (String synchronous : List.of("NORMAL", "FULL")) {
                try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(synchronous + ".db")
                        + "?bind=127.0.0.1:0&tls.insecure=true&synchronous=" + synchronous);
                        Statement s = c.createStatement()) {
                    s.execute(PERSON);
                    s.execute("INSERT INTO person VALUES (1, 'a')");
                    CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
                    await().atMost(Duration.ofSeconds(20)).until(() -> {
                        ReplicationStats stats = cc.replicationStats().orElseThrow();
                        return stats.localVersionsPublished() > 0 && stats.publishBacklog() == 0;
                    });
                    long flushes = cc.replicationStats().orElseThrow().walFlushes();
                    if (synchronous.equals("FULL")) {
                        assertThat(flushes).as("every commit flushed itself").isZero();
                    } else {
                        assertThat(flushes).isPositive();
                    }
                }
            }
        } finally {
            CorrosionDriver.shutdownAll();
        }
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
