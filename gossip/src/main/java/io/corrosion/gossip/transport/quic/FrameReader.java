package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.corrosion.gossip.transport.quic.Frames.ResetCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads length-prefixed frames from one QUIC stream and guards the stream against hostile senders:
 * a length prefix above the maximum cuts the stream before a byte of the body is buffered; the body buffer
 * grows with the bytes that actually arrived, never to the claimed length up front; a frame that does not
 * complete within the frame timeout, or a stream on which nothing moves within the idle timeout, is cut.
 * Runs on the stream's event loop; {@link #touch()} may be called from any thread.
 */
final class FrameReader extends ChannelInboundHandlerAdapter {

    /** Where the frames go. Called on the event loop, at most one of {@link #end} and {@link #fail}. */
    interface Sink {
        void frame(byte[] frame);

        /** The peer finished the stream at a frame boundary. */
        void end();

        /** The stream is cut or lost; it has been reset and closed already. */
        void fail(TransportException cause);
    }

    private static final int FIRST_BODY_CHUNK = 16 * 1024;

    private final TransportContext transport;
    private final Sink sink;
    private final long frameTimeoutNanos;
    private final long idleTimeoutNanos;

    private final QuicStreamChannel stream;
    private final byte[] prefix = new byte[Frames.LENGTH_PREFIX];
    private int prefixFilled;
    private int frameLength = -1;
    private byte[] body;
    private int bodyFilled;
    private long frameStartNanos;
    private volatile long lastActivityNanos;
    private ScheduledFuture<?> frameTimer;
    private ScheduledFuture<?> idleTimer;
    private boolean paused;
    private boolean done;

    FrameReader(TransportContext transport, QuicStreamChannel stream, Sink sink) {
        this.transport = transport;
        this.stream = stream;
        this.sink = sink;
        this.frameTimeoutNanos = transport.config.frameTimeout().toNanos();
        this.idleTimeoutNanos = transport.config.streamIdleTimeout().toNanos();
    }

    /** Something moved on the stream (a frame was sent or is being read): the idle clock restarts. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Stops reading; the paused time counts towards neither timeout. Event loop only. */
    void pause() {
        paused = true;
        stream.config().setAutoRead(false);
    }

