package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads at INFO: node start and stop, members joining and leaving; nothing per statement. */
class ReplicationLoggingTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of("io.corrosion");

    @AfterEach
    void release() {
        CorrosionDriver.shutdownAll();
    }

    private List<String> info() {
        return logs.messages(Level.INFO);
    }

    /**
     * Each node its own slot: nodes that claim theirs by a hash of their site ids pick one slot 1 run in 1024, and
     * settling that logs WARN, ERROR and INFO lines, maybe while the statements whose INFO lines are counted run.
     */
    private Connection node(String name, int slot, String seeds) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db") + "?bind=127.0.0.1:0&seeds="
                + seeds + "&tls.insecure=true&node-slot=" + slot);
    }

    @Test
    void startJoinLeaveAndStopAreLoggedAtInfoAndStatementsAreNot() throws Exception {
        try (Connection a = node("a", 1, "")) {
            CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
            String siteA = ca.replicationStats().orElseThrow().siteId();
            Connection b = node("b", 2, ca.replicationStats().orElseThrow().address());
            String siteB = b.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().siteId();
            await().atMost(Duration.ofSeconds(30)).until(() -> ca.members().size() == 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(info())
                    .anySatisfy(m -> assertThat(m).contains("replication started", siteA))
                    .anySatisfy(m -> assertThat(m).contains("replication started", siteB))
                    .anySatisfy(m -> assertThat(m).contains("member up").contains(siteB.substring(0, 8))));

            int before = info().size();
            a.createStatement().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            try (PreparedStatement insert = a.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                for (int i = 0; i < 200; i++) {
                    insert.setString(1, "row " + i);
                    insert.executeUpdate();
                    try (ResultSet rs = a.createStatement().executeQuery("SELECT count(*) FROM t")) {
                        rs.next();
                    }
                }
            }
            assertThat(b.unwrap(CorrosionConnection.class).awaitVersion(ca.lastCommitToken(), Duration.ofSeconds(30)))
                    .isTrue();
            assertThat(info().subList(before, info().size())).as("INFO lines while 400 statements ran")
                    .hasSizeLessThan(5);

            b.close();
            CorrosionDriver.shutdown(dir.resolve("b.db").toString());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(info())
                    .anySatisfy(m -> assertThat(m).contains("replication stopped", siteB))
                    .anySatisfy(m -> assertThat(m).containsPattern("member (left|dead)")
                            .contains(siteB.substring(0, 8))));
        }
    }
}
