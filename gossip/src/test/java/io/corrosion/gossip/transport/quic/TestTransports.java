package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.InboundHandler;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts transports (and other resources) for one test and closes them after it, newest first. */
final class TestTransports implements AfterEachCallback {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    QuicTransport start(QuicTransportConfig config, InboundHandler handler) {
        QuicTransport transport = new QuicTransport(config);
        resources.push(transport);
        transport.start(handler);
        return transport;
    }

    /** A mutual-TLS transport on loopback named {@code name}. */
    QuicTransport start(String name, InboundHandler handler) {
        return start(TestPki.config(name).build(), handler);
    }

    <T extends AutoCloseable> T closeAfterwards(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable resource = resources.poll(); resource != null; resource = resources.poll()) {
            resource.close();
        }
    }
}
