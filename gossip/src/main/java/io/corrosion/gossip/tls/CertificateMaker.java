package io.corrosion.gossip.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Builds EC P-256 certificates with BouncyCastle: CA certificates and node (end-entity) certificates usable
 * both as TLS server and TLS client, since every node is both in mutual TLS. Uses the JDK's providers;
 * BouncyCastle is not registered as a JCA provider.
 */
final class CertificateMaker {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private CertificateMaker() {
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
        }
    }

    static X509Certificate selfSignedCa(X500Principal subject, KeyPair keys, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, keys, notBefore, notAfter);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not build the CA certificate for " + subject, e);
        }
    }

    /**
     * A certificate for a node, for TLS server and client authentication, signed by {@code issuer}.
     * Passing the node's own key pair and subject as issuer makes a self-signed node certificate.
     */
    static X509Certificate node(X500Principal subject, KeyPair nodeKeys, Collection<String> subjectAltNames,
                                X500Principal issuer, KeyPair issuerKeys, X509Certificate issuerCertificate,
                                Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = builder(subject, issuer, nodeKeys, notBefore, notAfter);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(nodeKeys.getPublic()));
            if (issuerCertificate != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuerCertificate));
            }
            if (!subjectAltNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, generalNames(subjectAltNames));
            }
            return sign(builder, issuerKeys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not build the node certificate for " + subject, e);
        }
    }

    /** IP literals become iPAddress names, everything else a dNSName; the JDK matches each against its kind. */
    static GeneralNames generalNames(Collection<String> subjectAltNames) {
        List<GeneralName> names = new ArrayList<>();
        for (String name : subjectAltNames) {
            String trimmed = name.strip();
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                trimmed = trimmed.substring(1, trimmed.length() - 1);
            }
            if (IPAddress.isValid(trimmed)) {
                names.add(new GeneralName(GeneralName.iPAddress, trimmed));
            } else if (!trimmed.isEmpty()) {
                names.add(new GeneralName(GeneralName.dNSName, trimmed));
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X509v3CertificateBuilder builder(X500Principal subject, X500Principal issuer, KeyPair keys,
                                                    Instant notBefore, Instant notAfter) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter),
                subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws CertificateException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("this JDK cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }
}
