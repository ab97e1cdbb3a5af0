package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Channel;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.wire.GossipMessage;

/**
 * The transport's inbound side, on its I/O threads: decodes each frame there (cheap, and off the protocol
 * thread), and hands valid messages to the protocol driver. Before the driver is attached and after it is
 * detached, frames are dropped and exchanges refused.
 */
final class InboundFrames implements InboundHandler {

    private final FrameDecoder decoder;
    private volatile ProtocolDriver driver;

    InboundFrames(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    void attach(ProtocolDriver value) {
        driver = value;
    }

    void detach() {
        driver = null;
    }

    @Override
    public void onDatagram(PeerInfo from, byte[] datagram) {
        receive(from, datagram, Channel.DATAGRAM);
    }

    @Override
    public void onMessage(PeerInfo from, byte[] message) {
        receive(from, message, Channel.STREAM);
    }

    private void receive(PeerInfo from, byte[] frame, Channel channel) {
        ProtocolDriver target = driver;
        if (target == null) {
            return;
        }
        GossipMessage message = decoder.decode(frame, channel, from);
        if (message != null) {
            target.receive(message, frame.length);
        }
    }

    @Override
    public ExchangeHandler onExchange(Exchange exchange) {
        ProtocolDriver target = driver;
        return target == null ? null : target.acceptExchange();
    }
}
