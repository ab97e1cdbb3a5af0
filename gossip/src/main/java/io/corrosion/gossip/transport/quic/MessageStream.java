package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The unidirectional stream that carries messages to one peer: each message is one length-prefixed frame on it, and
 * the stream is finished (FIN) {@link #lifetimeNanos} after it opened; the next message opens a new one. A stream per
 * message cost a stream channel, its pipeline and timers on both sides, a FIN and a credit update for every changeset
 * sent to every peer; now that is paid a few times a second per peer. Messages on one stream arrive in order; a lost
 * packet holds back the messages behind it on that stream only (on loopback and LANs, rare).
 *
 * <p>The receiver reads it like any message stream ({@code FrameReader}: size limits, frame timeout); the lifetime
 * stays well inside its idle timeout. Confined to the connection's event loop, apart from {@link #send}. A message
 * sent while the stream opens waits for it, up to {@code maxPendingStreams} messages (then OVERLOADED, as for a stream
 * waiting for credit).
 */
final class MessageStream {

    /** The longest a message stream stays open; shorter when the stream idle timeout is short. */
    static final long MAX_LIFETIME_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private record Write(byte[] message, CompletableFuture<Void> done) {
    }

    private final TransportContext transport;
    private final StreamOpener opener;
    private final long lifetimeNanos;
    private final ArrayDeque<Write> waiting = new ArrayDeque<>();
    private QuicStreamChannel stream;
    private boolean opening;

    MessageStream(TransportContext transport, StreamOpener opener) {
        this.transport = transport;
        this.opener = opener;
        this.lifetimeNanos = Math.min(MAX_LIFETIME_NANOS, transport.config.streamIdleTimeout().toNanos() / 4);
    }

    /** Sends {@code message} as one frame on the current stream of {@code connection}. Any thread. */
    CompletableFuture<Void> send(QuicChannel connection, byte[] message) {
        Write write = new Write(message, new CompletableFuture<>());
        if (connection.eventLoop().inEventLoop()) {
            enqueue(connection, write);
        } else {
            connection.eventLoop().execute(() -> enqueue(connection, write));
        }
        return write.done;
    }

    private void enqueue(QuicChannel connection, Write write) {
        if (stream != null && stream.isActive() && !stream.isOutputShutdown()) {
            write(stream, write);
            return;
        }
        stream = null;
        if (waiting.size() >= transport.config.maxPendingStreams()) {
            transport.counters.increment(Counter.SENDS_REJECTED_OVERLOADED);
            write.done.completeExceptionally(new TransportException(Reason.OVERLOADED, waiting.size()
                    + " messages already wait for a stream to " + connection.remoteSocketAddress()));
            return;
        }
        waiting.add(write);
        if (!opening) {
            open(connection);
        }
    }

    private void open(QuicChannel connection) {
        opening = true;
        opener.open(connection, QuicStreamType.UNIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel channel) {
                StreamSetup.prepare(transport, channel);
            }
        }).whenComplete((opened, failure) -> {
            // On the event loop: the opener completes there.
            opening = false;
            if (failure != null) {
                TransportException cause = Frames.unwrap(failure, Reason.CONNECTION_LOST,
                        "could not open a stream to " + connection.remoteSocketAddress());
                for (Write w = waiting.poll(); w != null; w = waiting.poll()) {
                    w.done.completeExceptionally(cause);
                }
                return;
            }
            stream = opened;
            opened.eventLoop().schedule(() -> finish(opened), lifetimeNanos, TimeUnit.NANOSECONDS);
            for (Write w = waiting.poll(); w != null; w = waiting.poll()) {
                write(opened, w);
            }
        });
    }

    private void write(QuicStreamChannel on, Write write) {
        on.writeAndFlush(Frames.encode(on.alloc(), write.message)).addListener(f -> {
            if (f.isSuccess()) {
                write.done.complete(null);
            } else {
                if (stream == on) {
                    stream = null; // reset or broken: the next message opens a new stream
                }
                write.done.completeExceptionally(new TransportException(Reason.CONNECTION_LOST,
                        "could not send a message to " + on.parent().remoteSocketAddress() + ": " + f.cause(),
                        f.cause()));
            }
        });
    }

    /** The stream's time is up: later messages go on a new one; this one ends after what was written. */
    private void finish(QuicStreamChannel old) {
        if (stream == old) {
            stream = null;
        }
        if (old.isActive() && !old.isOutputShutdown()) {
            old.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
        }
    }
}
