package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * Sets up every stream a peer opens: a unidirectional stream carries messages, a bidirectional one is an
 * exchange offered to {@link io.corrosion.gossip.transport.InboundHandler#onExchange}.
 */
@ChannelHandler.Sharable
final class StreamSetup extends ChannelInitializer<QuicStreamChannel> {

    private final TransportContext transport;

    StreamSetup(TransportContext transport) {
        this.transport = transport;
    }

    /**
     * What every stream gets, whoever opened it: the gauge, and on bidirectional streams half-closure (each
     * side finishes its own half; a unidirectional stream simply closes at the FIN).
     */
    static void prepare(TransportContext transport, QuicStreamChannel stream) {
        if (stream.type() == QuicStreamType.BIDIRECTIONAL) {
            stream.config().setAllowHalfClosure(true);
        }
        transport.counters.increment(Counter.STREAMS_ACTIVE);
        stream.closeFuture().addListener(f -> transport.counters.decrement(Counter.STREAMS_ACTIVE));
    }

    @Override
    protected void initChannel(QuicStreamChannel stream) {
        prepare(transport, stream);
        PeerInfo peer = stream.parent().attr(TransportContext.PEER).get();
        if (stream.type() == QuicStreamType.UNIDIRECTIONAL) {
            stream.pipeline().addLast(new FrameReader(transport, stream, new MessageSink(peer, stream)));
            return;
        }
        QuicExchange exchange = new QuicExchange(transport, stream, peer, false, null);
        ExchangeHandler handler = transport.callHandler("onExchange", peer,
                () -> transport.inbound.onExchange(exchange));
        if (handler == null) {
            transport.log().debug("[{}] refused exchange {} from {}", transport.config.nodeName(),
                    stream.streamId(), peer);
            exchange.refuse();
            return;
        }
        exchange.handler(handler);
        transport.counters.increment(Counter.EXCHANGES_ACCEPTED);
        stream.pipeline().addLast(exchange.reader());
    }

    /** Delivers each frame of a message stream to the inbound handler; closes the stream at its end. */
    private final class MessageSink implements FrameReader.Sink {
        private final PeerInfo peer;
        private final QuicStreamChannel stream;

        MessageSink(PeerInfo peer, QuicStreamChannel stream) {
            this.peer = peer;
            this.stream = stream;
        }

        @Override
        public void frame(byte[] frame) {
            transport.counters.increment(Counter.MESSAGES_RECEIVED);
            transport.callHandler("onMessage", peer, () -> transport.inbound.onMessage(peer, frame));
        }

        @Override
        public void end() {
            stream.close();
        }

        @Override
        public void fail(TransportException cause) {
            transport.log().debug("[{}] message stream {} from {} failed: {}", transport.config.nodeName(),
                    stream.streamId(), peer, cause.getMessage());
        }
    }
}
