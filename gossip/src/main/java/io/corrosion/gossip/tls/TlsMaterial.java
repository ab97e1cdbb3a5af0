package io.corrosion.gossip.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a node needs for mutual TLS: the cluster CA certificate(s) it trusts, its own certificate chain and
 * private key. A peer is accepted only if its certificate chains to one of {@code trustedCas} and is within
 * its validity period.
 *
 * @param verifyPeerAddress when {@code true} (the default), a node dialling a peer also checks that the
 *                          peer's certificate names the address it dialled (IP SAN for an IP, DNS SAN for a
 *                          host name). Turn it off only when nodes are dialled at addresses their
 *                          certificates do not list (e.g. behind NAT).
 */
public record TlsMaterial(List<X509Certificate> trustedCas, List<X509Certificate> certificateChain,
                          PrivateKey privateKey, boolean verifyPeerAddress) {

    public TlsMaterial {
        trustedCas = List.copyOf(trustedCas);
        certificateChain = List.copyOf(certificateChain);
        if (trustedCas.isEmpty()) {
            throw new IllegalArgumentException("TLS needs at least one trusted cluster CA certificate");
        }
        if (certificateChain.isEmpty() || privateKey == null) {
            throw new IllegalArgumentException("TLS needs this node's certificate and private key");
        }
        X509Certificate top = certificateChain.get(certificateChain.size() - 1);
        if (trustedCas.stream().noneMatch(ca -> issued(ca, top))) {
            throw new IllegalArgumentException("this node's certificate (" + top.getSubjectX500Principal()
                    + ") is not signed by any trusted cluster CA " + trustedCas.stream()
                    .map(X509Certificate::getSubjectX500Principal).toList()
                    + "; peers would refuse it");
        }
        if (!keyMatches(certificateChain.get(0), privateKey)) {
            throw new IllegalArgumentException("the private key is not the key of this node's certificate ("
                    + certificateChain.get(0).getSubjectX500Principal() + "): TLS handshakes would fail");
        }
    }

    public static TlsMaterial of(X509Certificate clusterCa, NodeCredentials node) {
        return new TlsMaterial(List.of(clusterCa), node.certificateChain(), node.privateKey(), true);
    }

    /** Loads PEM files, as the {@code tls.ca}, {@code tls.cert} and {@code tls.key} settings name them. */
    public static TlsMaterial fromPemFiles(Path caFile, Path certificateFile, Path privateKeyFile) {
        return new TlsMaterial(Pem.readCertificates(caFile), Pem.readCertificates(certificateFile),
                Pem.readPrivateKey(privateKeyFile), true);
    }

    public TlsMaterial withVerifyPeerAddress(boolean verify) {
        return new TlsMaterial(trustedCas, certificateChain, privateKey, verify);
    }

    public NodeCredentials node() {
        return new NodeCredentials(certificateChain, privateKey);
    }

    /** Whether {@code key} signs what the certificate's public key verifies; true for key types it cannot try. */
    private static boolean keyMatches(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = "corrosion key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another type than the certificate's, say
        }
    }

    private static boolean issued(X509Certificate ca, X509Certificate certificate) {
        if (ca.equals(certificate)) {
            return true;
        }
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
