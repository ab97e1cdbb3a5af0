package io.corrosion.jdbc.chaos;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.replication.ChangesPayload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Changesets a broken or hostile peer could send, for {@link Workload}'s tables, each with what a node must make of
 * it: refuse it, or (where the CRR rules give no ground to) take it without harm.
 */
final class BadChangesets {
    private BadChangesets() {}

    /** One bad input: its name, the changeset, and whether a node must refuse it. */
    record Bad(String name, Changeset.Full changeset, boolean mustReject) {
    }

    /** Bad changesets from {@code from}, versions from {@code firstVersion}, as received by {@code receiver}. */
    static List<Bad> all(SiteId from, SiteId receiver, long firstVersion) {
        SplittableRandom random = new SplittableRandom(from.hashCode());
        List<Bad> out = new ArrayList<>();
        long v = firstVersion;
        byte[] site = from.toBytes();
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        out.add(new Bad("random bytes as payload", full(from, v++, 0, noise), true));
        byte[] good = ChangesPayload.encode(List.of(change("kv", PackedColumns.pack(1L), "a", "ok", 1, v, site, 1, 0)));
        byte[] format = good.clone();
        format[0] = 9;
        out.add(new Bad("unknown payload format", full(from, v++, 0, format), true));
        out.add(new Bad("truncated payload", full(from, v++, 0, Arrays.copyOf(good, good.length - 3)), true));
        out.add(new Bad("trailing bytes after the last change", full(from, v++, 0, Arrays.copyOf(good, good.length + 2)),
                true));
        out.add(bad("bad pk encoding (unknown type byte)", from, v++, change("kv", new byte[] {1, 0x7F}, "a", "x", 1, 0,
                site, 1, 0), true));
        out.add(bad("bad pk encoding (length past the end)", from, v++, change("kv", new byte[] {1, 0x0B, 9, 'a'}, "a",
                "x", 1, 0, site, 1, 0), true));
        out.add(bad("wrong pk column count", from, v++, change("kv", PackedColumns.pack(1L, 2L), "a", "x", 1, 0, site, 1,
                0), true));
        out.add(bad("pk of the wrong type for an INTEGER PRIMARY KEY", from, v++, change("kv", PackedColumns.pack("one"),
                "a", "x", 1, 0, site, 1, 0), true));
        out.add(new Bad("seq outside the chunk", full(from, v++, 0, ChangesPayload.encode(List.of(change("kv",
                PackedColumns.pack(2L), "a", "x", 1, 0, site, 1, 5)))), true));
        out.add(bad("the receiver's own site id as origin", receiver, v++, change("kv", PackedColumns.pack(2L), "a", "x", 1,
                0, site, 1, 0), true));
        out.add(bad("unknown table (kept for its schema, by design)", from, v++, change("nope", PackedColumns.pack(1L),
                "a", "x", 1, 0, site, 1, 0), false));
        out.add(bad("unknown column (kept for its schema, by design)", from, v++, change("kv", PackedColumns.pack(1L),
                "zzz", "x", 1, 0, site, 1, 0), false));
        out.add(bad("absurd col_version (2^63-1)", from, v++, change("kv", PackedColumns.pack(3L), "a", "max", Long.MAX_VALUE,
                0, site, 1, 0), true));
        out.add(bad("absurd causal length (2^63-1)", from, v++, change("kv", PackedColumns.pack(4L), "a", "max", 1, 0, site,
                Long.MAX_VALUE, 0), true));
        // A db version above 2^62 never gets this far: the frame that carries it is malformed (WireCodecTest).
        return out;
    }

    private static Bad bad(String name, SiteId from, long version, Change c, boolean mustReject) {
        return new Bad(name, full(from, version, c.seq(), ChangesPayload.encode(List.of(c))), mustReject);
    }

    private static Changeset.Full full(SiteId from, long version, long lastSeq, byte[] payload) {
        return new Changeset.Full(from, version, new LongRange(0, lastSeq), lastSeq, 0, payload);
    }

    private static Change change(String table, byte[] pk, String cid, Object val, long colVersion, long dbVersion,
            byte[] site, long cl, long seq) {
        return new Change(table, pk, cid, val, colVersion, dbVersion, site, cl, seq);
    }
}
