package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.SiteId;
import java.util.Objects;

/** A membership rumour: {@code from} says {@code member} (at its incarnation) is {@code status}. */
public record MemberUpdate(MemberStatus status, Member member, SiteId from) {

    public MemberUpdate {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(from, "from");
    }
}
