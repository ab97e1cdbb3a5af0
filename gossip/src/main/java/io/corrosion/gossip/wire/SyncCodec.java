package io.corrosion.gossip.wire;

import io.corrosion.gossip.wire.DecodeException.Reason;

/** Bodies of the sync session messages. */
final class SyncCodec {

    private static final SyncReject.Reason[] REJECT_REASONS = SyncReject.Reason.values();

    private SyncCodec() {
    }

    static void encode(WireWriter w, SyncMessage msg) {
        w.u8(typeOf(msg));
        w.siteId(msg.session().initiator());
        w.fixed64(msg.session().id());
        if (msg instanceof SyncStart s) {
            MembershipCodec.member(w, s.initiator());
            ChangesetCodec.syncState(w, s.state());
        } else if (msg instanceof SyncStateReply s) {
            ChangesetCodec.syncState(w, s.state());
        } else if (msg instanceof SyncRequest s) {
            ChangesetCodec.needs(w, s.needs());
        } else if (msg instanceof SyncChangesets s) {
            ChangesetCodec.changesets(w, s.changesets());
        } else if (msg instanceof SyncDone s) {
            w.bool(s.truncated());
        } else {
            w.u8(((SyncReject) msg).reason().ordinal());
        }
    }

    static SyncMessage decode(int type, WireReader r) throws DecodeException {
        SessionKey key = new SessionKey(r.siteId(), r.fixed64());
        return switch (type) {
            case WireCodec.SYNC_START -> new SyncStart(key, MembershipCodec.member(r), ChangesetCodec.syncState(r));
            case WireCodec.SYNC_STATE -> new SyncStateReply(key, ChangesetCodec.syncState(r));
            case WireCodec.SYNC_REQUEST -> new SyncRequest(key, ChangesetCodec.needs(r));
            case WireCodec.SYNC_CHANGESETS -> new SyncChangesets(key, ChangesetCodec.changesets(r));
            case WireCodec.SYNC_DONE -> new SyncDone(key, r.bool());
            case WireCodec.SYNC_REJECT -> {
                int reason = r.u8();
                if (reason >= REJECT_REASONS.length) {
                    throw new DecodeException(Reason.MALFORMED, "reject reason " + reason);
                }
                yield new SyncReject(key, REJECT_REASONS[reason]);
            }
            default -> throw new IllegalStateException("not a sync type " + type);
        };
    }

    private static int typeOf(SyncMessage m) {
        if (m instanceof SyncStart) {
            return WireCodec.SYNC_START;
        } else if (m instanceof SyncStateReply) {
            return WireCodec.SYNC_STATE;
        } else if (m instanceof SyncRequest) {
            return WireCodec.SYNC_REQUEST;
        } else if (m instanceof SyncChangesets) {
            return WireCodec.SYNC_CHANGESETS;
        } else if (m instanceof SyncDone) {
            return WireCodec.SYNC_DONE;
        }
        return WireCodec.SYNC_REJECT;
    }
}
