package io.corrosion.gossip.transport;

/**
 * A snapshot of a transport's counters (monotonic since start) and gauges (current values). Plain numbers,
 * no metrics library: the runtime exports them (Micrometer, JMX) as it sees fit.
 *
 * @param datagramsSent            datagrams handed to the network
 * @param datagramsReceived        datagrams delivered to the handler
 * @param datagramsDroppedOversize datagrams refused or dropped for exceeding the maximum size, either way
 * @param messagesSent             messages written completely
 * @param messagesReceived         messages delivered to the handler
 * @param exchangesOpened          exchanges this side opened
 * @param exchangesAccepted        exchanges peers opened and our handler accepted
 * @param exchangesAborted         exchanges that ended abnormally, for any reason, on this side
 * @param framesSent               frames written on streams (messages and exchange frames)
 * @param framesReceived           frames read whole from streams
 * @param bytesSent                payload bytes of frames and datagrams sent
 * @param bytesReceived            payload bytes of frames and datagrams received
 * @param framesOversize           streams cut because a length prefix exceeded the maximum frame size
 * @param framesTimedOut           streams cut because a frame did not complete in time (slow loris)
 * @param streamsIdleClosed        streams cut because nothing moved within the idle timeout
 * @param streamsTruncated         streams that ended in the middle of a frame
 * @param peersDisconnected        connections closed because their peer kept breaking the framing rules
 * @param handshakesRefused        connection attempts that failed TLS (peer certificate refused, either side)
 * @param connectFailures          outbound connection attempts that failed for any reason
 * @param connectionsOpened        outbound connections established
 * @param connectionsAccepted      inbound connections established
 * @param deadConnectionsClosed    outbound connections closed because the peer stopped answering
 * @param sendsRejectedOverloaded  sends refused because too many streams waited for the peer's credit
 * @param handlerErrors            exceptions thrown by our own handlers (caught and logged)
 * @param connectionsActive        gauge: open connections, both directions
 * @param streamsActive            gauge: open streams, both directions
 */
public record TransportMetrics(
        long datagramsSent,
        long datagramsReceived,
        long datagramsDroppedOversize,
        long messagesSent,
        long messagesReceived,
        long exchangesOpened,
        long exchangesAccepted,
        long exchangesAborted,
        long framesSent,
        long framesReceived,
        long bytesSent,
        long bytesReceived,
        long framesOversize,
        long framesTimedOut,
        long streamsIdleClosed,
        long streamsTruncated,
        long peersDisconnected,
        long handshakesRefused,
        long connectFailures,
        long connectionsOpened,
        long connectionsAccepted,
        long deadConnectionsClosed,
        long sendsRejectedOverloaded,
        long handlerErrors,
        long connectionsActive,
        long streamsActive) {
}
