package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every connection and stream handler of one transport shares. */
final class TransportContext {

    /** Set on a QUIC connection once its handshake completed. */
    static final AttributeKey<PeerInfo> PEER = AttributeKey.valueOf("corrosion.peer");

    private static final Logger LOG = LoggerFactory.getLogger(QuicTransport.class);

    final QuicTransportConfig config;
    final Counters counters;
    final QuicTls tls;
    final InboundHandler inbound;
    /** Every established connection, both directions, so close() can close them all. */
    final Set<QuicChannel> connections = ConcurrentHashMap.newKeySet();

    TransportContext(QuicTransportConfig config, Counters counters, QuicTls tls, InboundHandler inbound) {
        this.config = config;
        this.counters = counters;
        this.tls = tls;
        this.inbound = inbound;
    }

    Logger log() {
        return LOG;
    }

    /** Runs one of the user's handler callbacks; an exception is counted and logged, never propagated. */
    void callHandler(String what, PeerInfo peer, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            handlerFailed(what, peer, e);
        }
    }

    <T> T callHandler(String what, PeerInfo peer, Supplier<T> callback) {
        try {
            return callback.get();
        } catch (RuntimeException | Error e) {
            handlerFailed(what, peer, e);
            return null;
        }
    }

    private void handlerFailed(String what, PeerInfo peer, Throwable e) {
        counters.increment(Counter.HANDLER_ERRORS);
        LOG.warn("[{}] handler {} for {} threw; the transport carries on", config.nodeName(), what, peer, e);
    }
}
