package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "One file, one node". A copy made through the driver ({@code BACKUP TO}, {@code VACUUM INTO}) loses the node's
 * identity, so a node restored or seeded from it runs as a new site and loses nothing. A copy made beside the driver
 * keeps it, and breaks the rule two ways the driver cannot repair but makes visible (stats, JMX, an ERROR naming the
 * remedy: an empty file, or {@link CorrosionDriver#forgetNodeIdentity} on the copy). A node's file restored from a backup is older than its site's history: the peers hold later
 * versions of its site, and its next commits take those numbers again, which the peers drop as duplicates (the node's
 * own lost versions cannot be merged back: its site's versions come from its own journal). A copy of a node's file
 * started as another node runs with the same site id: both nodes' commits take the same versions.
 */
class RestoredFileTest {
    private static final String KV = "CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, v TEXT)";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static Connection open(Path file, String settings) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + file
                + "?bind=127.0.0.1:0&tls.insecure=true&sync-interval=300ms" + settings);
        exec(c, KV);
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Stops the node of {@code file} and puts {@code backup} in place of its file. */
    private static void restoreOver(Connection node, Path file, Path backup) throws Exception {
        node.close();
        CorrosionDriver.shutdown(file.toString());
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        Files.copy(backup, file);
    }

    private static CorrosionConnection corrosion(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class);
    }

    @Test
    void aNodeRestoredFromABackupReportsThatItsPeersHoldMoreOfItsOwnSite() throws Exception {
        Path fileA = dir.resolve("a.db");
        Path backup = dir.resolve("a-backup.db");
        Connection a = open(fileA, "");
        Connection b = open(dir.resolve("b.db"), "&seeds=" + corrosion(a).replicationStats().orElseThrow().address());
        CorrosionConnection cb = corrosion(b);
        for (int i = 1; i <= 10; i++) {
            exec(a, "INSERT INTO kv VALUES (" + i + ", 'a')");
            if (i == 5) {
                assertThat(cb.awaitVersion(corrosion(a).lastCommitToken(), Duration.ofSeconds(30))).isTrue();
                try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + fileA);
                        Statement s = plain.createStatement()) {
                    s.execute("VACUUM INTO '" + backup + "'");
                }
            }
        }
        assertThat(cb.awaitVersion(corrosion(a).lastCommitToken(), Duration.ofSeconds(30))).isTrue();
        assertThat(corrosion(a).replicationStats().orElseThrow().ownSiteBehind()).isZero();
        assertThat(cb.replicationStats().orElseThrow().ownSiteBehind()).isZero();
        restoreOver(a, fileA, backup);

        Connection restored = open(fileA, "&seeds=" + cb.replicationStats().orElseThrow().address());
        CorrosionConnection cr = corrosion(restored);
        await().atMost(Duration.ofSeconds(30)).until(() -> cr.replicationStats().orElseThrow().ownSiteBehind() > 0);
        assertThat(cb.replicationStats().orElseThrow().ownSiteBehind()).isZero();
        assertThat(Rows.query(restored, "SELECT count(*) FROM kv")).containsExactly(List.of(5L));
    }

    @Test
    void aNodeRestoredFromABackupMadeThroughTheDriverRunsAsANewSiteAndLosesNothing() throws Exception {
        Path fileA = dir.resolve("a.db");
        Path backup = dir.resolve("a-backup.db");
        Connection a = open(fileA, "");
        Connection b = open(dir.resolve("b.db"), "&seeds=" + corrosion(a).replicationStats().orElseThrow().address());
        CorrosionConnection cb = corrosion(b);
        byte[] formerSite = corrosion(a).siteId();
        for (int i = 1; i <= 10; i++) {
            exec(a, "INSERT INTO kv VALUES (" + i + ", 'a')");
            if (i == 5) {
                exec(a, "BACKUP TO " + backup);
            }
        }
        assertThat(cb.awaitVersion(corrosion(a).lastCommitToken(), Duration.ofSeconds(30))).isTrue();
        restoreOver(a, fileA, backup);

        Connection restored = open(fileA, "&seeds=" + cb.replicationStats().orElseThrow().address());
        CorrosionConnection cr = corrosion(restored);
        assertThat(cr.siteId()).isNotEqualTo(formerSite);
        exec(restored, "INSERT INTO kv VALUES (11, 'restored')");
        assertThat(cb.awaitVersion(cr.lastCommitToken(), Duration.ofSeconds(30))).as("its next write reaches its peer")
                .isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.changes(restored).equals(Rows.changes(b)));
        assertThat(Rows.query(restored, "SELECT count(*) FROM kv")).containsExactly(List.of(11L));
        for (CorrosionConnection c : List.of(cr, cb)) {
            assertThat(c.replicationStats().orElseThrow().ownSiteBehind()).isZero();
            assertThat(c.replicationStats().orElseThrow().siteIdShared()).isZero();
        }
    }

    @Test
    void aCopyMadeThroughTheDriverStartsBesideItsOriginalAsANewNodeInItsOwnKeySlot() throws Exception {
        Path fileA = dir.resolve("a.db");
        Connection a = open(fileA, "");
        exec(a, "CREATE TABLE g (id INTEGER PRIMARY KEY, v TEXT)");
        exec(a, "INSERT INTO g (v) VALUES ('before the copy')");
        Path copy = dir.resolve("copy.db");
        exec(a, "VACUUM INTO '" + copy + "'");
        Connection c = open(copy, "&seeds=" + corrosion(a).replicationStats().orElseThrow().address());
        assertThat(corrosion(c).siteId()).isNotEqualTo(corrosion(a).siteId());
        exec(a, "INSERT INTO g (v) VALUES ('a')");
        exec(c, "INSERT INTO g (v) VALUES ('c')");
        for (Connection node : List.of(a, c)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Rows.query(node, "SELECT v FROM g ORDER BY v")
                    .equals(List.of(List.of("a"), List.of("before the copy"), List.of("c"))));
            assertThat(corrosion(node).replicationStats().orElseThrow().siteIdShared()).isZero();
        }
    }

    @Test
    void aCopyOfANodesFileStartedAsAnotherNodeIsReportedOnBoth() throws Exception {
        Path fileA = dir.resolve("a.db");
        Connection a = open(fileA, "");
        exec(a, "INSERT INTO kv VALUES (1, 'a')");
        Path copy = dir.resolve("copy.db");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + fileA);
                Statement s = plain.createStatement()) {
            s.execute("VACUUM INTO '" + copy + "'");
        }
        Connection b = open(copy, "&seeds=" + corrosion(a).replicationStats().orElseThrow().address());
        assertThat(corrosion(b).siteId()).isEqualTo(corrosion(a).siteId());
        for (Connection c : List.of(a, b)) {
            CorrosionConnection cc = corrosion(c);
            await().atMost(Duration.ofSeconds(30)).until(() -> cc.replicationStats().orElseThrow().siteIdShared() > 0);
        }
    }
}
