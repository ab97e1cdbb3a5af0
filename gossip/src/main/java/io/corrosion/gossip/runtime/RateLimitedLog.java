package io.corrosion.gossip.runtime;

import org.slf4j.Logger;

/**
 * Warnings at a bounded rate: at most {@code perWindow} lines per window, then silence until the next window,
 * whose first line says how many were held back. For what a hostile or broken peer can trigger at will.
 */
final class RateLimitedLog {

    private final Logger log;
    private final int perWindow;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int inWindow;
    private long suppressed;

    RateLimitedLog(Logger log, int perWindow, long windowMillis) {
        this.log = log;
        this.perWindow = perWindow;
        this.windowNanos = windowMillis * 1_000_000;
    }

    /** Logs {@code message} (already formatted) at WARN unless this window's quota is used up. */
    void warn(String message) {
        long held;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart >= windowNanos) {
                windowStart = now;
                inWindow = 0;
            }
            if (inWindow >= perWindow) {
                suppressed++;
                return;
            }
            inWindow++;
            held = suppressed;
            suppressed = 0;
        }
        if (held > 0) {
            log.warn("{} ({} similar warnings suppressed before this one)", message, held);
        } else {
            log.warn(message);
        }
    }
}
