package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an outbound connection whose peer stopped answering. A peer that crashed and restarted on the same
 * port has forgotten our connection and silently drops its packets (netty's QUIC server sends no stateless
 * reset), so without this the connection would swallow sends until the idle timeout.
 *
 * <p>Every few hundred milliseconds it compares the connection's packet counters: if we sent packets since
 * the peer's last one, it pings (an empty, finished unidirectional stream, which the peer must acknowledge
 * and which carries no message); if nothing at all came back within {@code unresponsiveTimeout} of the ping,
 * the connection is closed. The next send reconnects. A quiet connection costs nothing.
 */
final class LivenessWatchdog extends ChannelInboundHandlerAdapter {

    private final TransportContext transport;
    private final long timeoutNanos;
    private ScheduledFuture<?> tick;
    private long lastRecv = -1;
    private long sentAtLastRecv;
    private long pingSentNanos = -1;

    LivenessWatchdog(TransportContext transport) {
        this.transport = transport;
        this.timeoutNanos = transport.config.unresponsiveTimeout().toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        QuicChannel channel = (QuicChannel) ctx.channel();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), timeoutNanos / 4);
        tick = channel.eventLoop().scheduleAtFixedRate(() -> check(channel), period, period, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (tick != null) {
            tick.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void check(QuicChannel channel) {
        if (channel.isActive()) {
            channel.collectStats().addListener(f -> {
                if (f.isSuccess()) {
                    judge(channel, (QuicConnectionStats) f.getNow());
                }
            });
        }
    }

    private void judge(QuicChannel channel, QuicConnectionStats stats) {
        long now = System.nanoTime();
        if (stats.recv() != lastRecv) {
            lastRecv = stats.recv();
            sentAtLastRecv = stats.sent();
            pingSentNanos = -1;
        } else if (stats.sent() != sentAtLastRecv) {
            if (pingSentNanos < 0) {
                pingSentNanos = now;
                ping(channel);
            } else if (now - pingSentNanos >= timeoutNanos && channel.isActive()) {
                transport.counters.increment(Counter.DEAD_CONNECTIONS_CLOSED);
                transport.log().info("[{}] closing the connection to {}: no answer for {}",
                        transport.config.nodeName(), channel.remoteSocketAddress(),
                        transport.config.unresponsiveTimeout());
                channel.close();
            }
        }
    }

    private static void ping(QuicChannel channel) {
        // Without stream credit there is no ping; the timeout then runs from the unanswered packets alone.
        if (channel.peerAllowedStreams(QuicStreamType.UNIDIRECTIONAL) > 0) {
            channel.createStream(QuicStreamType.UNIDIRECTIONAL, null).addListener(f -> {
                if (f.isSuccess()) {
                    ((QuicStreamChannel) f.getNow()).shutdownOutput();
                }
            });
        }
    }
}
