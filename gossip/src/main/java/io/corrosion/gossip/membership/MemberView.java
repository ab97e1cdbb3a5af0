package io.corrosion.gossip.membership;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;

/** A member and its status as this node sees them, for inspection. */
public record MemberView(Member member, MemberStatus status, long statusSince) {
}
