package io.corrosion.gossip.sync;

import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.SyncState.SiteVersions;
import io.corrosion.gossip.store.LongRangeSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Corrosion's {@code compute_available_needs}: what we can ask a peer for, given both sync states. */
public final class SyncNeeds {

    private SyncNeeds() {
    }

    /**
     * For every site the peer has versions of (except ours): (a) our needed versions that the peer has whole,
     * (b) our partial versions' missing seqs where the peer has the version whole, or has those seqs in its own
     * partial, (c) everything above our head up to the peer's head.
     */
    public static List<SyncNeed> compute(SyncState ours, SyncState theirs) {
        List<SyncNeed> needs = new ArrayList<>();
        for (Map.Entry<SiteId, SiteVersions> e : theirs.sites().entrySet()) {
            SiteId site = e.getKey();
            SiteVersions their = e.getValue();
            if (site.equals(ours.siteId()) || their.head() == 0) {
                continue;
            }
            LongRangeSet theirHaves = LongRangeSet.of(1, their.head());
            their.needed().forEach(theirHaves::remove);
            their.partialNeeds().keySet().forEach(v -> theirHaves.remove(v, v));

            SiteVersions our = ours.sites().get(site);
            long ourHead = 0;
            if (our != null) {
                ourHead = our.head();
                for (LongRange range : our.needed()) {
                    for (LongRange overlap : theirHaves.intersection(range.start(), range.end())) {
                        needs.add(new SyncNeed.Full(site, overlap));
                    }
                }
                for (Map.Entry<Long, List<LongRange>> partial : our.partialNeeds().entrySet()) {
                    long version = partial.getKey();
                    List<LongRange> missing = partial.getValue();
                    if (missing.isEmpty()) {
                        continue;
                    }
                    if (theirHaves.contains(version)) {
                        needs.add(new SyncNeed.Partial(site, version, missing));
                    } else if (their.partialNeeds().containsKey(version)) {
                        List<LongRange> wanted = seqsTheyHave(missing, their.partialNeeds().get(version));
                        if (!wanted.isEmpty()) {
                            needs.add(new SyncNeed.Partial(site, version, wanted));
                        }
                    }
                }
            }
            if (their.head() > ourHead) {
                needs.add(new SyncNeed.Full(site, new LongRange(ourHead + 1, their.head())));
            }
        }
        return needs;
    }

    /**
     * {@code needs} less what {@code outstanding} (asked of peers in other sessions, not served in full yet) covers:
     * a version asked for there, whole or in part, is not asked for again. Both sides of every session serve the
     * other, so without this a node catching up would have each new session, its own or a peer's, read and send the
     * versions the running one is sending already.
     */
    public static List<SyncNeed> without(List<SyncNeed> needs, List<SyncNeed> outstanding) {
        if (outstanding.isEmpty()) {
            return needs;
        }
        Map<SiteId, LongRangeSet> asked = new HashMap<>();
        for (SyncNeed need : outstanding) {
            LongRangeSet versions = asked.computeIfAbsent(need.siteId(), id -> new LongRangeSet());
            if (need instanceof SyncNeed.Full full) {
                versions.add(full.versions());
            } else {
                long v = ((SyncNeed.Partial) need).version();
                versions.add(v, v);
            }
        }
        List<SyncNeed> left = new ArrayList<>();
        for (SyncNeed need : needs) {
            LongRangeSet versions = asked.get(need.siteId());
            if (versions == null) {
                left.add(need);
            } else if (need instanceof SyncNeed.Full full) {
                for (LongRange gap : versions.gaps(full.versions().start(), full.versions().end())) {
                    left.add(new SyncNeed.Full(need.siteId(), gap));
                }
            } else if (!versions.contains(((SyncNeed.Partial) need).version())) {
                left.add(need);
            }
        }
        return left;
    }

    /** Of the seqs we miss, those the peer (partial too) does not miss. */
    private static List<LongRange> seqsTheyHave(List<LongRange> ourMissing, List<LongRange> theirMissing) {
        long end = 0;
        for (LongRange r : ourMissing) {
            end = Math.max(end, r.end());
        }
        for (LongRange r : theirMissing) {
            end = Math.max(end, r.end());
        }
        LongRangeSet theirSeqs = LongRangeSet.of(0, end);
        theirMissing.forEach(theirSeqs::remove);
        List<LongRange> wanted = new ArrayList<>();
        for (LongRange r : ourMissing) {
            wanted.addAll(theirSeqs.intersection(r.start(), r.end()));
        }
        return wanted;
    }
}
