package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The stream framing (a 4-byte big-endian length, then that many bytes) and the glue between netty futures
 * and the {@link CompletableFuture}s the transport hands out.
 */
final class Frames {

    static final int LENGTH_PREFIX = 4;

    /** Application error codes sent in RESET_STREAM / STOP_SENDING, so the peer can say why. */
    enum ResetCode {
        ABORTED(1), TOO_LARGE(2), FRAME_TIMEOUT(3), IDLE_TIMEOUT(4), REFUSED(5), TRUNCATED(6);

        final int code;

        ResetCode(int code) {
            this.code = code;
        }

        static String describe(long code) {
            for (ResetCode value : values()) {
                if (value.code == code) {
                    return value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
                }
            }
            return "code " + code;
        }
    }

    private Frames() {
    }

    static ByteBuf encode(ByteBufAllocator allocator, byte[] frame) {
        return encode(allocator, List.of(frame));
    }

    /** Several frames back to back in one buffer. */
    static ByteBuf encode(ByteBufAllocator allocator, List<byte[]> frames) {
        int size = 0;
        for (byte[] frame : frames) {
            size += LENGTH_PREFIX + frame.length;
        }
        ByteBuf buffer = allocator.directBuffer(size);
        for (byte[] frame : frames) {
            buffer.writeInt(frame.length).writeBytes(frame);
        }
        return buffer;
    }

    /** Resets both directions of a stream (as far as they exist) and closes it. */
    static void reset(QuicStreamChannel stream, ResetCode code) {
        if (!stream.isOpen()) {
            return;
        }
        if (!stream.isInputShutdown()) {
            stream.shutdownInput(code.code);
        }
        if (!stream.isOutputShutdown() && (stream.isLocalCreated() || stream.type() == QuicStreamType.BIDIRECTIONAL)) {
            stream.shutdownOutput(code.code);
        }
        stream.close();
    }

    /** Completes with the future's value, or with the {@link TransportException} {@code failure} makes. */
    static <T> CompletableFuture<T> toStage(Future<T> future, Function<Throwable, TransportException> failure) {
        CompletableFuture<T> stage = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                stage.complete(future.getNow());
            } else {
                stage.completeExceptionally(failure.apply(f.cause()));
            }
        });
        return stage;
    }

    static <T> CompletableFuture<T> failed(Reason reason, String message) {
        return CompletableFuture.failedFuture(new TransportException(reason, message));
    }

    static <T> CompletableFuture<T> tooLarge(String what, int size, int maximum) {
        return failed(Reason.TOO_LARGE, what + " of " + size + " bytes exceeds the maximum " + maximum);
    }

    /** The {@link TransportException} inside a CompletableFuture failure, or the failure wrapped as {@code reason}. */
    static TransportException unwrap(Throwable failure, Reason reason, String message) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TransportException transportException) {
            return transportException;
        }
        return new TransportException(reason, message + ": " + cause, cause);
    }
}
