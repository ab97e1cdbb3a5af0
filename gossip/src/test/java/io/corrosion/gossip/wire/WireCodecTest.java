package io.corrosion.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.wire.DecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    private final WireCodec codec = new WireCodec(1 << 20);

    @Test
    void everyMessageTypeRoundTrips() throws DecodeException {
        Set<Class<?>> types = new HashSet<>();
        for (GossipMessage message : Samples.all()) {
            byte[] frame = codec.encode(message);
            assertThat(codec.decode(frame)).as("%s", message.getClass().getSimpleName()).isEqualTo(message);
            types.add(message.getClass());
        }
        // Every permitted record of the sealed hierarchy has a sample.
        assertThat(types).hasSize(MembershipMessage.class.getPermittedSubclasses().length
                + SyncMessage.class.getPermittedSubclasses().length + 2);
        assertThat(codec.rejectedTotal()).isZero();
    }

    @Test
    void sizeHelpersMatchTheEncoding() {
        for (MemberUpdate u : Samples.updates()) {
            Gossip one = new Gossip(Samples.ALICE, List.of(u));
            Gossip none = new Gossip(Samples.ALICE, List.of());
            assertThat(codec.encode(one).length - codec.encode(none).length).isEqualTo(WireCodec.updateSize(u));
        }
        Changeset cs = Samples.chunk();
        assertThat(codec.encode(new BroadcastMessage(Samples.A, 1, cs)).length)
                .isLessThanOrEqualTo(WireCodec.changesetSize(cs) + WireCodec.BROADCAST_OVERHEAD_BYTES);
        List<BroadcastMessage> entries = List.of(new BroadcastMessage(Samples.A, 1, cs),
                new BroadcastMessage(Samples.B, 300, cs));
        assertThat(codec.encode(new BroadcastBatch(entries)).length).isLessThanOrEqualTo(
                WireCodec.BROADCAST_BATCH_OVERHEAD_BYTES + entries.stream().mapToInt(WireCodec::broadcastEntrySize).sum());
        assertThat(codec.encode(new BroadcastBatch(entries)).length - codec.encode(new BroadcastBatch(entries.subList(0,
                1))).length).isEqualTo(WireCodec.broadcastEntrySize(entries.get(1)));
        assertThat(codec.encode(new Gossip(Samples.ALICE, List.of())).length)
                .isLessThanOrEqualTo(WireCodec.memberSize(Samples.ALICE) + WireCodec.MEMBERSHIP_OVERHEAD_BYTES);
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] frame = codec.encode(Samples.all().get(0));
        frame[0] = 2;
        assertRejected(frame, Reason.UNKNOWN_VERSION);
    }

    @Test
    void unknownTypeIsRejected() {
        byte[] frame = codec.encode(Samples.all().get(0));
        frame[1] = 99;
        assertRejected(frame, Reason.UNKNOWN_TYPE);
    }

    @Test
    void everyTruncationOfEveryMessageIsRejected() {
        for (GossipMessage message : Samples.all()) {
            byte[] frame = codec.encode(message);
            for (int len = 0; len < frame.length; len++) {
                byte[] cut = Arrays.copyOf(frame, len);
                assertThatThrownBy(() -> codec.decode(cut)).as("%s cut at %d", message, len)
                        .isInstanceOf(DecodeException.class);
            }
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] frame = codec.encode(new SyncDone(Samples.SESSION, false));
        assertRejected(Arrays.copyOf(frame, frame.length + 1), Reason.TRAILING_BYTES);
    }

    @Test
    void oversizeFrameIsRejectedBeforeReading() {
        WireCodec small = new WireCodec(100);
        assertThatThrownBy(() -> small.decode(new byte[101])).isInstanceOf(DecodeException.class)
                .extracting(e -> ((DecodeException) e).reason()).isEqualTo(Reason.OVERSIZE_FRAME);
        assertThat(small.rejected(Reason.OVERSIZE_FRAME)).isEqualTo(1);
    }

    @Test
    void encodingAboveTheMaximumFrameIsRefused() {
        WireCodec small = new WireCodec(100);
        Changeset big = Changeset.Full.complete(Samples.A, 1, 0, 0, new byte[200]);
        assertThatThrownBy(() -> small.encode(new BroadcastMessage(Samples.A, 0, big)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }

    @Test
    void absurdLengthFieldIsRejectedWithoutAllocating() {
        // version, BROADCAST, sender, hops, FULL, site, version 1, seqs 0+0, last seq 0, ts, payload length 2^62.
        byte[] head = new byte[] {1, 16};
        byte[] frame = new byte[2 + 16 + 1 + 1 + 16 + 1 + 2 + 1 + 8 + 9];
        System.arraycopy(head, 0, frame, 0, 2);
        int p = 2 + 16;
        frame[p++] = 0; // hops
        frame[p++] = 0; // FULL
        p += 16;
        frame[p++] = 1; // version
        frame[p++] = 0;
        frame[p++] = 0;
        frame[p++] = 0; // last seq
        p += 8;
        for (int i = 0; i < 8; i++) {
            frame[p++] = (byte) 0xFF;
        }
        frame[p] = 0x3F;
        assertRejected(frame, Reason.OVERSIZE_LENGTH);
    }

    @Test
    void absurdCountIsRejected() {
        // A Gossip whose update count claims a billion entries.
        byte[] frame = codec.encode(new Gossip(Samples.ALICE, List.of()));
        byte[] lie = Arrays.copyOf(frame, frame.length + 4);
        int countAt = frame.length - 1;
        lie[countAt] = (byte) 0x80;
        lie[countAt + 1] = (byte) 0x80;
        lie[countAt + 2] = (byte) 0x80;
        lie[countAt + 3] = (byte) 0x80;
        lie[countAt + 4] = 0x04;
        assertRejected(lie, Reason.OVERSIZE_LENGTH);
    }

    @Test
    void impossibleValuesAreMalformed() {
        byte[] frame = codec.encode(new SyncDone(Samples.SESSION, false));
        frame[frame.length - 1] = 2; // boolean 2
        assertRejected(frame, Reason.MALFORMED);

        byte[] reject = codec.encode(new SyncReject(Samples.SESSION, SyncReject.Reason.BUSY));
        reject[reject.length - 1] = 9;
        assertRejected(reject, Reason.MALFORMED);
    }

    @Test
    void overlongVarintIsMalformed() {
        byte[] frame = codec.encode(new Ack(Samples.BOB, 5, List.of()));
        // seq 5 encoded as 0x85 0x00 is overlong; rebuild the frame by hand around the seq.
        int seqAt = 2 + WireCodec.memberSize(Samples.BOB);
        byte[] overlong = new byte[frame.length + 1];
        System.arraycopy(frame, 0, overlong, 0, seqAt);
        overlong[seqAt] = (byte) 0x85;
        overlong[seqAt + 1] = 0;
        System.arraycopy(frame, seqAt + 1, overlong, seqAt + 2, frame.length - seqAt - 1);
        assertRejected(overlong, Reason.MALFORMED);
    }

    /** An incarnation nobody could outbid (see {@code Member.MAX_INCARNATION}) is refused with the frame. */
    @Test
    void anIncarnationAbove2To62IsMalformed() {
        Member bob = Samples.BOB.withIncarnation(Member.MAX_INCARNATION);
        byte[] frame = codec.encode(new Ack(bob, 5, List.of()));
        assertRejected(replace(frame, varint(Member.MAX_INCARNATION), varint(Member.MAX_INCARNATION + 1)),
                Reason.MALFORMED);
    }

    /** Versions past 2^62 (see {@code Changeset.MAX_VERSION}), which no site reaches, are refused with the frame. */
    @Test
    void aChangesetAbove2To62IsMalformed() {
        Changeset.Empty empty = new Changeset.Empty(Samples.A, new LongRange(1, Changeset.MAX_VERSION), 0);
        byte[] frame = codec.encode(new BroadcastMessage(Samples.A, 0, empty));
        assertRejected(replace(frame, varint(Changeset.MAX_VERSION - 1), varint(Changeset.MAX_VERSION)),
                Reason.MALFORMED); // the range's length: it ends at 2^62 + 1

        Changeset.Full full = Changeset.Full.complete(Samples.A, Changeset.MAX_VERSION, 0, 0, new byte[] {1});
        byte[] fullFrame = codec.encode(new BroadcastMessage(Samples.A, 0, full));
        assertRejected(replace(fullFrame, varint(Changeset.MAX_VERSION), varint(Changeset.MAX_VERSION + 1)),
                Reason.MALFORMED);
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long v = value; ; v >>>= 7) {
            if (v < 0x80) {
                out.write((int) v);
                return out.toByteArray();
            }
            out.write((int) (v & 0x7f) | 0x80);
        }
    }

    /** {@code frame} with its only occurrence of {@code from} replaced by {@code to}. */
    private static byte[] replace(byte[] frame, byte[] from, byte[] to) {
        for (int at = 0; at + from.length <= frame.length; at++) {
            if (Arrays.equals(frame, at, at + from.length, from, 0, from.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(frame, 0, at);
                out.write(to, 0, to.length);
                out.write(frame, at + from.length, frame.length - at - from.length);
                return out.toByteArray();
            }
        }
        throw new AssertionError("not in the frame");
    }

    private void assertRejected(byte[] frame, Reason reason) {
        long before = codec.rejected(reason);
        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(DecodeException.class)
                .extracting(e -> ((DecodeException) e).reason()).isEqualTo(reason);
        assertThat(codec.rejected(reason)).isEqualTo(before + 1);
    }
}
