package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.tls.ClusterCa;
import io.corrosion.gossip.tls.NodeCredentials;
import io.corrosion.gossip.tls.TlsMaterial;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicSslEngine;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS 1.3 contexts of one transport: mutual TLS against the cluster CA, or the insecure loopback mode
 * (self-signed, nothing verified). Remembers why a peer's certificate was refused, so the connection that
 * failed can log the reason once.
 */
final class QuicTls {

    /** ALPN: peers speaking another version of the gossip transport fail the handshake instead of misreading. */
    static final String APPLICATION_PROTOCOL = "corrosion-gossip/1";

    private static final AttributeKey<SSLEngine> ENGINE = AttributeKey.valueOf("corrosion.sslEngine");

    private final QuicSslContext serverContext;
    private final QuicSslContext clientContext;
    private final boolean verifiesPeers;
    private final Map<SSLEngine, String> refusals = Collections.synchronizedMap(new WeakHashMap<>());

    /** {@code pkix} null: trust every peer certificate (the insecure mode). */
    private QuicTls(NodeCredentials node, X509ExtendedTrustManager pkix, boolean verifyPeerAddress) {
        TrustManager trust = new RecordingTrustManager(pkix, refusals);
        PrivateKey key = node.privateKey();
        X509Certificate[] chain = node.certificateChain().toArray(X509Certificate[]::new);
        this.verifiesPeers = pkix != null;
        this.serverContext = QuicSslContextBuilder.forServer(key, null, chain)
                .trustManager(trust)
                .clientAuth(ClientAuth.REQUIRE)
                .applicationProtocols(APPLICATION_PROTOCOL)
                .build();
        this.clientContext = QuicSslContextBuilder.forClient()
                .keyManager(key, null, chain)
                .trustManager(trust)
                .endpointIdentificationAlgorithm(verifyPeerAddress ? "HTTPS" : null)
                .applicationProtocols(APPLICATION_PROTOCOL)
                .build();
    }

    static QuicTls mutual(TlsMaterial material) {
        return new QuicTls(material.node(), pkix(material.trustedCas()), material.verifyPeerAddress());
    }

    /** Insecure loopback mode: a fresh self-signed certificate, and every peer certificate accepted. */
    static QuicTls insecure(String nodeName, InetSocketAddress bindAddress) {
        NodeCredentials selfSigned = NodeCredentials.selfSigned(nodeName,
                ClusterCa.subjectAltNamesFor(nodeName, bindAddress.getAddress()));
        return new QuicTls(selfSigned, null, false);
    }

    Function<QuicChannel, QuicSslEngine> serverEngines() {
        return channel -> engine(serverContext, channel);
    }

    Function<QuicChannel, QuicSslEngine> clientEngines() {
        return channel -> engine(clientContext, channel);
    }

    boolean verifiesPeers() {
        return verifiesPeers;
    }

    /** Why this connection's peer certificate was refused, once; {@code null} if it was not (or already told). */
    String takeRefusal(QuicChannel channel) {
        SSLEngine engine = channel.attr(ENGINE).get();
        return engine == null ? null : refusals.remove(engine);
    }

    private QuicSslEngine engine(QuicSslContext context, QuicChannel channel) {
        // The peer's address goes into the engine: the client verifies the server's certificate against it,
        // and both sides' trust managers can say whom they refused.
        InetSocketAddress remote = (InetSocketAddress) channel.remoteSocketAddress();
        QuicSslEngine engine = remote == null ? context.newEngine(channel.alloc())
                : context.newEngine(channel.alloc(), remote.getHostString(), remote.getPort());
        channel.attr(ENGINE).set(engine);
        return engine;
    }

    private static X509ExtendedTrustManager pkix(List<X509Certificate> trustedCas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < trustedCas.size(); i++) {
                store.setCertificateEntry("cluster-ca-" + i, trustedCas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager for the cluster CA", e);
        }
    }

    /**
     * Delegates to the PKIX trust manager (or, with none, trusts everyone) and records a readable reason for
     * each refusal against the engine, for the connection's single WARN line.
     */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final Map<SSLEngine, String> refusals;

        RecordingTrustManager(X509ExtendedTrustManager delegate, Map<SSLEngine, String> refusals) {
            this.delegate = delegate;
            this.refusals = refusals;
        }

        /** The PKIX check of one side, as a lambda over the delegate. */
        private interface Check {
            void run(X509ExtendedTrustManager delegate) throws CertificateException;
        }

        private void check(X509Certificate[] chain, SSLEngine engine, Check check) throws CertificateException {
            if (delegate == null) {
                return;
            }
            try {
                check.run(delegate);
            } catch (CertificateException e) {
                refusals.put(engine, CertificateRefusals.describe(chain, e));
                throw e;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, engine, trust -> trust.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, engine, trust -> trust.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("sockets are not used by QUIC");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("sockets are not used by QUIC");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw new CertificateException("an SSLEngine is required");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            throw new CertificateException("an SSLEngine is required");
        }

        /**
         * None advertised: a peer then presents its certificate whatever CA issued it, and a refusal can name
         * the certificate and its issuer, instead of the peer silently sending none.
         */
        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
