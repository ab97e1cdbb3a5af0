/**
 * The {@link io.corrosion.gossip.transport.Transport} over QUIC: netty 4.2's QUIC codec (quiche and
 * BoringSSL underneath), TLS 1.3 with mutual authentication against the cluster CA.
 *
 * <h2>Mapping (DESIGN.md §3)</h2>
 * <ul>
 *   <li>Datagram: a QUIC DATAGRAM frame (RFC 9221) on the connection to the peer. Unreliable like UDP, but
 *       encrypted and authenticated like everything else, and it shares the connection's congestion
 *       control.</li>
 *   <li>Message: one length-prefixed frame on the peer's current message stream, a unidirectional stream
 *       that is finished (FIN) at most 0.5 s after it opened, the next message opening a new one
 *       ({@code MessageStream}). A stream per message cost a stream channel, its pipeline and timers on both
 *       sides for every changeset to every peer, which was most of the transport's CPU under load. Messages on
 *       one stream arrive in order, and a lost packet holds back those behind it on that stream.</li>
 *   <li>Exchange: one bidirectional stream; each side writes length-prefixed frames and finishes its half
 *       with a FIN; an abort resets both halves (RESET_STREAM + STOP_SENDING) with an application code
 *       telling the peer why ({@code Frames.ResetCode}).</li>
 * </ul>
 * Frames on streams are a 4-byte big-endian length, then the bytes.
 *
 * <h2>Connections</h2>
 * One listening UDP socket (the bind address) and one dialling socket (same IP, ephemeral port). We send
 * only on connections we dialled and receive on those peers dialled, so between two nodes there are at
 * most two connections, one per direction: the same as Corrosion's transport, and no need to tell a
 * peer's dialling port from its listen port. {@code Connections} caches one outbound connection per peer
 * address (a handshake costs ~5 ms warm, 0.2–0.6 s cold), closes it after {@code connectionIdleTimeout}
 * without traffic, and redials on the next send. A failed dial makes sends to that peer fail fast for
 * {@code reconnectBackoff}. Because a restarted peer silently drops packets of connections it forgot
 * (no stateless reset in netty's server), {@code LivenessWatchdog} pings an outbound connection that sent
 * but heard nothing, and closes it after {@code unresponsiveTimeout}.
 *
 * <p>The listening side confirms every connection it accepted by opening and at once finishing one
 * unidirectional stream; the dialling side uses a connection only after that. In TLS 1.3 a client
 * considers the handshake complete before the server checked the client's certificate; without the
 * confirmation, a refused node's sends would "succeed" into a connection about to be closed.
 *
 * <h2>Hostile input</h2>
 * Per connection, QUIC stream credit bounds concurrent streams ({@code maxInboundUniStreams},
 * {@code maxInboundBidiStreams}) and flow control bounds bytes in flight. {@code FrameReader} cuts a
 * stream whose length prefix exceeds {@code maxFrameSize} before buffering its body, grows a frame's
 * buffer only with bytes that arrived, cuts a frame that takes longer than {@code frameTimeout} and a
 * stream idle for {@code streamIdleTimeout}; a peer with 16 cut streams on one connection is
 * disconnected. Datagrams over {@code maxDatagramSize} are dropped. All of it is counted in
 * {@link io.corrosion.gossip.transport.TransportMetrics}, logged once per connection attempt (TLS
 * refusals) or at most three times per connection (cut streams) at WARN.
 *
 * <h2>Threads</h2>
 * A netty event loop group of {@code ioThreads} (2 by default: one per socket) daemon threads named
 * {@code corrosion-quic-*}; every connection and its streams live on one of them, and handlers are called
 * there. One loop for both sockets was measured: in the full replication benchmark (five nodes on two cores) it
 * used a little less CPU per row, but the write overhead was no better (1.48–1.60× against 1.45–1.46×) and the
 * propagation p99 was worse (25.9–28.5 ms against 16.7–21.5 ms). {@link
 * io.corrosion.gossip.transport.quic.QuicTransport#close()} closes connections (peers get a CONNECTION_CLOSE), sockets
 * and the group, and returns once the threads ended.
 */
package io.corrosion.gossip.transport.quic;
