package io.corrosion.gossip.transport.quic;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import java.util.concurrent.TimeUnit;

/**
 * The QUIC settings of both sockets in one place. The listening socket grants each peer
 * {@code maxInboundUniStreams}/{@code maxInboundBidiStreams} concurrent streams (QUIC enforces it: a peer
 * exceeding its credit is a protocol error) and flow-control windows; the dialling socket grants the peer
 * one unidirectional stream at a time, for the confirmation, since nothing else flows that way.
 */
final class QuicCodecs {

    /** UDP payload QUIC packets may use: fits a 1500-byte Ethernet MTU with IPv6 headers to spare. */
    static final int UDP_PAYLOAD = 1350;
    private static final int DATAGRAM_QUEUE = 256;

    private QuicCodecs() {
    }

    static ChannelHandler server(TransportContext transport, ChannelHandler connectionSetup,
                                 ChannelHandler streamSetup) {
        QuicTransportConfig config = transport.config;
        return common(new QuicServerCodecBuilder(), config)
                .sslEngineProvider(transport.tls.serverEngines())
                // No token handler, so no address-validation retry: one round trip less per handshake, and peers
                // authenticate with certificates anyway.
                .tokenHandler(null)
                .initialMaxStreamsUnidirectional(config.maxInboundUniStreams())
                .initialMaxStreamsBidirectional(config.maxInboundBidiStreams())
                .handler(connectionSetup)
                .streamHandler(streamSetup)
                .build();
    }

    static ChannelHandler client(TransportContext transport) {
        return common(new QuicClientCodecBuilder(), transport.config)
                .sslEngineProvider(transport.tls.clientEngines())
                // The listening side opens exactly one stream: the confirmation (see ConnectionHandler).
                .initialMaxStreamsUnidirectional(1)
                .initialMaxStreamsBidirectional(0)
                .build();
    }

    private static <B extends QuicCodecBuilder<B>> B common(B builder, QuicTransportConfig config) {
        return builder
                .maxIdleTimeout(config.connectionIdleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecvUdpPayloadSize(UDP_PAYLOAD)
                .maxSendUdpPayloadSize(UDP_PAYLOAD)
                .initialMaxData(config.connectionWindow())
                .initialMaxStreamDataBidirectionalLocal(config.streamWindow())
                .initialMaxStreamDataBidirectionalRemote(config.streamWindow())
                .initialMaxStreamDataUnidirectional(config.streamWindow())
                .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE)
                .activeMigration(false);
    }
}
