package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
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
    private static final AttributeKey<int[]> VIOLATIONS = AttributeKey.valueOf("corrosion.violations");
    /** Cut streams logged at WARN per connection; later ones at DEBUG, so a hostile peer cannot flood the log. */
    static final int WARNINGS_PER_CONNECTION = 3;
    /** Cut streams after which the connection itself is closed: the peer is broken or hostile. */
    static final int VIOLATIONS_PER_CONNECTION = 16;
    private static final int VIOLATIONS_ERROR_CODE = 0x10;

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

    /**
     * A peer broke the framing rules on one of its streams (oversize, too slow, truncated) and the stream was
     * cut: log it, rate-limited per connection, and past {@link #VIOLATIONS_PER_CONNECTION} close the
     * connection. Event loop only.
     */
    void violation(QuicStreamChannel stream, String what) {
        QuicChannel connection = stream.parent();
        int[] count = connection.attr(VIOLATIONS).get();
        if (count == null) {
            count = new int[1];
            connection.attr(VIOLATIONS).set(count);
        }
        int seen = ++count[0];
        Object peer = connection.remoteSocketAddress();
        if (seen <= WARNINGS_PER_CONNECTION) {
            LOG.warn("[{}] cut stream {} from {}: {}{}", config.nodeName(), stream.streamId(), peer, what,
                    seen == WARNINGS_PER_CONNECTION ? " (more on this connection are logged at DEBUG)" : "");
        } else {
            LOG.debug("[{}] cut stream {} from {}: {}", config.nodeName(), stream.streamId(), peer, what);
        }
        if (seen == VIOLATIONS_PER_CONNECTION) {
            counters.increment(Counter.PEERS_DISCONNECTED);
            LOG.warn("[{}] closing the connection with {}: {} streams cut for breaking the framing rules",
                    config.nodeName(), peer, seen);
            connection.close(true, VIOLATIONS_ERROR_CODE,
                    Unpooled.copiedBuffer("too many protocol violations", StandardCharsets.US_ASCII));
        }
    }

    private void handlerFailed(String what, PeerInfo peer, Throwable e) {
        counters.increment(Counter.HANDLER_ERRORS);
        LOG.warn("[{}] handler {} for {} threw; the transport carries on", config.nodeName(), what, peer, e);
    }
}
