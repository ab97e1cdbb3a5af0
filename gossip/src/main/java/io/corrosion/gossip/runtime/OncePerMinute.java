package io.corrosion.gossip.runtime;

import java.util.concurrent.TimeUnit;

/**
 * Whether a log line that the protocol may repeat with every sync or message is due again: when first seen, then at
 * most once a minute. One thread.
 */
final class OncePerMinute {
    private static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);
    private long lastAt;
    private boolean logged;

    boolean due() {
        long now = System.nanoTime();
        if (logged && now - lastAt < PERIOD_NANOS) {
            return false;
        }
        logged = true;
        lastAt = now;
        return true;
    }
}
