package io.corrosion.gossip.tls;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * A cluster certificate authority for development and tests: creates a CA (EC P-256) and issues node
 * certificates that carry IP and DNS subject alternative names, so that a client dialling a node at
 * {@code 127.0.0.1} or at its bind address can verify it without turning hostname verification off.
 *
 * <pre>{@code
 * ClusterCa ca = ClusterCa.create("my cluster CA");
 * NodeCredentials node = ca.issueNode("node-1", ClusterCa.subjectAltNamesFor("node-1", bindAddress));
 * ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
 * node.writePem(dir.resolve("node-1.pem"), dir.resolve("node-1.key"));
 * }</pre>
 *
 * Production clusters should use their own PKI; any CA whose certificates carry the right SANs and the
 * serverAuth + clientAuth extended key usages works the same.
 */
public final class ClusterCa {

    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration NODE_VALIDITY = Duration.ofDays(825);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private ClusterCa(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** A new CA valid for ten years (from an hour ago, to tolerate clock skew between nodes). */
    public static ClusterCa create(String commonName) {
        Instant now = Instant.now();
        return create(commonName, now.minus(CLOCK_SKEW), now.plus(CA_VALIDITY));
    }

    public static ClusterCa create(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair keys = CertificateMaker.newKeyPair();
        X500Principal subject = new X500Principal("CN=" + escape(commonName) + ", O=corrosion");
        return new ClusterCa(CertificateMaker.selfSignedCa(subject, keys, notBefore, notAfter), keys.getPrivate());
    }

    public static ClusterCa load(Path certificateFile, Path privateKeyFile) {
        return new ClusterCa(Pem.readCertificates(certificateFile).get(0), Pem.readPrivateKey(privateKeyFile));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** A node certificate valid for 825 days from an hour ago. */
    public NodeCredentials issueNode(String nodeName, Collection<String> subjectAltNames) {
        Instant now = Instant.now();
        return issueNode(nodeName, subjectAltNames, now.minus(CLOCK_SKEW), now.plus(NODE_VALIDITY));
    }

    /**
     * A node certificate with an explicit validity period (tests use a past one for an expired certificate).
     * Each subject alternative name that is an IP literal becomes an IP SAN, any other a DNS SAN.
     */
    public NodeCredentials issueNode(String nodeName, Collection<String> subjectAltNames,
                                     Instant notBefore, Instant notAfter) {
        KeyPair keys = CertificateMaker.newKeyPair();
        X509Certificate node = CertificateMaker.node(nodeSubject(nodeName), keys, subjectAltNames,
                certificate.getSubjectX500Principal(), new KeyPair(certificate.getPublicKey(), privateKey),
                certificate, notBefore, notAfter);
        return new NodeCredentials(List.of(node), keys.getPrivate());
    }

    public void writePem(Path certificateFile, Path privateKeyFile) {
        Pem.writeCertificates(certificateFile, List.of(certificate));
        Pem.writePrivateKey(privateKeyFile, privateKey);
    }

    /**
     * The SANs a node needs to be dialled on loopback and at its bind address: {@code 127.0.0.1}, {@code ::1},
     * {@code localhost}, the bind address unless it is the wildcard, and the node name when it is a host name.
     */
    public static List<String> subjectAltNamesFor(String nodeName, InetAddress bindAddress) {
        Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "::1", "localhost"));
        if (bindAddress != null && !bindAddress.isAnyLocalAddress()) {
            names.add(bindAddress.getHostAddress());
        }
        if (nodeName.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            names.add(nodeName);
        }
        return List.copyOf(names);
    }

    static X500Principal nodeSubject(String nodeName) {
        return new X500Principal("CN=" + escape(nodeName) + ", O=corrosion");
    }

    private static String escape(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a certificate name must not be blank");
        }
        return value.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
    }
}
