package io.corrosion.gossip.transport.quic;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;

/** Turns the JDK's certificate exceptions into one readable line for the refusal log. */
final class CertificateRefusals {

    private CertificateRefusals() {
    }

    static String describe(X509Certificate[] chain, Exception refusal) {
        String who = chain == null || chain.length == 0 ? "no certificate"
                : "certificate " + chain[0].getSubjectX500Principal().getName();
        for (Throwable t = refusal; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return who + " expired" + (chain == null || chain.length == 0 ? "" : " at " + chain[0].getNotAfter().toInstant());
            }
            if (t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return who + " is not valid yet" + (chain == null || chain.length == 0 ? "" : " (from " + chain[0].getNotBefore().toInstant() + ")");
            }
            if (t instanceof CertPathBuilderException) {
                return who + " is not signed by the cluster CA (issuer "
                        + (chain == null || chain.length == 0 ? "?" : chain[0].getIssuerX500Principal().getName()) + ")";
            }
        }
        return who + " refused: " + refusal.getMessage();
    }
}
