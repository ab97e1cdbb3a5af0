package io.corrosion.gossip.runtime;

import io.corrosion.gossip.core.GossipCore;
import io.corrosion.gossip.core.Outbox;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a node's goodbye, the wait for a live peer to answer that it holds every version of the node's own site
 * ({@link GossipCore#handOver}): a broadcast reported sent is not a broadcast received and stored (a send completes
 * once QUIC took the frame, and closing the connection discards what it had not delivered yet; a receiver's full queue
 * drops), and a node that does not come back must not take acknowledged writes with it. Bounded by the handover
 * timeout; what is not confirmed by then is logged at WARN, and reaches the others by sync once the node is back.
 */
final class LeaveHandover {
    private static final Logger LOG = LoggerFactory.getLogger(LeaveHandover.class);

    private final String name;
    private final Duration timeout;
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    private volatile boolean started;
    private volatile String progress = "no peer answered";

    LeaveHandover(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
    }

    /** Begins it (protocol thread); false if no member is alive to hand over to. */
    boolean begin(GossipCore core, long now, Outbox outbox) {
        started = core.handOver(now, outbox);
        if (!started) {
            done.complete(false);
        }
        return started;
    }

    /** After each protocol step: whether it is over (a peer holds them all, or every member left or died). */
    boolean check(GossipCore core) {
        progress = core.handoverProgress();
        if (core.handedOver() || core.handoverAbandoned()) {
            done.complete(core.handedOver());
            return true;
        }
        return false;
    }

    /** Waits for it, up to the timeout (the caller's thread), and logs how it ended. */
    void await() {
        long began = System.nanoTime();
        try {
            boolean handedOver = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (handedOver) {
                LOG.info("[{}] handed this node's versions over in {} ms: {}", name,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), progress);
            } else if (started) {
                LOG.warn("[{}] every member left or died during the handover of this node's versions (last answer:"
                        + " {}); the others get what they lack by sync once this node is back", name, progress);
            } else {
                LOG.debug("[{}] no member alive to hand this node's versions over to", name);
            }
        } catch (TimeoutException e) {
            LOG.warn("[{}] no peer answered within {} that it holds every version of this node's site (last answer:"
                    + " {}); the others get what they lack by sync once this node is back", name, timeout, progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
