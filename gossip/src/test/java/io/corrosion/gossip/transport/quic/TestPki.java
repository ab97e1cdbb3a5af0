package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.tls.ClusterCa;
import io.corrosion.gossip.tls.NodeCredentials;
import io.corrosion.gossip.tls.TlsMaterial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** One cluster CA per test JVM, node certificates from it, and transport configurations for loopback. */
final class TestPki {

    static final ClusterCa CA = ClusterCa.create("test cluster CA");
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TestPki() {
    }

    static NodeCredentials node(String name) {
        return CA.issueNode(name, ClusterCa.subjectAltNamesFor(name, LOOPBACK));
    }

    static TlsMaterial tls(String name) {
        return TlsMaterial.of(CA.certificate(), node(name));
    }

    /** Mutual TLS on 127.0.0.1, a free port, and timeouts short enough for tests. */
    static QuicTransportConfig.Builder config(String name) {
        return QuicTransportConfig.builder(new InetSocketAddress(LOOPBACK, 0))
                .nodeName(name)
                .tls(tls(name))
                .ioThreads(1)
                .reconnectBackoff(Duration.ofMillis(100))
                .closeTimeout(Duration.ofSeconds(3));
    }
}
