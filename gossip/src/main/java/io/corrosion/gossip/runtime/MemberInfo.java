package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import java.time.Instant;
import java.util.Objects;

/**
 * Another node as this one sees it: who and where (with its incarnation), its SWIM status, and since when (wall
 * clock, to the millisecond of this node's observation).
 */
public record MemberInfo(Member member, MemberStatus status, Instant since) {

    public MemberInfo {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
    }

    public SiteId siteId() {
        return member.siteId();
    }

    public NodeAddress address() {
        return member.address();
    }
}
