package io.corrosion.gossip.membership;

import io.corrosion.gossip.Member;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound on the member list ({@code maxMembers}, the node itself included). At the cap a new member takes the
 * place of the member down the longest: a dead or departed member is kept only to tell it so and to try
 * reconnecting, which matters less than a live newcomer, and a cluster replacing nodes near the cap must not lock
 * new ones out for the whole dead retention. With no member down, new ones are refused: otherwise a hostile member
 * could push out live members with made-up ones. Refusals are counted and logged at most once a minute.
 */
final class MemberCap {

    private static final Logger LOG = LoggerFactory.getLogger(MemberCap.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final int maxMembers;
    private long refused;
    private long refusedSinceLog;
    private long nextLogAt = Long.MIN_VALUE;

    MemberCap(int maxMembers) {
        this.maxMembers = maxMembers;
    }

    /** True if a list of {@code others} members besides the node itself has no room for one more. */
    boolean full(int others) {
        return others + 1 >= maxMembers;
    }

    /** The member down (dead or left) the longest, or null if every member is up. */
    static MemberState longestDown(Collection<MemberState> members) {
        MemberState oldest = null;
        for (MemberState s : members) {
            if (s.status.isDown() && (oldest == null || s.statusSince < oldest.statusSince)) {
                oldest = s;
            }
        }
        return oldest;
    }

    void refuse(Member self, Member newcomer, long now) {
        refused++;
        refusedSinceLog++;
        if (now >= nextLogAt) {
            LOG.warn("{} keeps at most {} members (maxMembers), all up: refused {} new ones, the last {}", self,
                    maxMembers, refusedSinceLog, newcomer);
            refusedSinceLog = 0;
            nextLogAt = now + LOG_EVERY_MILLIS;
        }
    }

    long refused() {
        return refused;
    }
}
