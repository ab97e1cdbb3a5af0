package io.corrosion.gossip;

import java.util.Objects;

/**
 * A node as membership knows it: its site id, where it listens, and its incarnation. Only the node itself
 * raises its incarnation (to refute a suspicion, or when it restarts), so a higher incarnation is newer news.
 */
public record Member(SiteId siteId, NodeAddress address, long incarnation) {

    public Member {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(address, "address");
        if (incarnation < 0) {
            throw new IllegalArgumentException("negative incarnation " + incarnation);
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
