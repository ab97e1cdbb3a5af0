package io.corrosion.gossip;

import java.util.Objects;

/**
 * A node as membership knows it: its site id, where it listens, and its incarnation. Only the node itself
 * raises its incarnation (to refute a suspicion, or when it restarts), so a higher incarnation is newer news.
 */
public record Member(SiteId siteId, NodeAddress address, long incarnation) {

    /**
     * The highest incarnation: far above any a node reaches (it starts from wall-clock milliseconds and adds one per
     * refutation), and far enough below {@code Long.MAX_VALUE} that outbidding one is never an overflow.
     */
    public static final long MAX_INCARNATION = 1L << 62;

    public Member {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(address, "address");
        if (incarnation < 0 || incarnation > MAX_INCARNATION) {
            throw new IllegalArgumentException("incarnation " + incarnation + " outside [0, 2^62]");
        }
    }

    public Member withIncarnation(long newIncarnation) {
        return new Member(siteId, address, newIncarnation);
    }

    @Override
    public String toString() {
        return siteId.shortString() + "@" + address + "#" + incarnation;
    }
}
