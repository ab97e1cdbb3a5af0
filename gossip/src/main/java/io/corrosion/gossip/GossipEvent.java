package io.corrosion.gossip;

/** What the cores report to the application. */
public sealed interface GossipEvent {

    /** A member joined, or came back (a restart with a higher incarnation, or a refuted death). */
    record MemberUp(Member member) implements GossipEvent {
    }

    /** A member is suspected of having failed. */
    record MemberSuspected(Member member, SiteId by) implements GossipEvent {
    }

    /** A member was declared dead, or left. */
    record MemberDown(Member member, boolean left) implements GossipEvent {
    }

    /**
     * Another node, at {@code other}, runs with this node's site id: one of the two files is a copy of the other. Both
     * nodes' commits take the same db versions, and every peer keeps only one of each. Reported by every message that
     * shows it.
     */
    record SiteIdShared(NodeAddress other) implements GossipEvent {
    }

    /**
     * A peer holds versions of this node's own site beyond this node's latest: the node's file is older than its
     * site's history, restored from a backup or copied to start another node. The node's next commits take version
     * numbers the cluster already has, and peers drop them as duplicates. Reported by every sync with such a peer.
     */
    record OwnSiteBehind(NodeAddress peer, long theirHead, long ourHead) implements GossipEvent {
    }

    /** A received changeset was stored as new. {@code hops} is 0 for sync. */
    record ChangesetApplied(Changeset changeset, ChangesetSource source, int hops) implements GossipEvent {
    }
}