    void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        touch();
        if (frameLength >= 0 || prefixFilled > 0) {
            frameStartNanos = System.nanoTime();
            scheduleFrameTimer(frameTimeoutNanos);
        }
        stream.config().setAutoRead(true);
        stream.read();
    }

    boolean isDone() {
        return done;
    }

    /** Cuts the stream from our side: resets it with {@code code} and tells the sink, once. */
    void cut(Reason reason, ResetCode code, String message) {
        if (done) {
            return;
        }
        done = true;
        cancelTimers();
        discardPartialFrame();
        Frames.reset(stream, code);
        sink.fail(new TransportException(reason, message));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        touch();
        scheduleIdleTimer(idleTimeoutNanos);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimers();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!done) {
                touch();
                read(in);
            }
        } finally {
            in.release();
        }
    }

    private void read(ByteBuf in) {
        while (in.isReadable() && !done) {
            if (frameLength < 0) {
                if (prefixFilled == 0) {
                    frameStartNanos = System.nanoTime();
                }
                int n = Math.min(Frames.LENGTH_PREFIX - prefixFilled, in.readableBytes());
                in.readBytes(prefix, prefixFilled, n);
                prefixFilled += n;
                if (prefixFilled < Frames.LENGTH_PREFIX) {
                    break;
                }
                prefixFilled = 0;
                long length = ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFFL) << 16)
                        | ((prefix[2] & 0xFFL) << 8) | (prefix[3] & 0xFFL);
                if (length > transport.config.maxFrameSize()) {
                    transport.counters.increment(Counter.FRAMES_OVERSIZE);
                    String what = "frame of " + length + " bytes announced, maximum is "
                            + transport.config.maxFrameSize();
                    cut(Reason.TOO_LARGE, ResetCode.TOO_LARGE, what);
                    transport.violation(stream, what);
                    return;
                }
                frameLength = (int) length;
                body = new byte[Math.min(frameLength, Math.max(FIRST_BODY_CHUNK, in.readableBytes()))];
                bodyFilled = 0;
            }
            int n = Math.min(frameLength - bodyFilled, in.readableBytes());
            if (bodyFilled + n > body.length) {
                // Grow with what arrived, doubling, never beyond the announced length.
                body = Arrays.copyOf(body, (int) Math.min(frameLength, Math.max(bodyFilled + n, 2L * body.length)));
            }
            in.readBytes(body, bodyFilled, n);
            bodyFilled += n;
            if (bodyFilled == frameLength) {
                byte[] frame = body;
                discardPartialFrame();
                transport.counters.increment(Counter.FRAMES_RECEIVED);
                transport.counters.add(Counter.BYTES_RECEIVED, frame.length);
                sink.frame(frame);
            }
        }
        if (!done) {
            if (frameLength >= 0 || prefixFilled > 0) {
                scheduleFrameTimer(frameTimeoutNanos - (System.nanoTime() - frameStartNanos));
            } else if (frameTimer != null) {
                frameTimer.cancel(false);
                frameTimer = null;
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
            inputFinished();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The peer's FIN arrived (bidirectional streams say so by event, unidirectional ones by closing). */
    private void inputFinished() {
        if (done) {
            return;
        }
        if (frameLength >= 0 || prefixFilled > 0) {
            transport.counters.increment(Counter.STREAMS_TRUNCATED);
            cut(Reason.TRUNCATED, ResetCode.TRUNCATED, "the peer finished the stream in the middle of a frame");
            transport.violation(stream, "finished in the middle of a frame");
        } else {
            done = true;
            cancelTimers();
            sink.end();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            return;
        }
        if (cause instanceof QuicStreamResetException reset) {
            long code = reset.applicationProtocolCode();
            fail(code == ResetCode.REFUSED.code ? Reason.REFUSED : Reason.ABORTED_BY_PEER,
                    "the peer reset the stream (" + ResetCode.describe(code) + ")", cause);
        } else {
            fail(Reason.CONNECTION_LOST, "stream failed: " + cause, cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done && stream.isInputShutdown()) {
            inputFinished();
        }
        if (!done) {
            fail(Reason.CONNECTION_LOST, "the stream closed before it finished", null);
        }
        ctx.fireChannelInactive();
    }

    private void fail(Reason reason, String message, Throwable cause) {
        done = true;
        cancelTimers();
        discardPartialFrame();
        Frames.reset(stream, ResetCode.ABORTED);
        sink.fail(new TransportException(reason, message, cause));
    }

    private void scheduleFrameTimer(long delayNanos) {
        if (frameTimer == null && !paused) {
            frameTimer = stream.eventLoop().schedule(this::checkFrame, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void checkFrame() {
        frameTimer = null;
        if (done || paused || (frameLength < 0 && prefixFilled == 0)) {
            return;
        }
        long left = frameTimeoutNanos - (System.nanoTime() - frameStartNanos);
        if (left > 0) {
            scheduleFrameTimer(left);
            return;
        }
        transport.counters.increment(Counter.FRAMES_TIMED_OUT);
        String what = "frame incomplete after " + transport.config.frameTimeout() + " (" + bodyFilled + " of "
                + frameLength + " bytes)";
        cut(Reason.FRAME_TIMEOUT, ResetCode.FRAME_TIMEOUT, what);
        transport.violation(stream, what);
    }

    private void scheduleIdleTimer(long delayNanos) {
        idleTimer = stream.eventLoop().schedule(this::checkIdle, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        if (done) {
            return;
        }
        if (paused) {
            scheduleIdleTimer(idleTimeoutNanos);
            return;
        }
        long left = idleTimeoutNanos - (System.nanoTime() - lastActivityNanos);
        if (left > 0) {
            scheduleIdleTimer(left);
            return;
        }
        transport.counters.increment(Counter.STREAMS_IDLE_CLOSED);
        transport.log().info("[{}] cut stream {} with {}: idle for {}", transport.config.nodeName(),
                stream.streamId(), peerAddress(), transport.config.streamIdleTimeout());
        cut(Reason.IDLE_TIMEOUT, ResetCode.IDLE_TIMEOUT, "nothing moved for " + transport.config.streamIdleTimeout());
    }

    private void cancelTimers() {
        if (frameTimer != null) {
            frameTimer.cancel(false);
            frameTimer = null;
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    private void discardPartialFrame() {
        frameLength = -1;
        prefixFilled = 0;
        body = null;
        bodyFilled = 0;
    }

    private Object peerAddress() {
        return stream.parent().remoteSocketAddress();
    }
}
