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
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The unidirectional stream that carries messages to one peer: each message is one length-prefixed frame on it, and
 * the stream is finished (FIN) {@link #lifetimeNanos} after it opened; the next message opens a new one. A stream per
 * message cost a stream channel, its pipeline and timers on both sides, a FIN and a credit update for every changeset
 * sent to every peer; now that is paid a few times a second per peer. Messages on one stream arrive in order; a lost
 * packet holds back the messages behind it on that stream only (on loopback and LANs, rare).
 *
 * <p>Messages sent while the event loop is busy with something else (or waits for a core) queue up and leave in one
 * write, so in as few packets as hold them, and the peer acknowledges those packets, not one per message: netty's QUIC
 * stream sends a packet on every write, and a node that fell behind would otherwise pay a packet, an acknowledgement
 * and a wake-up of its peer for each message it owes.
 *
 * <p>The receiver reads it like any message stream ({@code FrameReader}: size limits, frame timeout); the lifetime
 * stays well inside its idle timeout. Confined to the connection's event loop, apart from {@link #send}. A message
 * sent while the stream opens waits for it, up to {@code maxPendingStreams} messages (then OVERLOADED, as for a stream
 * waiting for credit).
 */
final class MessageStream {

    /** The longest a message stream stays open; shorter when the stream idle timeout is short. */
    static final long MAX_LIFETIME_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A drain writes at most about this much at once (one message may be larger). */
    private static final int MAX_WRITE_BYTES = 64 * 1024;

    private record Write(byte[] message, CompletableFuture<Void> done) {
    }

    private final TransportContext transport;
    private final StreamOpener opener;
    private final long lifetimeNanos;
    /** Messages sent and not written yet: filled by any thread, emptied by {@link #drain} on the event loop. */
    private final Queue<Write> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
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
        outbox.add(write);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                connection.eventLoop().execute(() -> drain(connection));
            } catch (RejectedExecutionException closing) {
                drainScheduled.set(false);
                TransportException cause = new TransportException(Reason.CONNECTION_LOST, "could not send a message to "
                        + connection.remoteSocketAddress() + ": the transport is closing", closing);
                for (Write w = outbox.poll(); w != null; w = outbox.poll()) {
                    w.done.completeExceptionally(cause);
                }
            }
        }
        return write.done;
    }

    /** Writes every message sent since the last drain, in one write (up to {@link #MAX_WRITE_BYTES} at a time). */
    private void drain(QuicChannel connection) {
        drainScheduled.set(false); // a message sent from now on schedules the next drain
        List<Write> batch = new ArrayList<>();
        int batchBytes = 0;
        for (Write write = outbox.poll(); write != null; write = outbox.poll()) {
            if (stream != null && stream.isActive() && !stream.isOutputShutdown()) {
                batch.add(write);
                batchBytes += write.message.length;
                if (batchBytes >= MAX_WRITE_BYTES) {
                    write(stream, batch);
                    batch = new ArrayList<>();
                    batchBytes = 0;
                }
            } else {
                stream = null;
                awaitStream(connection, write);
            }
        }
        if (!batch.isEmpty()) {
            write(stream, batch);
        }
    }

    /** No stream to write on: the message waits for the one being opened. */
    private void awaitStream(QuicChannel connection, Write write) {
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
            if (!waiting.isEmpty()) {
                List<Write> batch = new ArrayList<>(waiting);
                waiting.clear();
                write(opened, batch);
            }
        });
    }

    /** Writes {@code batch}, one frame per message, in one write on {@code on}. */
    private void write(QuicStreamChannel on, List<Write> batch) {
        on.writeAndFlush(Frames.encode(on.alloc(), batch.stream().map(Write::message).toList())).addListener(f -> {
            if (f.isSuccess()) {
                batch.forEach(w -> w.done.complete(null));
            } else {
                if (stream == on) {
                    stream = null; // reset or broken: the next message opens a new stream
                }
                TransportException cause = new TransportException(Reason.CONNECTION_LOST, "could not send a message to "
                        + on.parent().remoteSocketAddress() + ": " + f.cause(), f.cause());
                batch.forEach(w -> w.done.completeExceptionally(cause));
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
