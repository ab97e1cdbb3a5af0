package io.corrosion.gossip.runtime;

import io.corrosion.gossip.transport.PeerInfo;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Peers that keep sending garbage are shut out for a while. Every frame that fails to decode or breaks the protocol
 * is a strike against the connection it came on; {@link #STRIKES} strikes within {@link #WINDOW_NANOS} quarantine
 * it for {@link #PENALTY_NANOS}, during which its frames are dropped before decoding (no CPU spent, no log line
 * each). A peer with a bug gets through again after the penalty; one garbage frame now and then never trips it.
 * Thread-safe: the transport's I/O threads call it.
 */
final class PeerQuarantine {
    static final int STRIKES = 20;
    static final long WINDOW_NANOS = 10_000_000_000L;
    static final long PENALTY_NANOS = 60_000_000_000L;
    /** Peers tracked at most; past it, forgotten entries whose window and penalty are over are dropped. */
    private static final int MAX_TRACKED = 4096;

    private static final class Record {
        long windowStart;
        int strikes;
        long quarantinedUntil;
    }

    private final ConcurrentHashMap<InetSocketAddress, Record> peers = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    PeerQuarantine(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Whether frames from this peer are to be dropped now. */
    boolean blocks(PeerInfo from) {
        Record r = peers.get(from.address());
        if (r == null) {
            return false;
        }
        synchronized (r) {
            return r.quarantinedUntil - nanoTime.getAsLong() > 0;
        }
    }

    /** Counts a bad frame; true if this strike put the peer in quarantine. */
    boolean strike(PeerInfo from) {
        long now = nanoTime.getAsLong();
        if (peers.size() >= MAX_TRACKED) {
            peers.values().removeIf(r -> {
                synchronized (r) {
                    return now - r.windowStart > WINDOW_NANOS && r.quarantinedUntil - now <= 0;
                }
            });
        }
        Record r = peers.computeIfAbsent(from.address(), a -> new Record());
        synchronized (r) {
            if (r.strikes == 0 || now - r.windowStart > WINDOW_NANOS) {
                r.windowStart = now;
                r.strikes = 0;
            }
            r.strikes++;
            if (r.strikes >= STRIKES && r.quarantinedUntil - now <= 0) {
                r.quarantinedUntil = now + PENALTY_NANOS;
                r.strikes = 0;
                return true;
            }
            return false;
        }
    }
}
