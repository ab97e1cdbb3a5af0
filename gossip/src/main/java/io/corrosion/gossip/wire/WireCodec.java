package io.corrosion.gossip.wire;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.wire.DecodeException.Reason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encodes one message into one frame and back. A frame is {@code [wire version][type][body]}; every integer is an
 * unsigned LEB128 varint except timestamps, session ids and site ids (fixed big-endian). Decoding is strict:
 * unknown version or type, truncation, trailing bytes, lengths beyond the frame, and frames above
 * {@code maxFrameBytes} are rejected with a {@link DecodeException} and counted. Thread-safe.
 */
public final class WireCodec {

    /** The wire version this code speaks. */
    public static final int VERSION = 1;

    static final int PING = 1;
    static final int ACK = 2;
    static final int PING_REQ = 3;
    static final int NACK = 4;
    static final int GOSSIP = 5;
    static final int PUSH_PULL = 6;
    static final int BROADCAST = 16;
    static final int BROADCAST_BATCH = 17;
    static final int SYNC_START = 32;
    static final int SYNC_STATE = 33;
    static final int SYNC_REQUEST = 34;
    static final int SYNC_CHANGESETS = 35;
    static final int SYNC_DONE = 36;
    static final int SYNC_REJECT = 37;

    /** Bytes of a membership message besides its sender and updates: version, type, seq, target, counts. */
    public static final int MEMBERSHIP_OVERHEAD_BYTES = 2 + 10 + 16 + 10 + 2;
    /** Bytes of a broadcast message besides its changeset. */
    public static final int BROADCAST_OVERHEAD_BYTES = 2 + 16 + 5;
    /** Bytes of a broadcast batch besides its entries ({@link #broadcastEntrySize}). */
    public static final int BROADCAST_BATCH_OVERHEAD_BYTES = 2 + 5;
    /** Smallest entry of a broadcast batch: sender, hops, the smallest changeset. */
    private static final int MIN_BROADCAST_ENTRY_BYTES = 16 + 1 + ChangesetCodec.MIN_CHANGESET_BYTES;
    /** Bytes of a sync changesets message besides its changesets. */
    public static final int SYNC_BATCH_OVERHEAD_BYTES = 2 + 24 + 5;

    private final int maxFrameBytes;
    private final Map<Reason, AtomicLong> rejected = new EnumMap<>(Reason.class);

    public WireCodec(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        for (Reason reason : Reason.values()) {
            rejected.put(reason, new AtomicLong());
        }
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Encodes a message. Throws {@link IllegalArgumentException} if it exceeds the maximum frame size. */
    public byte[] encode(GossipMessage message) {
        WireWriter w = new WireWriter(256);
        w.u8(VERSION);
        if (message instanceof MembershipMessage m) {
            w.u8(typeOf(m));
            MembershipCodec.encode(w, m);
        } else if (message instanceof BroadcastMessage b) {
            w.u8(BROADCAST);
            broadcast(w, b);
        } else if (message instanceof BroadcastBatch batch) {
            w.u8(BROADCAST_BATCH);
            w.uvarint(batch.messages().size());
            for (BroadcastMessage b : batch.messages()) {
                broadcast(w, b);
            }
        } else {
            SyncCodec.encode(w, (SyncMessage) message);
        }
        if (w.size() > maxFrameBytes) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " of " + w.size()
                    + " bytes exceeds the maximum frame of " + maxFrameBytes);
        }
        return w.toByteArray();
    }

    /** Decodes one whole frame, or throws and counts the reason. */
    public GossipMessage decode(byte[] frame) throws DecodeException {
        try {
            return decodeUncounted(frame);
        } catch (DecodeException e) {
            rejected.get(e.reason()).incrementAndGet();
            throw e;
        }
    }

    private GossipMessage decodeUncounted(byte[] frame) throws DecodeException {
        if (frame.length > maxFrameBytes) {
            throw new DecodeException(Reason.OVERSIZE_FRAME, frame.length + " bytes > " + maxFrameBytes);
        }
        WireReader r = new WireReader(frame);
        int version = r.u8();
        if (version != VERSION) {
            throw new DecodeException(Reason.UNKNOWN_VERSION, "wire version " + version);
        }
        int type = r.u8();
        GossipMessage message;
        try {
            message = switch (type) {
                case PING, ACK, PING_REQ, NACK, GOSSIP, PUSH_PULL -> MembershipCodec.decode(type, r);
                case BROADCAST -> broadcast(r);
                case BROADCAST_BATCH -> {
                    int n = r.count("broadcasts", MIN_BROADCAST_ENTRY_BYTES);
                    List<BroadcastMessage> messages = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        messages.add(broadcast(r));
                    }
                    yield new BroadcastBatch(messages);
                }
                case SYNC_START, SYNC_STATE, SYNC_REQUEST, SYNC_CHANGESETS, SYNC_DONE, SYNC_REJECT ->
                        SyncCodec.decode(type, r);
                default -> throw new DecodeException(Reason.UNKNOWN_TYPE, "message type " + type);
            };
        } catch (IllegalArgumentException e) {
            // A record refused a value the primitive checks let through.
            throw new DecodeException(Reason.MALFORMED, e.getMessage());
        }
        r.expectEnd();
        return message;
    }

    private static void broadcast(WireWriter w, BroadcastMessage b) {
        w.siteId(b.sender());
        w.uvarint(b.hops());
        ChangesetCodec.changeset(w, b.changeset());
    }

    private static BroadcastMessage broadcast(WireReader r) throws DecodeException {
        var sender = r.siteId();
        int hops = r.uvarintInt("hops");
        return new BroadcastMessage(sender, hops, ChangesetCodec.changeset(r));
    }

    /** Frames rejected for {@code reason} so far. */
    public long rejected(Reason reason) {
        return rejected.get(reason).get();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Encoded size of a member update, for piggyback budgets. */
    public static int updateSize(MemberUpdate update) {
        return MembershipCodec.updateSize(update);
    }

    /** Encoded size of a member (a message's sender or a probe target). */
    public static int memberSize(Member member) {
        return MembershipCodec.memberSize(member);
    }

    /** Encoded size of one broadcast inside a {@link BroadcastBatch}, for batch budgets. */
    public static int broadcastEntrySize(BroadcastMessage message) {
        return 16 + WireWriter.varintSize(message.hops()) + ChangesetCodec.changesetSize(message.changeset());
    }

    /** Encoded size of a changeset, for batch budgets. */
    public static int changesetSize(Changeset changeset) {
        return ChangesetCodec.changesetSize(changeset);
    }

    private static int typeOf(MembershipMessage m) {
        if (m instanceof Ping) {
            return PING;
        } else if (m instanceof Ack) {
            return ACK;
        } else if (m instanceof PingReq) {
            return PING_REQ;
        } else if (m instanceof Nack) {
            return NACK;
        } else if (m instanceof Gossip) {
            return GOSSIP;
        }
        return PUSH_PULL;
    }
}
