package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.corrosion.gossip.tls.ClusterCa;
import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionDriver;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The node's own TLS files, checked when the file opens (from an operator's review: both were silent). */
class TlsFilesTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of("io.corrosion");

    private final ClusterCa ca = ClusterCa.create("tls files");
    private final List<String> sans = ClusterCa.subjectAltNamesFor("n1", InetAddress.getLoopbackAddress());

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private String url(String cert, String key) {
        return "jdbc:corrosion:" + dir.resolve("a.db") + "?bind=127.0.0.1:0&tls.ca=" + dir.resolve("ca.pem")
                + "&tls.cert=" + dir.resolve(cert) + "&tls.key=" + dir.resolve(key);
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedNamingIt() throws Exception {
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        ca.issueNode("n1", sans).writePem(dir.resolve("n1.pem"), dir.resolve("n1.key"));
        ca.issueNode("n2", sans).writePem(dir.resolve("n2.pem"), dir.resolve("n2.key"));
        assertThatThrownBy(() -> DriverManager.getConnection(url("n1.pem", "n2.key")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("the private key is not the key of this node's certificate (CN=n1, O=corrosion)")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        try (Connection c = DriverManager.getConnection(url("n1.pem", "n1.key"))) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void anExpiredCertificateIsWarnedOfAtOpen() throws Exception {
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        Instant past = Instant.now().minus(Duration.ofDays(10));
        ca.issueNode("n1", sans, past, past.plus(Duration.ofDays(1))).writePem(dir.resolve("n1.pem"),
                dir.resolve("n1.key"));
        try (Connection c = DriverManager.getConnection(url("n1.pem", "n1.key"))) {
            assertThat(c.isValid(1)).isTrue(); // the application goes on; replication cannot
        }
        assertThat(logs.messages(Level.WARN)).anySatisfy(w -> assertThat(w)
                .contains("This node's certificate (" + dir.resolve("n1.pem") + ") is valid from", "not now"));
    }
}
