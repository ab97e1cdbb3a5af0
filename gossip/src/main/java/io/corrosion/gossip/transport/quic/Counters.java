package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.TransportMetrics;
import java.util.concurrent.atomic.LongAdder;

/** The transport's counters, one {@link LongAdder} each; {@link #snapshot()} makes the public record. */
final class Counters {

    enum Counter {
        DATAGRAMS_SENT, DATAGRAMS_RECEIVED, DATAGRAMS_DROPPED_OVERSIZE,
        MESSAGES_SENT, MESSAGES_RECEIVED,
        EXCHANGES_OPENED, EXCHANGES_ACCEPTED, EXCHANGES_ABORTED,
        FRAMES_SENT, FRAMES_RECEIVED, BYTES_SENT, BYTES_RECEIVED,
        FRAMES_OVERSIZE, FRAMES_TIMED_OUT, STREAMS_IDLE_CLOSED, STREAMS_TRUNCATED, PEERS_DISCONNECTED,
        HANDSHAKES_REFUSED, CONNECT_FAILURES, CONNECTIONS_OPENED, CONNECTIONS_ACCEPTED, DEAD_CONNECTIONS_CLOSED,
        SENDS_REJECTED_OVERLOADED, HANDLER_ERRORS,
        CONNECTIONS_ACTIVE, STREAMS_ACTIVE
    }

    private final LongAdder[] adders = new LongAdder[Counter.values().length];

    Counters() {
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
    }

    void increment(Counter counter) {
        adders[counter.ordinal()].increment();
    }

    void decrement(Counter counter) {
        adders[counter.ordinal()].decrement();
    }

    void add(Counter counter, long amount) {
        adders[counter.ordinal()].add(amount);
    }

    long get(Counter counter) {
        return adders[counter.ordinal()].sum();
    }

    TransportMetrics snapshot() {
        return new TransportMetrics(
                get(Counter.DATAGRAMS_SENT), get(Counter.DATAGRAMS_RECEIVED), get(Counter.DATAGRAMS_DROPPED_OVERSIZE),
                get(Counter.MESSAGES_SENT), get(Counter.MESSAGES_RECEIVED),
                get(Counter.EXCHANGES_OPENED), get(Counter.EXCHANGES_ACCEPTED), get(Counter.EXCHANGES_ABORTED),
                get(Counter.FRAMES_SENT), get(Counter.FRAMES_RECEIVED),
                get(Counter.BYTES_SENT), get(Counter.BYTES_RECEIVED),
                get(Counter.FRAMES_OVERSIZE), get(Counter.FRAMES_TIMED_OUT),
                get(Counter.STREAMS_IDLE_CLOSED), get(Counter.STREAMS_TRUNCATED), get(Counter.PEERS_DISCONNECTED),
                get(Counter.HANDSHAKES_REFUSED), get(Counter.CONNECT_FAILURES),
                get(Counter.CONNECTIONS_OPENED), get(Counter.CONNECTIONS_ACCEPTED),
                get(Counter.DEAD_CONNECTIONS_CLOSED), get(Counter.SENDS_REJECTED_OVERLOADED),
                get(Counter.HANDLER_ERRORS),
                get(Counter.CONNECTIONS_ACTIVE), get(Counter.STREAMS_ACTIVE));
    }
}
