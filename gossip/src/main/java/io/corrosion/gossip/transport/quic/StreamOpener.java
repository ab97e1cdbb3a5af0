package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Opens streams on an outbound connection within the peer's stream credit: a stream the peer has no credit
 * for yet waits (up to {@code maxPendingStreams} per type) until the peer's MAX_STREAMS raises the limit,
 * instead of failing. Event-loop confined, apart from {@link #open}.
 */
final class StreamOpener extends ChannelInboundHandlerAdapter {

    private record Pending(ChannelHandler setup, CompletableFuture<QuicStreamChannel> result) {
    }

    private final TransportContext transport;
    private final Queue<Pending> unidirectional = new ArrayDeque<>();
    private final Queue<Pending> bidirectional = new ArrayDeque<>();
    private QuicChannel channel;
    private boolean closed;

    StreamOpener(TransportContext transport) {
        this.transport = transport;
    }

    /** A stream of {@code type} with {@code setup} in its pipeline, once the peer grants one. Any thread. */
    CompletableFuture<QuicStreamChannel> open(QuicChannel connection, QuicStreamType type, ChannelHandler setup) {
        CompletableFuture<QuicStreamChannel> result = new CompletableFuture<>();
        Pending pending = new Pending(setup, result);
        if (connection.eventLoop().inEventLoop()) {
            enqueue(type, pending);
        } else {
            connection.eventLoop().execute(() -> enqueue(type, pending));
        }
        return result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = (QuicChannel) ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicStreamLimitChangedEvent) {
            drain(QuicStreamType.UNIDIRECTIONAL);
            drain(QuicStreamType.BIDIRECTIONAL);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        failAll(unidirectional);
        failAll(bidirectional);
        ctx.fireChannelInactive();
    }

    private void enqueue(QuicStreamType type, Pending pending) {
        Queue<Pending> queue = queue(type);
        if (closed || !channel.isActive()) {
            pending.result.completeExceptionally(lost());
        } else if (queue.size() >= transport.config.maxPendingStreams()) {
            transport.counters.increment(Counter.SENDS_REJECTED_OVERLOADED);
            pending.result.completeExceptionally(new TransportException(Reason.OVERLOADED, queue.size()
                    + " streams already wait for stream credit from " + channel.remoteSocketAddress()));
        } else {
            queue.add(pending);
            drain(type);
        }
    }

    private void drain(QuicStreamType type) {
        Queue<Pending> queue = queue(type);
        while (!queue.isEmpty() && channel.peerAllowedStreams(type) > 0) {
            Pending pending = queue.poll();
            channel.createStream(type, pending.setup).addListener(f -> {
                if (f.isSuccess()) {
                    pending.result.complete((QuicStreamChannel) f.getNow());
                } else {
                    pending.result.completeExceptionally(new TransportException(Reason.CONNECTION_LOST,
                            "could not open a stream to " + channel.remoteSocketAddress() + ": " + f.cause(),
                            f.cause()));
                }
            });
        }
    }

    private void failAll(Queue<Pending> queue) {
        for (Pending pending = queue.poll(); pending != null; pending = queue.poll()) {
            pending.result.completeExceptionally(lost());
        }
    }

    private TransportException lost() {
        return new TransportException(Reason.CONNECTION_LOST, "the connection to "
                + (channel == null ? "the peer" : channel.remoteSocketAddress()) + " closed");
    }

    private Queue<Pending> queue(QuicStreamType type) {
        return type == QuicStreamType.UNIDIRECTIONAL ? unidirectional : bidirectional;
    }
}
