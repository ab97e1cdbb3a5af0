package io.corrosion.gossip;

import java.util.List;
import java.util.Objects;

/** A request for what a peer has and we lack, as Corrosion's {@code SyncNeedV1}. */
public sealed interface SyncNeed permits SyncNeed.Full, SyncNeed.Partial {

    SiteId siteId();

    /** Every version in the range, whole (or as empties where nothing is left). */
    record Full(SiteId siteId, LongRange versions) implements SyncNeed {
        public Full {
            Objects.requireNonNull(siteId, "siteId");
            if (versions.start() < 1) {
                throw new IllegalArgumentException("versions start at 1, got " + versions);
            }
        }
    }

    /** Some seqs of one version. */
    record Partial(SiteId siteId, long version, List<LongRange> seqs) implements SyncNeed {
        public Partial {
            Objects.requireNonNull(siteId, "siteId");
            if (version < 1) {
                throw new IllegalArgumentException("version must be >= 1, got " + version);
            }
            if (seqs.isEmpty()) {
                throw new IllegalArgumentException("a partial need names at least one seq range");
            }
            seqs = List.copyOf(seqs);
        }
    }
}
