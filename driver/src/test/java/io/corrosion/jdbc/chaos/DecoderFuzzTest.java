package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.wire.BroadcastMessage;
import io.corrosion.gossip.wire.DecodeException;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.Ping;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncChangesets;
import io.corrosion.gossip.wire.SyncStart;
import io.corrosion.gossip.wire.WireCodec;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.replication.ChangesPayload;
import io.corrosion.jdbc.replication.PayloadException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded fuzzing of both decoders a peer's bytes reach, with real replication payloads inside real gossip frames:
 * mutated frames (bit flips, random bytes, length prefixes and counts inflated to the maximum) must come out as the
 * decoder's typed rejection or as a message that re-encodes to itself, and decoding must allocate in proportion to
 * the input, never to what a length prefix claims. Replay with {@code -Dchaos.fuzz.seed=N}.
 */
class DecoderFuzzTest {
    private static final Logger LOG = LoggerFactory.getLogger(DecoderFuzzTest.class);
    private static final long SEED = Long.getLong("chaos.fuzz.seed", 20261125L);
    private static final int ITERATIONS = Integer.getInteger("chaos.fuzz.iterations", 50_000);
    /** Allowed allocation per decode: a fixed allowance (exception, stack trace) plus a multiple of the input. */
    private static final long FIXED_ALLOWANCE = 64 << 10;
    private static final int PER_INPUT_BYTE = 16;
    private static final int WARM_UP = 2_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final SiteId A = SiteId.random(new SplittableRandom(1));
    private static final SiteId B = SiteId.random(new SplittableRandom(2));

    static List<byte[]> payloads() {
        byte[] a = A.toBytes();
        return List.of(
                ChangesPayload.encode(List.of(new Change("kv", PackedColumns.pack(1L), "a", "text value", 3, 9, a, 1, 0),
                        new Change("kv", PackedColumns.pack(1L), "b", 42L, 1, 9, a, 1, 1),
                        new Change("tag", PackedColumns.pack("ann", "red"), "note", 1.5, 2, 9, a, 3, 2),
                        new Change("tag", PackedColumns.pack("bob", "blue"), Change.SENTINEL, null, 2, 9, a, 2, 3),
                        new Change("blobs", PackedColumns.pack(new byte[] {1, 2}), "v", new byte[] {9, 8, 7}, 1, 9, a, 1,
                                4))),
                ChangesPayload.encode(List.of(new Change("kv", PackedColumns.pack(-1L), "a", null, 1, 1, a, 1, 0))));
    }

    static List<GossipMessage> frames() {
        Member alice = new Member(A, new NodeAddress("10.0.0.1", 7400), 1_700_000_000_123L);
        Member bob = new Member(B, NodeAddress.parse("[::1]:7401"), 3);
        List<MemberUpdate> updates = List.of(new MemberUpdate(MemberStatus.ALIVE, bob, B),
                new MemberUpdate(MemberStatus.SUSPECT, alice, B));
        byte[] payload = payloads().get(0);
        Changeset.Full chunk = new Changeset.Full(A, 9, new LongRange(0, 4), 4, 7, payload);
        SessionKey session = new SessionKey(A, 5);
        return List.of(new Ping(alice, 1, B, updates), new BroadcastMessage(B, 1, chunk),
                new SyncStart(session, alice, new SyncState(A, new java.util.TreeMap<>(java.util.Map.of(B,
                        new SyncState.SiteVersions(40, List.of(new LongRange(2, 5)), new java.util.TreeMap<>()))))),
                new SyncChangesets(session, List.of(chunk, new Changeset.Empty(A, new LongRange(1, 8), 0))));
    }

