package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * a node restored from a backup made through the driver, in a live cluster, serves its former site's versions
 * (big ones sent in several chunks and partly overwritten among them) to a brand-new node that syncs from it alone,
 * and gets the former site's later versions from its peer; every node ends with the same crsql_changes.
 */
class RestoreThirdNodeTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static Connection open(Path file, String settings) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + file
                + "?bind=127.0.0.1:0&tls.insecure=true&sync-interval=300ms" + settings);
        exec(c, "CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, v TEXT, w TEXT)");
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static CorrosionConnection corrosion(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class);
    }

    private static String address(Connection c) throws SQLException {
        return corrosion(c).replicationStats().orElseThrow().address();
    }

    /** One version of n rows with long values: several chunks. */
    private static void bigVersion(Connection c, int from, int n) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO kv VALUES (?, ?, ?)")) {
            for (int i = from; i < from + n; i++) {
                p.setInt(1, i);
                p.setString(2, "v".repeat(120) + i);
                p.setString(3, "w".repeat(120) + i);
                p.executeUpdate();
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    @Test
    void aBrandNewNodeSyncingOnlyFromTheRestoredNodeEndsLikeTheOthers() throws Exception {
        Path fileA = dir.resolve("a.db");
        Path backup = dir.resolve("a-backup.db");
        // Each node its own slot (the restored one too, as the README asks). Claimed slots come from a hash of the
        // site id, and c claims before it has seen any claim: 3 runs in 1024 it picked a slot another node holds,
        // and settling that writes claims again (crsql_changes shows them), which the comparison of c's changes
        // with b's, once their counts match, does not wait for.
        Connection a = open(fileA, "&node-slot=1");
        Connection b = open(dir.resolve("b.db"), "&node-slot=2&seeds=" + address(a));
        exec(b, "INSERT INTO kv VALUES (100000, 'from b', 'b')");
        for (int i = 1; i <= 5; i++) {
            exec(a, "INSERT INTO kv VALUES (" + i + ", 'a', 'a')");
        }
        bigVersion(a, 1000, 600);
        exec(a, "UPDATE kv SET w = 'overwritten' WHERE k >= 1580 AND k < 1600"); // the big version's last seqs
        exec(a, "DELETE FROM kv WHERE k = 2");
        assertThat(corrosion(b).awaitVersion(corrosion(a).lastCommitToken(), Duration.ofSeconds(30))).isTrue();
        exec(a, "BACKUP TO " + backup);
        for (int i = 6; i <= 10; i++) {
            exec(a, "INSERT INTO kv VALUES (" + i + ", 'a', 'a')");
        }
        bigVersion(a, 3000, 600);
        exec(a, "UPDATE kv SET v = 'after the backup' WHERE k = 1");
        assertThat(corrosion(b).awaitVersion(corrosion(a).lastCommitToken(), Duration.ofSeconds(30))).isTrue();
        a.close();
        CorrosionDriver.shutdown(fileA.toString());
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(dir.resolve("a.db" + suffix));
        }
        Files.copy(backup, fileA);

        Connection r = open(fileA, "&node-slot=3&seeds=" + address(b));
        exec(r, "INSERT INTO kv VALUES (200000, 'restored', 'r')");
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.changes(r).equals(Rows.changes(b)));
        Connection c = open(dir.resolve("c.db"), "&node-slot=4&seeds=" + address(r));
        // equal, not only as many: c's own changes (its slot claim) may reach b after c has all of b's
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.changes(c).equals(Rows.changes(b)));
        assertThat(Rows.query(c, "SELECT * FROM kv ORDER BY k")).isEqualTo(Rows.query(b, "SELECT * FROM kv ORDER BY k"));
        for (Connection n : List.of(b, r, c)) {
            ReplicationStats s = corrosion(n).replicationStats().orElseThrow();
            assertThat(s.ownSiteBehind()).isZero();
            assertThat(s.siteIdShared()).isZero();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> corrosion(c).replicationStats().orElseThrow()
                .missingVersions() == 0);
    }
}
