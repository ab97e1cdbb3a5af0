package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.corrosion.gossip.transport.quic.Frames.ResetCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/** An {@link Exchange} on one bidirectional QUIC stream; both halves end with FIN, an abort resets both. */
final class QuicExchange implements Exchange, FrameReader.Sink {

    private final TransportContext transport;
    private final QuicStreamChannel stream;
    private final PeerInfo peer;
    private final boolean initiatedLocally;
    private final FrameReader reader;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ExchangeHandler handler;
    private volatile TransportException endCause;
    private volatile boolean remoteFinished;
    private volatile CompletableFuture<Void> finished;

    QuicExchange(TransportContext transport, QuicStreamChannel stream, PeerInfo peer, boolean initiatedLocally,
                 ExchangeHandler handler) {
        this.transport = transport;
        this.stream = stream;
        this.peer = peer;
        this.initiatedLocally = initiatedLocally;
        this.handler = handler;
        this.reader = new FrameReader(transport, stream, this);
    }

    FrameReader reader() {
        return reader;
    }

    void handler(ExchangeHandler value) {
        handler = value;
    }

    /** Our handler declined an exchange the peer opened. Event loop only. */
    void refuse() {
        ended.set(true);
        Frames.reset(stream, ResetCode.REFUSED);
    }

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public boolean initiatedLocally() {
        return initiatedLocally;
    }

    @Override
    public CompletionStage<Void> send(byte[] frame) {
        if (frame.length > transport.config.maxFrameSize()) {
            return Frames.tooLarge("frame", frame.length, transport.config.maxFrameSize());
        }
        if (ended.get()) {
            return CompletableFuture.failedFuture(notOpen());
        }
        if (finished != null) {
            return Frames.failed(Reason.FINISHED, this + " was finished on this side already");
        }
        reader.touch();
        ChannelFuture written = stream.writeAndFlush(Frames.encode(stream.alloc(), frame));
        return Frames.toStage(written, this::writeFailed).thenApply(ignored -> {
            reader.touch();
            transport.counters.increment(Counter.FRAMES_SENT);
            transport.counters.add(Counter.BYTES_SENT, frame.length);
            return null;
        });
    }

    @Override
    public synchronized CompletionStage<Void> finish() {
        if (finished == null) {
            if (ended.get()) {
                return CompletableFuture.failedFuture(notOpen());
            }
            // The FIN goes through the write queue, behind frames still waiting for flow-control credit
            // (shutdownOutput() would write it at once, ahead of them, and cut them off).
            ChannelFuture fin = stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
            finished = Frames.toStage(fin, this::writeFailed);
        }
        return finished;
    }

    /** Idempotent; after a clean end (both halves finished) a no-op. */
    @Override
    public void abort(String reason) {
        onEventLoop(() -> {
            if (!reader.isDone()) {
                reader.cut(Reason.ABORTED_LOCALLY, ResetCode.ABORTED, "aborted here: " + reason);
            } else if (!ended.get()) {
                // The peer already finished its half; only ours is left to reset.
                Frames.reset(stream, ResetCode.ABORTED);
                fail(new TransportException(Reason.ABORTED_LOCALLY, "aborted here: " + reason));
            }
        });
    }

    @Override
    public void pauseReading() {
        onEventLoop(reader::pause);
    }

    @Override
    public void resumeReading() {
        onEventLoop(reader::resume);
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && !(finished != null && finished.isDone() && remoteFinished) && stream.isOpen();
    }

    @Override
    public void frame(byte[] frame) {
        transport.callHandler("onFrame", peer, () -> handler.onFrame(this, frame));
    }

    @Override
    public void end() {
        remoteFinished = true;
        transport.callHandler("onFinished", peer, () -> handler.onFinished(this));
    }

    @Override
    public void fail(TransportException cause) {
        if (ended.compareAndSet(false, true)) {
            endCause = cause;
            transport.counters.increment(Counter.EXCHANGES_ABORTED);
            transport.callHandler("onAborted", peer, () -> handler.onAborted(this, cause));
        }
    }

    @Override
    public String toString() {
        return "exchange " + stream.streamId() + " with " + peer;
    }

    private TransportException writeFailed(Throwable cause) {
        TransportException known = endCause;
        if (known != null) {
            return known;
        }
        TransportException failure = new TransportException(stream.parent().isActive()
                ? Reason.ABORTED_BY_PEER : Reason.CONNECTION_LOST, "could not write to " + this + ": " + cause, cause);
        // A write fails when the peer stopped reading (STOP_SENDING) or the connection went: the exchange is over.
        onEventLoop(() -> {
            if (!ended.get()) {
                Frames.reset(stream, ResetCode.ABORTED);
                fail(failure);
            }
        });
        return failure;
    }

    private TransportException notOpen() {
        TransportException known = endCause;
        return known != null ? known : new TransportException(Reason.ABORTED_LOCALLY, this + " is no longer open");
    }

    private void onEventLoop(Runnable task) {
        if (stream.eventLoop().inEventLoop()) {
            task.run();
        } else {
            stream.eventLoop().execute(task);
        }
    }
}
