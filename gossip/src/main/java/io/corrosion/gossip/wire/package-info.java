/**
 * Versioned, sealed message records (one per file) and their compact binary codec. One encoded message is one
 * frame, a {@code byte[]}; the transport moves frames and knows nothing of their content. Decoding is strict and
 * bounded: see {@link io.corrosion.gossip.wire.WireCodec}.
 */
package io.corrosion.gossip.wire;
