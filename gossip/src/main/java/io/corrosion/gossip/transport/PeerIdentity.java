package io.corrosion.gossip.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The certificate a peer presented.
 *
 * @param subject     the certificate's subject (RFC 2253), e.g. {@code CN=node-1,O=corrosion}
 * @param fingerprint the SHA-256 of the certificate's DER encoding, lower-case hex
 * @param verified    {@code true} if it was verified against the cluster CA; {@code false} only in the
 *                    insecure loopback mode, where anyone may present anything
 * @param certificate the certificate itself
 */
public record PeerIdentity(String subject, String fingerprint, boolean verified, X509Certificate certificate) {

    public static PeerIdentity of(X509Certificate certificate, boolean verified) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new PeerIdentity(certificate.getSubjectX500Principal().getName(),
                    HexFormat.of().formatHex(digest), verified, certificate);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate " + certificate.getSubjectX500Principal(), e);
        }
    }
}