    /** Mutates in place: random bytes, bit flips, or a run of 0xFF that inflates a varint or length prefix. */
    static byte[] mutate(byte[] input, SplittableRandom random) {
        byte[] out = input.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && out.length > 0; m++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> {
                    for (int i = at; i < Math.min(out.length, at + 1 + random.nextInt(9)); i++) {
                        out[i] = (byte) 0xFF;
                    }
                }
                default -> {
                    // A varint of the largest value that still ends: 0xFF... then 0x7F.
                    int n = Math.min(out.length - at, 1 + random.nextInt(9));
                    for (int i = at; i < at + n - 1; i++) {
                        out[i] = (byte) 0xFF;
                    }
                    out[at + n - 1] = 0x7F;
                }
            }
        }
        return out;
    }

    @Test
    void gossipFramesOnlyEverFailAsDecodeExceptionAndAllocateInProportion() {
        WireCodec codec = new WireCodec(1 << 20);
        List<byte[]> samples = frames().stream().map(codec::encode).toList();
        SplittableRandom random = new SplittableRandom(SEED);
        long worst = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] frame = mutate(samples.get(random.nextInt(samples.size())), random);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long allocated;
            try {
                GossipMessage message = codec.decode(frame);
                allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
            } catch (DecodeException expected) {
                allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                rejected++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + SEED + " iteration " + i + " escaped with " + e, e);
            }
            if (i < WARM_UP) {
                continue; // class loading and first-time code paths allocate too
            }
            worst = Math.max(worst, allocated - (long) PER_INPUT_BYTE * frame.length);
            assertThat(allocated).as("seed %d iteration %d: %d-byte frame", SEED, i, frame.length)
                    .isLessThanOrEqualTo(FIXED_ALLOWANCE + (long) PER_INPUT_BYTE * frame.length * 4);
        }
        LOG.info("wire fuzz: {} frames, {} rejected, worst allocation beyond {}x input: {} bytes", ITERATIONS, rejected,
                PER_INPUT_BYTE, worst);
        assertThat(rejected).isPositive();
    }

    @Test
    void changesPayloadsOnlyEverFailAsPayloadExceptionAndAllocateInProportion() {
        List<byte[]> samples = payloads();
        SplittableRandom random = new SplittableRandom(SEED + 1);
        byte[] site = A.toBytes();
        long worst = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] payload = mutate(samples.get(random.nextInt(samples.size())), random);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long allocated;
            try {
                List<Change> changes = ChangesPayload.decode(payload, site, 9, new LongRange(0, 4));
                allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertThat(ChangesPayload.decode(ChangesPayload.encode(changes), site, 9, new LongRange(0, 4)))
                        .isEqualTo(changes);
            } catch (PayloadException expected) {
                allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                rejected++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + SEED + " iteration " + i + " escaped with " + e, e);
            }
            if (i < WARM_UP) {
                continue;
            }
            worst = Math.max(worst, allocated - (long) PER_INPUT_BYTE * payload.length);
            assertThat(allocated).as("seed %d iteration %d: %d-byte payload", SEED, i, payload.length)
                    .isLessThanOrEqualTo(FIXED_ALLOWANCE + (long) PER_INPUT_BYTE * payload.length * 4);
        }
        LOG.info("payload fuzz: {} payloads, {} rejected, worst allocation beyond {}x input: {} bytes", ITERATIONS,
                rejected, PER_INPUT_BYTE, worst);
        assertThat(rejected).isPositive();
    }

    @Test
    void lengthPrefixesClaimingGigabytesAreRefusedWithoutAllocatingThem() {
        // A payload that claims 2^31 strings, and one whose first string claims a length of 2^40 bytes.
        byte[][] claims = {
            {1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08},
            {1, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20, 'x'},
        };
        for (int pass = 0; pass < 2; pass++) { // the first pass loads classes
            for (byte[] claim : claims) {
                refuseClaim(claim, pass == 1);
            }
        }
        WireCodec codec = new WireCodec(1 << 20);
        byte[] frame = codec.encode(frames().get(3));
        // Inflate the varints after the header (session, counts, lengths) to the largest value, one place at a time.
        for (int pass = 0; pass < 2; pass++) {
            for (int at = 2; at < Math.min(frame.length, 40); at++) {
                byte[] bad = frame.clone();
                for (int i = at; i < Math.min(bad.length, at + 8); i++) {
                    bad[i] = (byte) 0xFF;
                }
                long before = THREADS.getCurrentThreadAllocatedBytes();
                try {
                    codec.decode(bad);
                } catch (DecodeException expected) {
                    // the typed rejection
                }
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                if (pass == 1) {
                    assertThat(allocated).as("inflated at %d", at).isLessThan(FIXED_ALLOWANCE + 16L * frame.length);
                }
            }
        }
    }

    private static void refuseClaim(byte[] claim, boolean measure) {
        {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                ChangesPayload.decode(claim, A.toBytes(), 1, new LongRange(0, 0));
                throw new AssertionError("accepted " + java.util.HexFormat.of().formatHex(claim));
            } catch (PayloadException expected) {
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                if (measure) {
                    assertThat(allocated).isLessThan(FIXED_ALLOWANCE);
                }
            }
        }
    }
}
