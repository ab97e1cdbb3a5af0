package io.corrosion.gossip.tls;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * A node's certificate chain (its own certificate first) and private key. Every node presents these both
 * as TLS server and as TLS client.
 */
public record NodeCredentials(List<X509Certificate> certificateChain, PrivateKey privateKey) {

    public NodeCredentials {
        certificateChain = List.copyOf(certificateChain);
        if (certificateChain.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least its own certificate");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("a node needs its private key");
        }
    }

    /** The node's own certificate. */
    public X509Certificate certificate() {
        return certificateChain.get(0);
    }

    public static NodeCredentials load(Path certificateFile, Path privateKeyFile) {
        return new NodeCredentials(Pem.readCertificates(certificateFile), Pem.readPrivateKey(privateKeyFile));
    }

    public void writePem(Path certificateFile, Path privateKeyFile) {
        Pem.writeCertificates(certificateFile, certificateChain);
        Pem.writePrivateKey(privateKeyFile, privateKey);
    }

    /**
     * A throwaway self-signed certificate, as the insecure loopback mode presents: nobody verifies it, it only
     * lets TLS 1.3 run and gives peers something to log.
     */
    public static NodeCredentials selfSigned(String nodeName, Collection<String> subjectAltNames) {
        KeyPair keys = CertificateMaker.newKeyPair();
        X500Principal subject = ClusterCa.nodeSubject(nodeName);
        Instant now = Instant.now();
        X509Certificate certificate = CertificateMaker.node(subject, keys, subjectAltNames, subject, keys, null,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
        return new NodeCredentials(List.of(certificate), keys.getPrivate());
    }
}
