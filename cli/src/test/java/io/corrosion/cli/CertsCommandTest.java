package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.tls.ClusterCa;
import io.corrosion.gossip.tls.NodeCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
    @TempDir
    Path dir;

    @Test
    void makesACaAndNodeCertificatesSignedByItThatNameTheirAddresses() throws Exception {
        Cli r = Cli.run("certs", "--dir", dir.toString(), "node-1=10.1.2.3", "node-2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        ClusterCa ca = ClusterCa.load(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        for (String node : List.of("node-1", "node-2")) {
            NodeCredentials credentials = NodeCredentials.load(dir.resolve(node + ".pem"), dir.resolve(node + ".key"));
            X509Certificate cert = credentials.certificate();
            cert.verify(ca.certificate().getPublicKey());
            assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + node);
            assertThat(sans(cert)).contains("127.0.0.1", "localhost", node);
            assertThat(Files.getPosixFilePermissions(dir.resolve(node + ".key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(sans(NodeCredentials.load(dir.resolve("node-1.pem"), dir.resolve("node-1.key")).certificate()))
                .contains("10.1.2.3");
        assertThat(r.out()).contains("tls.ca=" + dir.resolve("ca.pem").toAbsolutePath()
                + "&tls.cert=" + dir.resolve("node-2.pem").toAbsolutePath()
                + "&tls.key=" + dir.resolve("node-2.key").toAbsolutePath());
    }

    @Test
    void aLaterRunReusesTheCaAndRefusesToOverwriteANode() throws Exception {
        assertThat(Cli.run("certs", "-d", dir.toString(), "a").exitCode()).isZero();
        byte[] caBefore = Files.readAllBytes(dir.resolve("ca.pem"));
        byte[] aBefore = Files.readAllBytes(dir.resolve("a.pem"));

        Cli again = Cli.run("certs", "-d", dir.toString(), "b");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("reusing");
        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(caBefore);
        X509Certificate ca = ClusterCa.load(dir.resolve("ca.pem"), dir.resolve("ca.key")).certificate();
        NodeCredentials.load(dir.resolve("b.pem"), dir.resolve("b.key")).certificate().verify(ca.getPublicKey());

        Cli clash = Cli.run("certs", "-d", dir.toString(), "a");
        assertThat(clash.exitCode()).as(clash.toString()).isEqualTo(1);
        assertThat(clash.err()).contains("error: " + dir.resolve("a.pem") + " exists already").contains("--force");
        assertThat(Files.readAllBytes(dir.resolve("a.pem"))).isEqualTo(aBefore);
        assertThat(Cli.run("certs", "-d", dir.toString(), "--force", "a").exitCode()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("a.pem"))).isNotEqualTo(aBefore);
    }

    @Test
    void badArgumentsAreRefusedWithUsage() throws Exception {
        Cli noDir = Cli.run("certs", "a");
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).contains("Missing required option: '--dir=DIR'");

        Cli noNode = Cli.run("certs", "-d", dir.toString());
        assertThat(noNode.exitCode()).isEqualTo(2);
        assertThat(noNode.err()).contains("Missing required parameter: 'NODE[=ADDRESS]'");

        Cli badName = Cli.run("certs", "-d", dir.toString(), "../evil");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).contains("Bad node name '../evil'");

        for (String ca : new String[] {"ca", "CA=10.0.0.9"}) { // its files would be the cluster CA's
            Cli named = Cli.run("certs", "-d", dir.toString(), "n1", ca);
            assertThat(named.exitCode()).as(ca).isEqualTo(2);
            assertThat(named.err()).contains("cluster CA's files");
        }

        Cli twice = Cli.run("certs", "-d", dir.toString(), "n1=10.0.0.1", "N1=10.0.0.2");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("named twice");
        Cli badSan = Cli.run("certs", "-d", dir.toString(), "--san", "bad name!", "n1");
        assertThat(badSan.exitCode()).isEqualTo(2);
        assertThat(badSan.err()).contains("Bad --san 'bad name!'");

        Cli emptyAddress = Cli.run("certs", "-d", dir.toString(), "a=");
        assertThat(emptyAddress.exitCode()).isEqualTo(2);
        assertThat(emptyAddress.err()).contains("Node a: an empty address");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aFileGivenAsTheDirectoryIsNamed() throws Exception {
        Path file = Files.createFile(dir.resolve("afile"));
        Cli r = Cli.run("certs", "-d", file.toString(), "n1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(file + " is not a directory");
    }

    @Test
    void aDirectoryWithHalfACaIsNotSilentlyReplaced() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "not really");
        Cli r = Cli.run("certs", "-d", dir.toString(), "a");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("holds only one of ca.pem and ca.key");
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo("not really");
    }

    private static List<String> sans(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(e -> e.get(1).toString()).toList();
    }
}
