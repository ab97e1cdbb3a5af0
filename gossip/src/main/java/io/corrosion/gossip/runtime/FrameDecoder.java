package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Channel;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.wire.DecodeException;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns received frames into messages on the transport's I/O threads, and checks each arrived the way its type
 * travels (a probe as a datagram, a broadcast as a message, sync inside a session). A frame that fails either
 * check is counted and logged with its peer at a bounded rate; nothing of it reaches the cores. A peer that keeps
 * sending such frames is quarantined ({@link PeerQuarantine}): its frames are dropped unread for a while.
 */
final class FrameDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final String nodeName;
    private final WireCodec codec;
    private final NodeCounters counters;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 5, 10_000);
    private final PeerQuarantine quarantine;

    FrameDecoder(String nodeName, WireCodec codec, NodeCounters counters) {
        this.nodeName = nodeName;
        this.codec = codec;
        this.counters = counters;
        this.quarantine = new PeerQuarantine(System::nanoTime);
    }

    /** The message, or {@code null} if the frame is not a valid message for {@code channel}. Thread-safe. */
    GossipMessage decode(byte[] frame, Channel channel, PeerInfo from) {
        if (quarantine.blocks(from)) {
            counters.quarantinedFrames.increment();
            return null;
        }
        GossipMessage message;
        try {
            message = codec.decode(frame);
        } catch (DecodeException e) {
            warnings.warn("[" + nodeName + "] rejected a " + frame.length + "-byte " + channel + " frame from " + from
                    + ": " + e.getMessage());
            strike(from);
            return null;
        }
        if (message.channel() != channel) {
            violation(message.getClass().getSimpleName() + " arrived as a " + channel + " frame", from);
            return null;
        }
        return message;
    }

    void violation(String what, PeerInfo from) {
        counters.protocolViolations.increment();
        warnings.warn("[" + nodeName + "] protocol violation by " + from + ": " + what);
        strike(from);
    }

    private void strike(PeerInfo from) {
        if (quarantine.strike(from)) {
            LOG.warn("[{}] {} sent {} bad frames within {} s: its frames are dropped for {} s", nodeName, from,
                    PeerQuarantine.STRIKES, PeerQuarantine.WINDOW_NANOS / 1_000_000_000L,
                    PeerQuarantine.PENALTY_NANOS / 1_000_000_000L);
        }
    }

    long rejected() {
        return codec.rejectedTotal();
    }
}
