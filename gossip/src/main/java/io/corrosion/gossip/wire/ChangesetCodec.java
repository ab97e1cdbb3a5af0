package io.corrosion.gossip.wire;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.SyncState.SiteVersions;
import io.corrosion.gossip.wire.DecodeException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Changesets, sync states and needs: the version vocabulary shared by broadcast and sync. */
final class ChangesetCodec {

    private static final int FULL = 0;
    private static final int EMPTY = 1;
    /** Smallest encoded changeset: an empty one (kind, site, a two-byte range, ts). */
    static final int MIN_CHANGESET_BYTES = 1 + 16 + 2 + 8;
    private static final int MIN_RANGE_BYTES = 2;
    private static final int MIN_SITE_BYTES = 16 + 3;
    private static final int MIN_PARTIAL_BYTES = 1 + 1;
    private static final int MIN_NEED_BYTES = 1 + 16 + 2;

    private ChangesetCodec() {
    }

    static void changeset(WireWriter w, Changeset cs) {
        if (cs instanceof Changeset.Full f) {
            w.u8(FULL);
            w.siteId(f.siteId());
            w.uvarint(f.version());
            w.range(f.seqs());
            w.uvarint(f.lastSeq());
            w.fixed64(f.ts());
            w.bytes(f.payload());
        } else {
            Changeset.Empty e = (Changeset.Empty) cs;
            w.u8(EMPTY);
            w.siteId(e.siteId());
            w.range(e.versions());
            w.fixed64(e.ts());
        }
    }

    static int changesetSize(Changeset cs) {
        if (cs instanceof Changeset.Full f) {
            return 1 + 16 + WireWriter.varintSize(f.version()) + WireWriter.varintSize(f.seqs().start())
                    + WireWriter.varintSize(f.seqs().end() - f.seqs().start()) + WireWriter.varintSize(f.lastSeq())
                    + 8 + WireWriter.varintSize(f.payload().length) + f.payload().length;
        }
        Changeset.Empty e = (Changeset.Empty) cs;
        return 1 + 16 + WireWriter.varintSize(e.versions().start())
                + WireWriter.varintSize(e.versions().end() - e.versions().start()) + 8;
    }

    static Changeset changeset(WireReader r) throws DecodeException {
        int kind = r.u8();
        SiteId site = r.siteId();
        if (kind == FULL) {
            long version = r.uvarint();
            LongRange seqs = r.range(0);
            long lastSeq = r.uvarint();
            long ts = r.fixed64();
            byte[] payload = r.bytes("payload");
            if (version < 1 || version > Changeset.MAX_VERSION || seqs.end() > lastSeq) {
                throw new DecodeException(Reason.MALFORMED, "changeset v" + version + " seqs " + seqs + "/" + lastSeq);
            }
            return new Changeset.Full(site, version, seqs, lastSeq, ts, payload);
        }
        if (kind == EMPTY) {
            LongRange versions = r.range(1);
            if (versions.end() > Changeset.MAX_VERSION) {
                throw new DecodeException(Reason.MALFORMED, "empty changeset of versions " + versions + " above 2^62");
            }
            return new Changeset.Empty(site, versions, r.fixed64());
        }
        throw new DecodeException(Reason.MALFORMED, "changeset kind " + kind);
    }

    static void changesets(WireWriter w, List<Changeset> list) {
        w.uvarint(list.size());
        for (Changeset cs : list) {
            changeset(w, cs);
        }
    }

    static List<Changeset> changesets(WireReader r) throws DecodeException {
        int n = r.count("changesets", MIN_CHANGESET_BYTES);
        List<Changeset> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(changeset(r));
        }
        return out;
    }

    static void ranges(WireWriter w, List<LongRange> ranges) {
        w.uvarint(ranges.size());
        for (LongRange range : ranges) {
            w.range(range);
        }
    }

    static List<LongRange> ranges(WireReader r, long minStart) throws DecodeException {
        int n = r.count("ranges", MIN_RANGE_BYTES);
        List<LongRange> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.range(minStart));
        }
        return out;
    }

    static void syncState(WireWriter w, SyncState state) {
        w.siteId(state.siteId());
        w.uvarint(state.sites().size());
        for (Map.Entry<SiteId, SiteVersions> e : state.sites().entrySet()) {
            SiteVersions v = e.getValue();
            w.siteId(e.getKey());
            w.uvarint(v.head());
            ranges(w, v.needed());
            w.uvarint(v.partialNeeds().size());
            for (Map.Entry<Long, List<LongRange>> p : v.partialNeeds().entrySet()) {
                w.uvarint(p.getKey());
                ranges(w, p.getValue());
            }
        }
    }

    static SyncState syncState(WireReader r) throws DecodeException {
        SiteId self = r.siteId();
        int sites = r.count("sites", MIN_SITE_BYTES);
        TreeMap<SiteId, SiteVersions> map = new TreeMap<>();
        for (int i = 0; i < sites; i++) {
            SiteId site = r.siteId();
            long head = r.uvarint();
            List<LongRange> needed = ranges(r, 1);
            int partials = r.count("partial versions", MIN_PARTIAL_BYTES);
            TreeMap<Long, List<LongRange>> partialNeeds = new TreeMap<>();
            for (int j = 0; j < partials; j++) {
                long version = r.uvarint();
                if (version < 1) {
                    throw new DecodeException(Reason.MALFORMED, "partial version 0");
                }
                partialNeeds.put(version, ranges(r, 0));
            }
            if (map.put(site, new SiteVersions(head, needed, partialNeeds)) != null) {
                throw new DecodeException(Reason.MALFORMED, "site " + site + " twice in a sync state");
            }
        }
        return new SyncState(self, map);
    }

    static void needs(WireWriter w, List<SyncNeed> needs) {
        w.uvarint(needs.size());
        for (SyncNeed need : needs) {
            w.siteId(need.siteId());
            if (need instanceof SyncNeed.Full f) {
                w.u8(FULL);
                w.range(f.versions());
            } else {
                SyncNeed.Partial p = (SyncNeed.Partial) need;
                w.u8(1);
                w.uvarint(p.version());
                ranges(w, p.seqs());
            }
        }
    }

    static List<SyncNeed> needs(WireReader r) throws DecodeException {
        int n = r.count("needs", MIN_NEED_BYTES);
        List<SyncNeed> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SiteId site = r.siteId();
            int kind = r.u8();
            if (kind == FULL) {
                out.add(new SyncNeed.Full(site, r.range(1)));
            } else if (kind == 1) {
                long version = r.uvarint();
                List<LongRange> seqs = ranges(r, 0);
                if (version < 1 || seqs.isEmpty()) {
                    throw new DecodeException(Reason.MALFORMED, "partial need v" + version + " without seqs");
                }
                out.add(new SyncNeed.Partial(site, version, seqs));
            } else {
                throw new DecodeException(Reason.MALFORMED, "need kind " + kind);
            }
        }
        return out;
    }
}
