package io.corrosion.gossip.runtime;

import io.corrosion.gossip.NodeAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node given seeds that has never seen a live member says so, at WARN, every {@link #PERIOD_MILLIS} until it has one:
 * a seed address with nobody listening, or a firewall, is otherwise silent (the node keeps knocking, and MembersDown
 * stays 0). Protocol thread.
 */
final class JoinWatch {
    private static final Logger LOG = LoggerFactory.getLogger(JoinWatch.class);
    /** How long a node given seeds may go without a live member before it warns (and again after as long). */
    static final long PERIOD_MILLIS = 30_000;
    /** For tests in this JVM: the period actually used. */
    static volatile long periodMillis = PERIOD_MILLIS;

    private final String name;
    private final List<NodeAddress> seeds;
    private final BooleanSupplier hasLivePeers;
    /** A live member was seen once: no more warnings. */
    private boolean joined;
    private int checks;

    /** {@code seeds}: those other than the node's own address. */
    JoinWatch(String name, List<NodeAddress> seeds, BooleanSupplier hasLivePeers) {
        this.name = name;
        this.seeds = List.copyOf(seeds);
        this.hasLivePeers = hasLivePeers;
    }

    boolean needed() {
        return !seeds.isEmpty();
    }

    /** Warns if the node never joined; true while it has not (check again after {@link #periodMillis}). */
    boolean stillAlone() {
        if (joined || hasLivePeers.getAsBoolean()) {
            joined = true;
            return false;
        }
        checks++;
        LOG.warn("[{}] not joined yet: none of the seeds {} answered in {} s. The node keeps trying; check that they run,"
                + " that UDP reaches them and that they use the same TLS CA", name, seeds,
                TimeUnit.MILLISECONDS.toSeconds(periodMillis * checks));
        return true;
    }
}
