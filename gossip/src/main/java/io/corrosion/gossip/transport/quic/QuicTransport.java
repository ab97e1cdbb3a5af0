package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.BackgroundPriority;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.TransportMetrics;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.BufferUnderflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} over QUIC (netty + quiche), TLS 1.3 with mutual authentication against the cluster
 * CA. Datagrams travel as QUIC DATAGRAM frames, messages as frames on a unidirectional stream per peer that is
 * renewed a few times a second ({@link MessageStream}), exchanges on a bidirectional stream; see the package
 * documentation for why, and {@link QuicTransportConfig} for limits.
 *
 * <p>Two UDP sockets: the listening one (the bind address; peers dial it) and a dialling one on the same IP
 * with an ephemeral port, which carries every outbound connection. Each connection is used one way: we send
 * on the connections we dialled and receive on those peers dialled.
 */
public final class QuicTransport implements Transport {

    /** Event-loop threads are named {@code corrosion-quic-<pool>-<n>}. */
    public static final String THREAD_NAME_PREFIX = "corrosion-quic";

    private static final Logger LOG = LoggerFactory.getLogger(QuicTransport.class);
    private static final AttributeKey<QuicExchange> EXCHANGE = AttributeKey.valueOf("corrosion.exchange");
    private static final int UDP_RECEIVE_BUFFER = 2048;
    /**
     * The UDP sockets use Linux's native epoll transport where it loads (JDK NIO's selector cost the event loops a
     * third of their time under load); elsewhere, or with {@code -Dcorrosion.quic.nio=true}, NIO.
     */
    static final boolean NATIVE_EPOLL = !Boolean.getBoolean("corrosion.quic.nio") && Epoll.isAvailable();
    /**
     * Kernel socket buffers: the Linux default (~208 KiB) overflows under a burst of QUIC packets, and every
     * drop halves the congestion window. Capped by net.core.rmem_max / wmem_max.
     */
    private static final int UDP_SOCKET_BUFFER = 4 << 20;

    private enum State { NEW, RUNNING, CLOSED }

