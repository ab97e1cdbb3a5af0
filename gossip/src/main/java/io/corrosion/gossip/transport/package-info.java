/**
 * The transport contract between the gossip runtime and the network: {@link io.corrosion.gossip.transport.Transport}
 * moves opaque byte frames over three channels (unreliable datagrams, reliable one-way messages,
 * bidirectional exchanges), hands inbound traffic to an {@link io.corrosion.gossip.transport.InboundHandler}
 * on its I/O threads, and reports {@link io.corrosion.gossip.transport.TransportMetrics}. No netty type
 * appears here; the QUIC implementation lives in {@code transport.quic}.
 *
 * <h2>How the protocol cores map onto it</h2>
 * <ul>
 *   <li>SWIM probes, acks, indirect probes: {@code sendDatagram}. Small (at most {@code maxDatagramSize},
 *       1200 bytes by default), loss is part of SWIM's model, and a lost probe must not delay the next one
 *       behind a retransmission.</li>
 *   <li>Broadcast of a changeset: {@code sendMessage}, one reliable frame. QUIC puts a peer's messages on one
 *       stream renewed a few times a second (a stream per message cost most of the transport's CPU under
 *       load); a lost packet then holds back the messages behind it on that stream, for one retransmission.</li>
 *   <li>Anti-entropy sync: {@code openExchange}. The initiator sends its heads and needs, finishes; the peer
 *       answers with bounded batches and finishes. Frames are ordered within the exchange; waiting for each
 *       {@code send} stage to complete gives back-pressure from QUIC flow control, and
 *       {@code pauseReading} lets a slow receiver push back.</li>
 * </ul>
 *
 * <h2>Identity</h2>
 * The address in {@link io.corrosion.gossip.transport.PeerInfo} is where a connection came from; a dialling
 * peer uses an ephemeral port, so the sender's listen address (and its member identity) must travel in the
 * payload. {@link io.corrosion.gossip.transport.PeerIdentity} is the certificate the peer proved it holds,
 * verified against the cluster CA; the runtime can log it and later check that a payload's claimed
 * identity matches it.
 *
 * <h2>Failures</h2>
 * Every stage fails with a {@link io.corrosion.gossip.transport.TransportException} whose
 * {@link io.corrosion.gossip.transport.TransportException.Reason} is stable for callers to switch on.
 */
package io.corrosion.gossip.transport;
