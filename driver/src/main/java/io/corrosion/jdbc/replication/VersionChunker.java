package io.corrosion.jdbc.replication;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the changes of one version into changesets of at most {@link #MAX_PAYLOAD_BYTES} of payload, by seq range,
 * as Corrosion's {@code ChunkedChanges}: the chunks' seq ranges cover {@code 0..lastSeq} without gaps or overlap
 * (seqs of changes overwritten since fall into some chunk), and changes sharing a seq stay together. The split
 * depends only on the changes, so every node cuts the same content the same way, and fewer changes never make more
 * chunks: a version that once fit one changeset always does.
 */
final class VersionChunker {
    /** Payload bytes per changeset: small enough for one sync batch, large enough for most transactions. */
    static final int MAX_PAYLOAD_BYTES = 60 * 1024;

    private VersionChunker() {}

    /**
     * The chunks of version {@code version} of {@code site}; empty when there are no changes (send an
     * {@link Changeset.Empty} instead).
     *
     * @param changes the version's changes, ordered by seq
     * @param lastSeq the version's last seq: at least the highest seq among {@code changes}
     */
    static List<Changeset.Full> chunk(SiteId site, long version, List<Change> changes, long lastSeq, long ts,
            int maxPayloadBytes) {
        List<Changeset.Full> out = new ArrayList<>();
        ChangesPayload.Builder chunk = new ChangesPayload.Builder();
        long start = 0;
        for (Change c : changes) {
            if (chunk.count() > 0 && c.seq() > chunk.lastSeq() && chunk.sizeWith(c) > maxPayloadBytes) {
                out.add(new Changeset.Full(site, version, new LongRange(start, chunk.lastSeq()), lastSeq, ts,
                        chunk.build()));
                start = chunk.lastSeq() + 1;
                chunk = new ChangesPayload.Builder();
            }
            chunk.add(c);
        }
        if (chunk.count() > 0) {
            out.add(new Changeset.Full(site, version, new LongRange(start, lastSeq), lastSeq, ts, chunk.build()));
        }
        return out;
    }

    static List<Changeset.Full> chunk(SiteId site, long version, List<Change> changes, long lastSeq, long ts) {
        return chunk(site, version, changes, lastSeq, ts, MAX_PAYLOAD_BYTES);
    }
}
