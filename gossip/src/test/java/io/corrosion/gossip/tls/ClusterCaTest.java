package io.corrosion.gossip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {

    private static final ClusterCa CA = ClusterCa.create("dev CA");

    @TempDir
    Path dir;

    private static Set<String> subjectAltNames(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream()
                .map(san -> (san.get(0).equals(7) ? "ip:" : "dns:") + san.get(1)).collect(Collectors.toSet());
    }

    @Test
    void nodeCertificateCarriesIpAndDnsNamesAndBothTlsRoles() throws Exception {
        InetAddress bind = InetAddress.getByName("10.1.2.3");
        NodeCredentials node = CA.issueNode("node-1", ClusterCa.subjectAltNamesFor("node-1", bind));
        X509Certificate certificate = node.certificate();

        certificate.verify(CA.certificate().getPublicKey());
        certificate.checkValidity();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=node-1,O=corrosion");
        assertThat(subjectAltNames(certificate)).containsExactlyInAnyOrder(
                "ip:127.0.0.1", "ip:0:0:0:0:0:0:0:1", "ip:10.1.2.3", "dns:localhost", "dns:node-1");
        assertThat(certificate.getExtendedKeyUsage())
                .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // serverAuth, clientAuth
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(CA.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void wildcardBindAddressIsNotPutInTheCertificate() {
        assertThat(ClusterCa.subjectAltNamesFor("n", InetAddress.getLoopbackAddress()))
                .containsExactly("127.0.0.1", "::1", "localhost", "n");
        assertThat(ClusterCa.subjectAltNamesFor("not a host name", null))
                .containsExactly("127.0.0.1", "::1", "localhost");
    }

    @Test
    void pemFilesRoundTripAndTheKeyIsPrivate() throws Exception {
        NodeCredentials node = CA.issueNode("node-2", List.of("127.0.0.1"));
        CA.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        node.writePem(dir.resolve("node-2.pem"), dir.resolve("node-2.key"));

        TlsMaterial loaded = TlsMaterial.fromPemFiles(dir.resolve("ca.pem"), dir.resolve("node-2.pem"),
                dir.resolve("node-2.key"));
        assertThat(loaded.trustedCas()).containsExactly(CA.certificate());
        assertThat(loaded.certificateChain()).containsExactly(node.certificate());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(node.privateKey().getEncoded());
        assertThat(Files.readString(dir.resolve("node-2.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("node-2.key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        ClusterCa reloaded = ClusterCa.load(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        reloaded.issueNode("node-3", List.of("::1")).certificate().verify(CA.certificate().getPublicKey());
    }

    @Test
    void explicitValidityMakesAnExpiredCertificate() {
        Instant now = Instant.now();
        NodeCredentials expired = CA.issueNode("old", List.of(), now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)));
        assertThat(expired.certificate().getNotAfter().toInstant()).isBefore(now);
        assertThatThrownBy(() -> CA.issueNode("bad", List.of(), now, now.minus(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be after");
    }

    @Test
    void tlsMaterialRefusesANodeCertificateFromAnotherCa() {
        ClusterCa other = ClusterCa.create("other CA");
        NodeCredentials stranger = other.issueNode("stranger", List.of("127.0.0.1"));
        assertThatThrownBy(() -> TlsMaterial.of(CA.certificate(), stranger))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CN=stranger")
                .hasMessageContaining("is not signed by any trusted cluster CA");
    }

    @Test
    void unreadableFilesAreNamedInTheError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate");
        assertThatThrownBy(() -> Pem.readCertificates(empty)).hasMessageContaining("empty.pem")
                .hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> Pem.readPrivateKey(empty)).hasMessageContaining("empty.pem");
        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("missing.pem")))
                .hasMessageContaining("missing.pem");
    }

    @Test
    void selfSignedNodeCertificateForTheInsecureMode() throws Exception {
        NodeCredentials self = NodeCredentials.selfSigned("solo", List.of("127.0.0.1"));
        self.certificate().verify(self.certificate().getPublicKey());
        assertThat(self.certificate().getSubjectX500Principal()).isEqualTo(self.certificate().getIssuerX500Principal());
    }

    /** An operator's review: a key that is not the certificate's was taken, and every handshake then failed obscurely. */
    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        NodeCredentials one = CA.issueNode("one", List.of("127.0.0.1"));
        NodeCredentials other = CA.issueNode("other", List.of("127.0.0.1"));
        assertThat(new TlsMaterial(List.of(CA.certificate()), one.certificateChain(), one.privateKey(), true).node())
                .isEqualTo(one);
        assertThatThrownBy(() -> new TlsMaterial(List.of(CA.certificate()), one.certificateChain(), other.privateKey(),
                true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the private key is not the key of this node's certificate (CN=one, O=corrosion)");
    }
}
