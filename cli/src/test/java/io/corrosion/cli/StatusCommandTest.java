package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes with mutual TLS from certificates {@code corrosion certs} made, joined over QUIC on loopback, and a third
 * that replicates but has no peers; {@code status} reads all three through JMX.
 */
class StatusCommandTest {
    @TempDir
    static Path dir;

    static Connection a;
    static Connection b;
    static Connection lonely;
    static JMXConnectorServer jmx;

    @BeforeAll
    static void cluster() throws Exception {
        Cli certs = Cli.run("certs", "-d", dir.resolve("certs").toString(), "a=127.0.0.1", "b=127.0.0.1");
        assertThat(certs.exitCode()).as(certs.toString()).isZero();
        a = DriverManager.getConnection(url("a", ""));
        b = DriverManager.getConnection(url("b", address(a)));
        lonely = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("lonely.db")
                + "?bind=127.0.0.1:0&tls.insecure=true&node-slot=3");
        for (Connection c : new Connection[] {a, b, lonely}) {
            c.createStatement().execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
        }
        a.createStatement().executeUpdate("INSERT INTO item (name) VALUES ('from a')");
        lonely.createStatement().executeUpdate("INSERT INTO item (name) VALUES ('never sent')");
        lonely.createStatement().executeUpdate("INSERT INTO item (name) VALUES ('never sent either')");
        String token = a.unwrap(CorrosionConnection.class).lastCommitToken();
        assertThat(b.unwrap(CorrosionConnection.class).awaitVersion(token, Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                a.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().membersAlive() == 1);
        jmx = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1"), null,
                ManagementFactory.getPlatformMBeanServer());
        jmx.start();
    }

    private static String url(String node, String seeds) {
        Path certs = dir.resolve("certs");
        // Each node its own slot: a and b start at the same time, and claiming theirs by a hash of their site ids they
        // picked one slot 1 run in 1024; settling that commits claims again, versions of a that b might not have
        // applied yet when status shows how far behind b is.
        return "jdbc:corrosion:" + dir.resolve(node + ".db") + "?bind=127.0.0.1:0&seeds=" + seeds
                + "&tls.ca=" + certs.resolve("ca.pem") + "&tls.cert=" + certs.resolve(node + ".pem")
                + "&tls.key=" + certs.resolve(node + ".key") + "&node-slot=" + (node.equals("a") ? 1 : 2);
    }

    private static String address(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
    }

    private static String site(Connection c) throws SQLException {
        return HexFormat.of().formatHex(c.unwrap(CorrosionConnection.class).siteId());
    }

    @AfterAll
    static void stop() throws Exception {
        if (jmx != null) {
            jmx.stop();
        }
        for (Connection c : new Connection[] {a, b, lonely}) {
            if (c != null) {
                c.close();
            }
        }
        CorrosionDriver.shutdownAll();
    }

    @Test
    void showsMembersVersionsAndHowFarEachNodeIsBehindThroughAJmxUrl() throws Exception {
        Cli r = Cli.run("status", "--jmx", jmx.getAddress().toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String out = r.out();
        for (String node : new String[] {"a.db", "b.db", "lonely.db"}) {
            assertThat(out).contains(dir.resolve(node).toRealPath().toString());
        }
        long versionA = a.unwrap(CorrosionConnection.class).dbVersion();
        long versionLonely = lonely.unwrap(CorrosionConnection.class).dbVersion();
        String siteA = site(a);
        String siteB = site(b);
        String siteLonely = site(lonely);
        String sectionA = section(out, "a.db");
        String sectionB = section(out, "b.db");
        assertThat(sectionA).contains("site " + siteA + " at " + address(a))
                .contains("members: 1 alive, 0 suspect, 0 down")
                .containsPattern(siteB + " 127\\.0\\.0\\.1:\\d+ ALIVE ")
                .containsPattern(siteA + " \\(this node\\) \\| " + versionA + " +\\| 0 +\\| 0")
                // lonely's versions reached nobody: a and b are behind on its site by all of them
                .containsPattern(siteLonely + " +\\| 0 +\\| 0 +\\| " + versionLonely);
        assertThat(sectionB).containsPattern(siteA + " +\\| " + versionA + " +\\| 0 +\\| 0")
                .containsPattern(siteLonely + " +\\| 0 +\\| 0 +\\| " + versionLonely);
        assertThat(section(out, "lonely.db")).contains("members: 0 alive")
                .containsPattern(siteLonely + " \\(this node\\) \\| " + versionLonely + " +\\| 0 +\\| 0")
                .containsPattern(siteA + " +\\| 0 +\\| 0 +\\| " + versionA);
        assertThat(sectionB).containsPattern("changesets: \\d+ broadcast, 0 dropped, [1-9]\\d* received, [1-9]\\d* applied");
        assertThat(sectionA).containsPattern("disk: [1-9]\\d* WAL flushes before sending \\(longest \\d+ ms\\), \\d+"
                + " checkpoints \\(longest \\d+ ms\\), WAL \\d+ pages at the last");
        assertThat(out).doesNotContain("ERROR"); // no node's file is older than its site's history
    }

    @Test
    void attachesToALocalJvmByPid() {
        Cli r = Cli.run("status", "--pid", Long.toString(ProcessHandle.current().pid()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("a.db", "b.db", "lonely.db", "(pid " + ProcessHandle.current().pid() + ")");
    }

    /** The part of the output about one database file. */
    private static String section(String out, String file) throws Exception {
        String path = dir.resolve(file).toRealPath().toString();
        int start = out.indexOf(path + "\n");
        assertThat(start).as(file + " in\n" + out).isNotNegative();
        int end = out.indexOf("\n/", start + 1);
        return out.substring(start, end < 0 ? out.length() : end);
    }
}
