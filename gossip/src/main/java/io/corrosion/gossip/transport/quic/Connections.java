package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClosedChannelException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The outbound connection cache: one QUIC connection per peer address, dialled on first use and reused
 * (a handshake costs a few hundred microseconds on loopback, far more across a network), dropped when it
 * closes (idle timeout, peer close, {@link LivenessWatchdog}) and dialled again on the next send. After a
 * failed dial, sends to that address fail fast for {@code reconnectBackoff}: a dead peer costs one
 * handshake attempt (and at most one log line) per back-off period, not one per send.
 */
final class Connections {

    /** One peer's connection: dialling, established, or failed (kept until its back-off passed). */
    private final class Link {
        final InetSocketAddress address;
        final CompletableFuture<QuicChannel> channel = new CompletableFuture<>();
        final CompletableFuture<Void> confirmation = new CompletableFuture<>();
        final StreamOpener opener = new StreamOpener(transport);
        final MessageStream messages = new MessageStream(transport, opener);
        volatile long failedAtNanos;

        Link(InetSocketAddress address) {
            this.address = address;
        }

        boolean reusable(long now) {
            if (!channel.isDone()) {
                return true;
            }
            if (channel.isCompletedExceptionally()) {
                return now - failedAtNanos < transport.config.reconnectBackoff().toNanos();
            }
            return channel.join().isActive();
        }
    }

    private final TransportContext transport;
    private final Channel dialSocket;
    private final ChannelHandler streamSetup;
    private final ConcurrentMap<InetSocketAddress, Link> links = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Connections(TransportContext transport, Channel dialSocket, ChannelHandler streamSetup) {
        this.transport = transport;
        this.dialSocket = dialSocket;
        this.streamSetup = streamSetup;
    }

    /** The connection to {@code peer}, established, or the reason there is none. */
    CompletableFuture<QuicChannel> connection(InetSocketAddress peer) {
        return link(peer).channel;
    }

    /** A new stream of {@code type} to {@code peer} with {@code setup} in its pipeline. */
    CompletableFuture<QuicStreamChannel> openStream(InetSocketAddress peer, QuicStreamType type,
                                                     ChannelHandler setup) {
        Link link = link(peer);
        return link.channel.thenCompose(channel -> link.opener.open(channel, type, setup));
    }

    /** Sends {@code message} as one frame on the message stream to {@code peer} (see {@link MessageStream}). */
    CompletableFuture<Void> sendMessage(InetSocketAddress peer, byte[] message) {
        Link link = link(peer);
        return link.channel.thenCompose(channel -> link.messages.send(channel, message));
    }

    void disconnect(InetSocketAddress peer) {
        Link link = links.remove(peer);
        if (link != null) {
            close(link);
        }
    }

    void closeAll() {
        closed = true;
        links.values().forEach(this::close);
        links.clear();
    }

    private Link link(InetSocketAddress peer) {
        if (peer.isUnresolved()) {
            Link failed = new Link(peer);
            failed.channel.completeExceptionally(new TransportException(Reason.CONNECT_FAILED,
                    "cannot resolve " + peer.getHostString()));
            return failed;
        }
        long now = System.nanoTime();
        Link fresh = new Link(peer);
        Link link = links.compute(peer, (key, old) -> old != null && old.reusable(now) ? old : fresh);
        if (link == fresh) {
            // Dial outside compute(): the dial's listeners may run at once, on this thread, and touch the map.
            dial(fresh);
        }
        return link;
    }

    private void dial(Link link) {
        if (closed) {
            link.channel.completeExceptionally(new TransportException(Reason.NOT_RUNNING, "the transport is closed"));
            links.remove(link.address, link);
            return;
        }
        QuicChannel.newBootstrap(dialSocket)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel channel) {
                        channel.pipeline().addLast(new ConnectionHandler(transport, link.confirmation), link.opener,
                                new LivenessWatchdog(transport));
                    }
                })
                .streamHandler(streamSetup)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) transport.config.connectTimeout().toMillis())
                .remoteAddress(link.address)
                .connect()
                .addListener(f -> {
                    if (f.isSuccess()) {
                        confirmed(link, (QuicChannel) f.getNow());
                    } else {
                        failed(link, f.cause());
                    }
                });
    }

    /** Connected; the link is usable once the peer confirmed it accepted us (see {@link ConnectionHandler}). */
    private void confirmed(Link link, QuicChannel channel) {
        channel.closeFuture().addListener(closed -> links.remove(link.address, link));
        link.confirmation.orTimeout(transport.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        channel.close();
                        failed(link, failure instanceof TimeoutException
                                ? new TransportException(Reason.CONNECT_FAILED, link.address
                                        + " did not confirm the connection within "
                                        + transport.config.connectTimeout())
                                : failure);
                    } else if (!link.channel.complete(channel) || closed) {
                        // Dropped (disconnect, close) while dialling.
                        channel.close();
                    }
                });
    }

    private void failed(Link link, Throwable cause) {
        link.failedAtNanos = System.nanoTime();
        transport.counters.increment(Counter.CONNECT_FAILURES);
        transport.log().debug("[{}] could not connect to {}: {}", transport.config.nodeName(), link.address,
                String.valueOf(cause));
        if (cause instanceof TransportException known) {
            link.channel.completeExceptionally(known);
            return;
        }
        boolean tls = cause instanceof SSLException
                || cause instanceof QuicClosedChannelException closed && closed.event() != null
                && closed.event().isTlsError();
        link.channel.completeExceptionally(new TransportException(
                tls ? Reason.HANDSHAKE_FAILED : Reason.CONNECT_FAILED,
                "could not connect to " + link.address + ": " + cause, cause));
    }

    private void close(Link link) {
        if (!link.channel.isDone()) {
            link.channel.completeExceptionally(new TransportException(Reason.NOT_RUNNING,
                    "the connection to " + link.address + " was dropped"));
        }
        link.channel.thenAccept(QuicChannel::close);
    }
}
