package io.corrosion.gossip.membership;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;

/** One member as this node sees it. Mutable, owned by {@link Membership}. */
final class MemberState {
    Member member;
    MemberStatus status;
    long statusSince;
    Suspicion suspicion;
    long lastDeadNoticeAt = Long.MIN_VALUE / 2;

    MemberState(Member member, MemberStatus status, long now) {
        this.member = member;
        this.status = status;
        this.statusSince = now;
    }

    void set(MemberStatus newStatus, long now) {
        if (newStatus != status) {
            status = newStatus;
            statusSince = now;
        }
        if (newStatus != MemberStatus.SUSPECT) {
            suspicion = null;
        }
    }
}
