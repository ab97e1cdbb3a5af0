package io.corrosion.gossip;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a node has, per site, as Corrosion's {@code SyncStateV1}: the head (highest version known), the versions
 * below it that are missing entirely ({@code needed}), and the versions known only in part with their missing
 * seq ranges ({@code partialNeeds}). Maps are sorted so that iteration, and so every simulation, is deterministic.
 */
public record SyncState(SiteId siteId, NavigableMap<SiteId, SiteVersions> sites) {

    public SyncState {
        Objects.requireNonNull(siteId, "siteId");
        sites = Collections.unmodifiableNavigableMap(new TreeMap<>(sites));
    }

    public static SyncState empty(SiteId siteId) {
        return new SyncState(siteId, new TreeMap<>());
    }

    public long head(SiteId site) {
        SiteVersions v = sites.get(site);
        return v == null ? 0 : v.head();
    }

    /** Bookkeeping of one site. */
    public record SiteVersions(long head, List<LongRange> needed, NavigableMap<Long, List<LongRange>> partialNeeds) {

        public SiteVersions {
            if (head < 0) {
                throw new IllegalArgumentException("negative head " + head);
            }
            needed = List.copyOf(needed);
            TreeMap<Long, List<LongRange>> copy = new TreeMap<>();
            partialNeeds.forEach((version, seqs) -> copy.put(version, List.copyOf(seqs)));
            partialNeeds = Collections.unmodifiableNavigableMap(copy);
        }

        public static SiteVersions complete(long head) {
            return new SiteVersions(head, List.of(), new TreeMap<>());
        }

        /** Versions and seq chunks still missing, a rough size of what this site lags behind. */
        public boolean hasGaps() {
            return !needed.isEmpty() || !partialNeeds.isEmpty();
        }

        public Map<Long, List<LongRange>> partials() {
            return partialNeeds;
        }
    }
}
