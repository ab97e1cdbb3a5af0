package io.corrosion.gossip;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What gossip moves: opaque changes of one site, identified by (site id, version), as Corrosion's
 * {@code Changeset}. A {@link Full} carries one chunk of a version (its seqs {@code seqs} out of
 * {@code 0..lastSeq}); a version is complete when its chunks cover all seqs. An {@link Empty} says that a range
 * of versions has nothing left to send (all their changes were superseded), so a receiver books them as known.
 */
public sealed interface Changeset permits Changeset.Full, Changeset.Empty {

    SiteId siteId();

    /** The origin's hybrid logical clock timestamp (NTP64), 0 when unknown. */
    long ts();

    ChangesetId id();

    /** Bytes of payload, for queue accounting. */
    int payloadSize();

    /**
     * The highest db version a changeset may carry: far above any a site reaches, far enough below
     * {@code Long.MAX_VALUE} that counting past one never overflows (cr-sqlite's clocks are 64-bit signed).
     */
    long MAX_VERSION = 1L << 62;

    /** One chunk of a version: its seqs {@code seqs}, out of {@code 0..lastSeq}. */
    record Full(SiteId siteId, long version, LongRange seqs, long lastSeq, long ts, byte[] payload)
            implements Changeset {

        public Full {
            Objects.requireNonNull(siteId, "siteId");
            Objects.requireNonNull(seqs, "seqs");
            Objects.requireNonNull(payload, "payload");
            if (version < 1 || version > MAX_VERSION) {
                throw new IllegalArgumentException("version must be in [1, 2^62], got " + version);
            }
            if (seqs.end() > lastSeq) {
                throw new IllegalArgumentException("seqs " + seqs + " beyond last seq " + lastSeq);
            }
        }

        /** A whole version in one chunk. */
        public static Full complete(SiteId siteId, long version, long lastSeq, long ts, byte[] payload) {
            return new Full(siteId, version, new LongRange(0, lastSeq), lastSeq, ts, payload);
        }

        public boolean isComplete() {
            return seqs.start() == 0 && seqs.end() == lastSeq;
        }

        /**
         * Whether a peer missing {@code wanted} seqs of this version needs this chunk: it holds some of them, or it is
         * the last chunk and some lie above its last seq. A peer that saw a larger last seq elsewhere asks for seqs
         * this sender no longer has; the last chunk tells it where the version ends here (see
         * {@code BookedVersions}).
         */
        public boolean answers(List<LongRange> wanted) {
            for (LongRange w : wanted) {
                long start = Math.min(w.start(), lastSeq);
                long end = Math.min(w.end(), lastSeq);
                if (start <= seqs.end() && seqs.start() <= end) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public ChangesetId id() {
            return new ChangesetId(siteId, LongRange.single(version), seqs);
        }

        @Override
        public int payloadSize() {
            return payload.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Full f && f.siteId.equals(siteId) && f.version == version && f.seqs.equals(seqs)
                    && f.lastSeq == lastSeq && f.ts == ts && Arrays.equals(f.payload, payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(siteId, version, seqs, lastSeq, ts, Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Full[" + siteId.shortString() + " v" + version + " seqs " + seqs + "/" + lastSeq + ", "
                    + payload.length + " bytes]";
        }
    }

    /** Versions of a site with nothing left to send. */
    record Empty(SiteId siteId, LongRange versions, long ts) implements Changeset {

        public Empty {
            Objects.requireNonNull(siteId, "siteId");
            Objects.requireNonNull(versions, "versions");
            if (versions.start() < 1 || versions.end() > MAX_VERSION) {
                throw new IllegalArgumentException("versions lie in [1, 2^62], got " + versions);
            }
        }

        @Override
        public ChangesetId id() {
            return new ChangesetId(siteId, versions, null);
        }

        @Override
        public int payloadSize() {
            return 0;
        }

        @Override
        public String toString() {
            return "Empty[" + siteId.shortString() + " v" + versions + "]";
        }
    }
}
