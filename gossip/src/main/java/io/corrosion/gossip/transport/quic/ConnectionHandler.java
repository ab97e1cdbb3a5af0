package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.PeerIdentity;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportException.Reason;
import io.corrosion.gossip.transport.quic.Counters.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The first handler of every QUIC connection, both directions: learns the peer's identity when the
 * handshake completes, delivers datagrams, passes new streams on (to {@link StreamSetup}), and logs a
 * refused handshake once, at WARN, with the peer's address and the reason.
 *
 * <p>Confirmation: in TLS 1.3 the dialling side considers the handshake complete before the listening side
 * has checked its certificate. So the listening side, once it accepted the peer, opens one unidirectional
 * stream and finishes it at once (it travels with QUIC's HANDSHAKE_DONE, no extra round trip); the dialling
 * side uses a connection only after that stream arrived. A refused node's sends then fail with
 * {@link Reason#HANDSHAKE_FAILED} instead of vanishing.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private final TransportContext transport;
    private final boolean outbound;
    private final CompletableFuture<Void> confirmation;
    private InetSocketAddress remote;
    private PeerInfo peer;
    private boolean established;
    private boolean refusalReported;
    private String handshakeFailure;
    private QuicConnectionCloseEvent closeEvent;

    /** For a connection a peer dialled. */
    ConnectionHandler(TransportContext transport) {
        this(transport, null);
    }

    /** For a connection we dialled; {@code confirmation} completes when the peer accepted us, or fails. */
    ConnectionHandler(TransportContext transport, CompletableFuture<Void> confirmation) {
        this.transport = transport;
        this.outbound = confirmation != null;
        this.confirmation = confirmation;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        remote = (InetSocketAddress) ((QuicChannel) ctx.channel()).remoteSocketAddress();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        QuicChannel channel = (QuicChannel) ctx.channel();
        PeerIdentity identity = identityOf(channel);
        if (identity == null) {
            reportRefusal("no peer certificate after the handshake");
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
        if (!outbound) {
            channel.createStream(QuicStreamType.UNIDIRECTIONAL, null).addListener(f -> {
                if (f.isSuccess()) {
                    ((QuicStreamChannel) f.getNow()).shutdownOutput();
                }
            });
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof QuicStreamChannel) {
            if (outbound) {
                confirmation.complete(null);
            }
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
        failConfirmation();
        if (established) {
            transport.connections.remove((QuicChannel) ctx.channel());
            transport.counters.decrement(Counter.CONNECTIONS_ACTIVE);
            if (closeEvent != null && closeEvent.isTlsError()) {
                // The handshake looked complete here, but the peer then refused our certificate.
                reportRefusal("the peer refused our certificate (" + describe(closeEvent) + ")");
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        failConfirmation();
        if (!established) {
            String refusal = transport.tls.takeRefusal((QuicChannel) ctx.channel());
            if (refusal != null) {
                reportRefusal(refusal);
            } else if (handshakeFailure != null) {
                reportRefusal("TLS handshake failed: " + handshakeFailure);
            } else if (closeEvent != null && closeEvent.isTlsError()) {
                reportRefusal("the peer aborted the TLS handshake (" + describe(closeEvent) + ")");
            } else {
                transport.log().debug("[{}] {} handshake with {} did not complete", transport.config.nodeName(),
                        outbound ? "outbound" : "inbound", remote);
            }
        }
        ctx.fireChannelUnregistered();
    }

    private void failConfirmation() {
        if (confirmation == null || confirmation.isDone()) {
            return;
        }
        boolean tls = refusalReported || handshakeFailure != null || closeEvent != null && closeEvent.isTlsError();
        confirmation.completeExceptionally(tls
                ? new TransportException(Reason.HANDSHAKE_FAILED, remote + " refused the TLS handshake"
                        + (closeEvent != null ? " (" + describe(closeEvent) + ")" : handshakeFailure != null
                        ? ": " + handshakeFailure : ""))
                : new TransportException(Reason.CONNECT_FAILED, "the connection to " + remote
                        + " closed before the peer accepted it"));
    }

    private void reportRefusal(String reason) {
        if (refusalReported) {
            return;
        }
        refusalReported = true;
        transport.counters.increment(Counter.HANDSHAKES_REFUSED);
        transport.log().warn("[{}] {} QUIC connection {} {} refused: {}", transport.config.nodeName(),
                outbound ? "outbound" : "inbound", outbound ? "to" : "from", remote, reason);
    }

    /** "TLS alert 45 (certificate_expired)" rather than the event's numeric dump. */
    static String describe(QuicConnectionCloseEvent event) {
        if (!event.isTlsError()) {
            return (event.isApplicationClose() ? "application" : "transport") + " error " + event.error();
        }
        int alert = QuicConnectionCloseEvent.extractTlsError(event.error());
        String name = switch (alert) {
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 48 -> "unknown_ca";
            case 80 -> "internal_error, e.g. an untrusted certificate";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> "see RFC 8446";
        };
        return "TLS alert " + alert + ", " + name;
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
