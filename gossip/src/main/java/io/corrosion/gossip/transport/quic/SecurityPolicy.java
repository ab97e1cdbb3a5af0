package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at start which TLS the transport runs: mutual TLS when TLS material is given; the insecure mode
 * only when asked for and only on a loopback address; anything else is refused with an error that says
 * what to set.
 */
final class SecurityPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(QuicTransport.class);

    private SecurityPolicy() {
    }

    static QuicTls tlsFor(QuicTransportConfig config) {
        InetSocketAddress bind = config.bindAddress();
        if (bind.isUnresolved()) {
            throw new TransportException(Reason.CONFIGURATION, "cannot resolve the bind address " + bind);
        }
        boolean loopback = bind.getAddress().isLoopbackAddress();
        String where = bind.getAddress().getHostAddress() + ":" + bind.getPort();
        if (config.tls() != null) {
            if (config.insecure()) {
                throw new TransportException(Reason.CONFIGURATION, "tls.insecure=true contradicts the TLS material "
                        + "given (tls.ca, tls.cert, tls.key): drop one of them");
            }
            return QuicTls.mutual(config.tls());
        }
        if (!loopback) {
            throw new TransportException(Reason.CONFIGURATION, "refusing to bind " + where + " without TLS: a "
                    + "non-loopback address needs the cluster CA certificate, this node's certificate and its key "
                    + "(tls.ca, tls.cert, tls.key; ClusterCa makes a development CA). tls.insecure=true is "
                    + "accepted on loopback addresses only.");
        }
        if (!config.insecure()) {
            throw new TransportException(Reason.CONFIGURATION, "no TLS material to bind " + where + ": set tls.ca, "
                    + "tls.cert and tls.key, or tls.insecure=true (loopback only, no peer verification)");
        }
        LOG.warn("[{}] INSECURE mode on {}: self-signed certificate, peers are not verified (loopback only)",
                config.nodeName(), where);
        return QuicTls.insecure(config.nodeName(), bind);
    }
}
