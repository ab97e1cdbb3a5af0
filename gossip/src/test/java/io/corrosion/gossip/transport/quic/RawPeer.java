package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.tls.TlsMaterial;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven QUIC peer with a valid cluster certificate, for tests that send what a well-behaved
 * transport never would: bad length prefixes, trickled frames, too many streams, oversize datagrams.
 */
final class RawPeer implements AutoCloseable {

    /** Reads and drops whatever arrives on a stream; remembers a reset and its code. */
    static final class StreamProbe extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Long> resetCode = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof QuicStreamResetException reset) {
                resetCode.complete(reset.applicationProtocolCode());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(null);
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel socket;
    final QuicChannel connection;

    RawPeer(String name, InetSocketAddress server) throws Exception {
        TlsMaterial tls = TestPki.tls(name);
        QuicTls quicTls = QuicTls.mutual(tls);
        socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new QuicClientCodecBuilder()
                        .sslEngineProvider(quicTls.clientEngines())
                        .maxIdleTimeout(10, TimeUnit.SECONDS)
                        .initialMaxData(1 << 24)
                        .initialMaxStreamDataBidirectionalLocal(1 << 20)
                        .initialMaxStreamDataBidirectionalRemote(1 << 20)
                        .initialMaxStreamDataUnidirectional(1 << 20)
                        .initialMaxStreamsUnidirectional(10)
                        .datagram(16, 16)
                        .build())
                .bind(new InetSocketAddress(TestPki.LOOPBACK, 0)).sync().channel();
        connection = QuicChannel.newBootstrap(socket)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof QuicStreamChannel) {
                            ctx.fireChannelRead(msg);
                        } else {
                            ReferenceCountUtil.release(msg);
                        }
                    }
                })
                .streamHandler(new StreamProbe())
                .remoteAddress(server)
                .connect().get(5, TimeUnit.SECONDS);
    }

    QuicStreamChannel stream(QuicStreamType type, ChannelHandler handler) throws Exception {
        return connection.createStream(type, handler).get(5, TimeUnit.SECONDS);
    }

    static ChannelFuture write(QuicStreamChannel stream, byte[] bytes) {
        return stream.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    static byte[] prefix(long length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    ChannelFuture datagram(int size) {
        ByteBuf buffer = Unpooled.buffer(size).writeZero(size);
        return connection.writeAndFlush(buffer);
    }

    @Override
    public void close() throws Exception {
        connection.close().await(2, TimeUnit.SECONDS);
        socket.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
