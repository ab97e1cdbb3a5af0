package io.corrosion.gossip.wire;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.DecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Bodies of the SWIM messages. */
final class MembershipCodec {

    /** Smallest encoded member update: status, site id, 1-byte host, port, incarnation, from. */
    private static final int MIN_UPDATE_BYTES = 1 + 16 + 2 + 1 + 1 + 16;
    private static final MemberStatus[] STATUSES = MemberStatus.values();

    private MembershipCodec() {
    }

    static void member(WireWriter w, Member m) {
        w.siteId(m.siteId());
        w.address(m.address());
        w.uvarint(m.incarnation());
    }

    static Member member(WireReader r) throws DecodeException {
        SiteId site = r.siteId();
        NodeAddress address = r.address();
        long incarnation = r.uvarint();
        if (incarnation > Member.MAX_INCARNATION) {
            throw new DecodeException(Reason.MALFORMED, "incarnation " + incarnation + " above 2^62");
        }
        return new Member(site, address, incarnation);
    }

    static int memberSize(Member m) {
        int host = m.address().host().getBytes(StandardCharsets.UTF_8).length;
        return 16 + WireWriter.varintSize(host) + host + WireWriter.varintSize(m.address().port())
                + WireWriter.varintSize(m.incarnation());
    }

    static int updateSize(MemberUpdate u) {
        return 1 + memberSize(u.member()) + 16;
    }

    static void updates(WireWriter w, List<MemberUpdate> updates) {
        w.uvarint(updates.size());
        for (MemberUpdate u : updates) {
            w.u8(u.status().ordinal());
            member(w, u.member());
            w.siteId(u.from());
        }
    }

    static List<MemberUpdate> updates(WireReader r) throws DecodeException {
        int n = r.count("member updates", MIN_UPDATE_BYTES);
        List<MemberUpdate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int status = r.u8();
            if (status >= STATUSES.length) {
                throw new DecodeException(Reason.MALFORMED, "member status " + status);
            }
            Member m = member(r);
            out.add(new MemberUpdate(STATUSES[status], m, r.siteId()));
        }
        return out;
    }

    static void encode(WireWriter w, MembershipMessage msg) {
        member(w, msg.sender());
        if (msg instanceof Ping p) {
            w.uvarint(p.seq());
            w.siteId(p.target());
        } else if (msg instanceof Ack a) {
            w.uvarint(a.seq());
        } else if (msg instanceof PingReq p) {
            w.uvarint(p.seq());
            member(w, p.target());
        } else if (msg instanceof Nack n) {
            w.uvarint(n.seq());
        } else if (msg instanceof PushPull p) {
            w.bool(p.reply());
        }
        updates(w, msg.updates());
    }

    static MembershipMessage decode(int type, WireReader r) throws DecodeException {
        Member sender = member(r);
        return switch (type) {
            case WireCodec.PING -> {
                long seq = r.uvarint();
                SiteId target = r.siteId();
                yield new Ping(sender, seq, target, updates(r));
            }
            case WireCodec.ACK -> {
                long seq = r.uvarint();
                yield new Ack(sender, seq, updates(r));
            }
            case WireCodec.PING_REQ -> {
                long seq = r.uvarint();
                Member target = member(r);
                yield new PingReq(sender, seq, target, updates(r));
            }
            case WireCodec.NACK -> {
                long seq = r.uvarint();
                yield new Nack(sender, seq, updates(r));
            }
            case WireCodec.GOSSIP -> new Gossip(sender, updates(r));
            case WireCodec.PUSH_PULL -> {
                boolean reply = r.bool();
                yield new PushPull(sender, reply, updates(r));
            }
            default -> throw new IllegalStateException("not a membership type " + type);
        };
    }
}
