package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.PeerIdentity;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The first handler of every QUIC connection, both directions: learns the peer's identity when the
 * handshake completes, delivers datagrams, passes new streams on (to {@link StreamSetup}), and logs a
 * refused handshake once, at WARN, with the peer's address and the reason.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private final TransportContext transport;
    private final boolean outbound;
    private PeerInfo peer;
    private boolean established;
    private boolean refusalReported;
    private String handshakeFailure;
    private QuicConnectionCloseEvent closeEvent;

    ConnectionHandler(TransportContext transport, boolean outbound) {
        this.transport = transport;
        this.outbound = outbound;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        QuicChannel channel = (QuicChannel) ctx.channel();
        PeerIdentity identity = identityOf(channel);
        if (identity == null) {
            reportRefusal(channel, "no peer certificate after the handshake");
            channel.close();
            return;
        }
        established = true;
        peer = new PeerInfo((InetSocketAddress) channel.remoteSocketAddress(), identity);
        channel.attr(TransportContext.PEER).set(peer);
        transport.connections.add(channel);
        transport.counters.increment(Counter.CONNECTIONS_ACTIVE);
        transport.counters.increment(outbound ? Counter.CONNECTIONS_OPENED : Counter.CONNECTIONS_ACCEPTED);
        transport.log().debug("[{}] {} connection with {}", transport.config.nodeName(),
                outbound ? "outbound" : "inbound", peer);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof QuicStreamChannel) {
            // Must travel on: the pipeline's end registers the stream and runs StreamSetup on it.
            ctx.fireChannelRead(msg);
        } else if (msg instanceof ByteBuf datagram) {
            try {
                deliverDatagram(datagram);
            } finally {
                datagram.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void deliverDatagram(ByteBuf datagram) {
        int size = datagram.readableBytes();
        if (size > transport.config.maxDatagramSize() || peer == null) {
            transport.counters.increment(Counter.DATAGRAMS_DROPPED_OVERSIZE);
            transport.log().debug("[{}] dropped a datagram of {} bytes from {} (maximum {})",
                    transport.config.nodeName(), size, peer, transport.config.maxDatagramSize());
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(datagram);
        transport.counters.increment(Counter.DATAGRAMS_RECEIVED);
        transport.counters.add(Counter.BYTES_RECEIVED, size);
        transport.callHandler("onDatagram", peer, () -> transport.inbound.onDatagram(peer, bytes));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            handshakeFailure = String.valueOf(handshake.cause().getMessage());
        } else if (evt instanceof QuicConnectionCloseEvent close) {
            closeEvent = close;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException) {
            handshakeFailure = String.valueOf(cause.getMessage());
        } else {
            transport.log().debug("[{}] connection with {} failed", transport.config.nodeName(),
                    peer != null ? peer : ((QuicChannel) ctx.channel()).remoteSocketAddress(), cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (established) {
            transport.connections.remove((QuicChannel) ctx.channel());
            transport.counters.decrement(Counter.CONNECTIONS_ACTIVE);
            if (closeEvent != null && closeEvent.isTlsError()) {
                // The handshake looked complete here, but the peer then refused our certificate.
                reportRefusal((QuicChannel) ctx.channel(), "the peer refused our certificate ("
                        + closeEvent + ")");
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        if (!established) {
            QuicChannel channel = (QuicChannel) ctx.channel();
            String refusal = transport.tls.takeRefusal(channel);
            if (refusal != null) {
                reportRefusal(channel, refusal);
            } else if (handshakeFailure != null) {
                reportRefusal(channel, "TLS handshake failed: " + handshakeFailure);
            } else if (closeEvent != null && closeEvent.isTlsError()) {
                reportRefusal(channel, "the peer refused the TLS handshake (" + closeEvent + ")");
            } else {
                transport.log().debug("[{}] {} handshake with {} did not complete", transport.config.nodeName(),
                        outbound ? "outbound" : "inbound", channel.remoteSocketAddress());
            }
        }
        ctx.fireChannelUnregistered();
    }

    private void reportRefusal(QuicChannel channel, String reason) {
        if (refusalReported) {
            return;
        }
        refusalReported = true;
        transport.counters.increment(Counter.HANDSHAKES_REFUSED);
        transport.log().warn("[{}] {} QUIC connection {} {} refused: {}", transport.config.nodeName(),
                outbound ? "outbound" : "inbound", outbound ? "to" : "from", channel.remoteSocketAddress(), reason);
    }

    private PeerIdentity identityOf(QuicChannel channel) {
        try {
            Certificate[] certificates = channel.sslEngine().getSession().getPeerCertificates();
            if (certificates.length > 0 && certificates[0] instanceof X509Certificate certificate) {
                return PeerIdentity.of(certificate, transport.tls.verifiesPeers());
            }
        } catch (SSLPeerUnverifiedException | NullPointerException e) {
            transport.log().debug("[{}] no peer certificate from {}", transport.config.nodeName(),
                    channel.remoteSocketAddress(), e);
        }
        return null;
    }
}