    private final QuicTransportConfig config;
    private final Counters counters = new Counters();
    private final Object lifecycle = new Object();
    private volatile State state = State.NEW;
    private volatile Connections connections;
    private volatile InetSocketAddress localAddress;
    private TransportContext context;
    private EventLoopGroup group;
    /** The event loops' threads, joined at close. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private Channel listenSocket;
    private Channel dialSocket;

    public QuicTransport(QuicTransportConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void start(InboundHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new TransportException(Reason.NOT_RUNNING, "a transport starts once; this one is " + state);
            }
            QuicTls tls = SecurityPolicy.tlsFor(config);
            DefaultThreadFactory named = new DefaultThreadFactory(THREAD_NAME_PREFIX, true);
            // Below the application's threads, like the node's other background threads.
            group = new MultiThreadIoEventLoopGroup(config.ioThreads(), (Runnable r) -> {
                Thread t = named.newThread(BackgroundPriority.lowered(r));
                threads.add(t);
                return t;
            }, NATIVE_EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            try {
                context = new TransportContext(config, counters, tls, handler);
                StreamSetup streamSetup = new StreamSetup(context);
                ChannelHandler inboundConnections = new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel channel) {
                        channel.pipeline().addLast(new ConnectionHandler(context));
                    }
                };
                // Dialling first: once peers can reach us, handlers may already want to answer.
                dialSocket = udpSocket(QuicCodecs.client(context))
                        .bind(new InetSocketAddress(config.bindAddress().getAddress(), 0)).sync().channel();
                connections = new Connections(context, dialSocket, streamSetup);
                state = State.RUNNING;
                listenSocket = udpSocket(QuicCodecs.server(context, inboundConnections, streamSetup))
                        .bind(config.bindAddress()).sync().channel();
                localAddress = (InetSocketAddress) listenSocket.localAddress();
            } catch (Exception e) {
                state = State.CLOSED;
                if (connections != null) {
                    connections.closeAll();
                }
                releaseSockets();
                throw new TransportException(Reason.BIND_FAILED, "cannot bind " + config.bindAddress() + ": "
                        + bindFailure(e), e);
            }
        }
        LOG.info("[{}] QUIC transport listening on {} ({})", config.nodeName(), localAddress,
                config.insecure() ? "INSECURE: no peer verification" : "mutual TLS");
    }

    @Override
    public InetSocketAddress localAddress() {
        InetSocketAddress bound = localAddress;
        if (bound == null) {
            throw new TransportException(Reason.NOT_RUNNING, "the transport is not started");
        }
        return bound;
    }

    @Override
    public int maxDatagramSize() {
        return config.maxDatagramSize();
    }

    @Override
    public int maxFrameSize() {
        return config.maxFrameSize();
    }

    @Override
    public CompletionStage<Void> sendDatagram(InetSocketAddress to, byte[] datagram) {
        Connections running = running();
        if (running == null) {
            return notRunning();
        }
        if (datagram.length > config.maxDatagramSize()) {
            counters.increment(Counter.DATAGRAMS_DROPPED_OVERSIZE);
            return Frames.tooLarge("datagram", datagram.length, config.maxDatagramSize());
        }
        return running.connection(to)
                .thenCompose(channel -> Frames.toStage(channel.writeAndFlush(Unpooled.wrappedBuffer(datagram)),
                        cause -> datagramFailed(to, datagram.length, cause)))
                .thenApply(ignored -> {
                    counters.increment(Counter.DATAGRAMS_SENT);
                    counters.add(Counter.BYTES_SENT, datagram.length);
                    return null;
                });
    }

    private TransportException datagramFailed(InetSocketAddress to, int size, Throwable cause) {
        if (cause instanceof BufferUnderflowException) {
            counters.increment(Counter.DATAGRAMS_DROPPED_OVERSIZE);
            return new TransportException(Reason.TOO_LARGE, "datagram of " + size + " bytes does not fit the "
                    + "connection to " + to, cause);
        }
        return new TransportException(Reason.CONNECTION_LOST, "could not send a datagram to " + to + ": " + cause,
                cause);
    }

    @Override
    public CompletionStage<Void> sendMessage(InetSocketAddress to, byte[] message) {
        Connections running = running();
        if (running == null) {
            return notRunning();
        }
        if (message.length > config.maxFrameSize()) {
            return Frames.tooLarge("message", message.length, config.maxFrameSize());
        }
        return running.sendMessage(to, message)
                .thenApply(ignored -> {
                    counters.increment(Counter.MESSAGES_SENT);
                    counters.increment(Counter.FRAMES_SENT);
                    counters.add(Counter.BYTES_SENT, message.length);
                    return null;
                });
    }

    @Override
    public CompletionStage<Exchange> openExchange(InetSocketAddress to, ExchangeHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Connections running = running();
        if (running == null) {
            return notRunning();
        }
        return running.openStream(to, QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel stream) {
                        StreamSetup.prepare(context, stream);
                        PeerInfo peer = stream.parent().attr(TransportContext.PEER).get();
                        QuicExchange exchange = new QuicExchange(context, stream, peer, true, handler);
                        stream.attr(EXCHANGE).set(exchange);
                        stream.pipeline().addLast(exchange.reader());
                    }
                })
                .thenApply(stream -> {
                    counters.increment(Counter.EXCHANGES_OPENED);
                    return stream.attr(EXCHANGE).get();
                });
    }

    @Override
    public void disconnect(InetSocketAddress peer) {
        Connections running = running();
        if (running != null) {
            running.disconnect(peer);
        }
    }

    @Override
    public TransportMetrics metrics() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        if (group != null) {
            for (EventExecutor loop : group) {
                if (loop.inEventLoop()) {
                    throw new IllegalStateException("close() waits for the transport's threads to end: call it from "
                            + "your own thread, not from a handler");
                }
            }
        }
        synchronized (lifecycle) {
            State was = state;
            state = State.CLOSED;
            if (was != State.RUNNING) {
                return;
            }
            connections.closeAll();
            // Close every connection first, so peers get a CONNECTION_CLOSE rather than a silent disappearance.
            List<ChannelFuture> closing = new ArrayList<>();
            for (QuicChannel channel : context.connections) {
                closing.add(channel.close());
            }
            long deadline = System.nanoTime() + config.closeTimeout().toNanos();
            for (ChannelFuture future : closing) {
                future.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            releaseSockets();
        }
        LOG.info("[{}] QUIC transport on {} closed", config.nodeName(), localAddress);
    }

    /** Closes the sockets and stops the event loops; returns when their threads ended (or the timeout passed). */
    private void releaseSockets() {
        long timeoutMillis = config.closeTimeout().toMillis();
        for (Channel socket : new Channel[] {listenSocket, dialSocket}) {
            if (socket != null) {
                socket.close().awaitUninterruptibly(timeoutMillis);
            }
        }
        if (group != null && !group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeoutMillis + 1000)) {
            LOG.warn("[{}] QUIC event loops did not stop within {} ms", config.nodeName(), timeoutMillis);
        }
        // A loop's termination is announced from its thread just before the thread ends: wait for the end itself.
        for (Thread t : threads) {
            try {
                t.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Bootstrap udpSocket(ChannelHandler codec) {
        return new Bootstrap()
                .group(group)
                .channel(NATIVE_EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE_BUFFER))
                .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, UDP_SOCKET_BUFFER)
                .handler(codec);
    }

    /** The connection this transport dialled to {@code peer} (dialling it if needed): tests read its QUIC statistics. */
    CompletableFuture<QuicChannel> connectionTo(InetSocketAddress peer) {
        Connections running = running();
        return running == null ? notRunning() : running.connection(peer);
    }

    /** The connection cache while running; {@code null} before start and after close. */
    private Connections running() {
        return state == State.RUNNING ? connections : null;
    }

    private static <T> CompletableFuture<T> notRunning() {
        return Frames.failed(Reason.NOT_RUNNING, "the transport is not running");
    }

    @Override
    public String toString() {
        return "QuicTransport[" + config.nodeName() + ", " + (localAddress != null ? localAddress
                : config.bindAddress()) + ", " + state + "]";
    }

    /** Why a bind failed, in the operating system's words ("Address already in use"), not netty's exception. */
    private static String bindFailure(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int colon = message.lastIndexOf("failed with error(");
        if (colon >= 0) {
            int close = message.indexOf("): ", colon);
            return close >= 0 ? message.substring(close + 3) : message;
        }
        return message;
    }
}
