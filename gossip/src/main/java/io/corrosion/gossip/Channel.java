package io.corrosion.gossip;

/** How a message wants to travel. The transport maps each to a QUIC facility. */
public enum Channel {
    /** Unreliable, unordered, must fit one datagram: SWIM probes, acks and piggybacked gossip. */
    DATAGRAM,
    /** Reliable one-way message (a QUIC uni stream): broadcasts, membership push-pull. */
    STREAM,
    /** Reliable, ordered, both directions (a QUIC bidi stream), keyed by the sync session. */
    SESSION
}
