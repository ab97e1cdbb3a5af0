package io.corrosion.gossip.membership;

/** Counters of one membership core. */
public record MembershipStats(long probes, long failedProbes, long indirectProbes, long suspicionsRaised,
        long refutations, long deadDeclared, long misdirectedPings, long updatesDropped, long membersRefused,
        int awareness) {
}
