package io.corrosion.gossip.membership;

/**
 * Counters of one membership core.
 *
 * @param siteIdShared messages that showed another node running with this node's site id (a copied file)
 */
public record MembershipStats(long probes, long failedProbes, long indirectProbes, long suspicionsRaised,
        long refutations, long deadDeclared, long misdirectedPings, long updatesDropped, long membersRefused,
        long siteIdShared, int awareness) {
}
