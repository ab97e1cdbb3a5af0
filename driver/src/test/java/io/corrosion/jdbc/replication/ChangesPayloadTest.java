package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChangesPayloadTest {
    private static final byte[] SITE = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    private static Change change(String table, Object key, String cid, Object val, long seq) {
        return new Change(table, PackedColumns.pack(key), cid, val, 3, 42, SITE, 1, seq, "0");
    }

    @Test
    void everyValueTypeRoundTrips() throws Exception {
        List<Change> changes = List.of(
                change("person", 1L, "name", "Ada Lovelace", 0),
                change("person", 1L, "age", Long.MIN_VALUE, 1),
                change("person", 1L, "score", Double.NaN, 2),
                change("person", 1L, "photo", new byte[] {0, -1, 7}, 3),
                change("person", 1L, "nick", null, 4),
                change("person", 1L, "empty", "", 5),
                change("person", 1L, "max", Long.MAX_VALUE, 6),
                change("person", 1L, "neg", -1L, 7),
                change("person", 1L, "unicode", "\u00e9\u4e2d\ud83d\ude00", 8),
                new Change("pair", PackedColumns.pack("k", 2.5, null), "-1", null, 4, 42, SITE, 4, 9, "1234"));
        byte[] payload = ChangesPayload.encode(changes);
        List<Change> back = ChangesPayload.decode(payload, SITE, 42, new LongRange(0, 9));
        assertThat(back).isEqualTo(changes);
    }

    @Test
    void builderKnowsTheSizeBeforeEachChange() {
        ChangesPayload.Builder b = new ChangesPayload.Builder();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            Change c = change("t" + random.nextInt(5), (long) random.nextInt(), "c" + random.nextInt(9),
                    random.nextBoolean() ? (Object) random.nextLong() : "v" + random.nextInt(), i);
            int expected = b.sizeWith(c);
            b.add(c);
            assertThat(b.build().length).isLessThanOrEqualTo(expected).isGreaterThanOrEqualTo(expected - 3);
        }
    }

    @Test
    void unknownFormatIsRefusedWithItsOwnReason() {
        byte[] payload = ChangesPayload.encode(List.of(change("t", 1L, "a", 1L, 0)));
        payload[0] = 2;
        assertThatThrownBy(() -> ChangesPayload.decode(payload, SITE, 42, new LongRange(0, 0)))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(PayloadException.Reason.UNSUPPORTED_FORMAT));
    }

    @Test
    void seqOutsideTheChunkIsRefused() {
        byte[] payload = ChangesPayload.encode(List.of(change("t", 1L, "a", 1L, 5)));
        assertThatThrownBy(() -> ChangesPayload.decode(payload, SITE, 42, new LongRange(0, 4)))
                .isInstanceOf(PayloadException.class).hasMessageContaining("seq 5");
    }

    @Test
    void trailingBytesAndBadKeysAreRefused() {
        byte[] payload = ChangesPayload.encode(List.of(change("t", 1L, "a", 1L, 0)));
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertThatThrownBy(() -> ChangesPayload.decode(longer, SITE, 42, new LongRange(0, 0)))
                .isInstanceOf(PayloadException.class).hasMessageContaining("after the last change");
        byte[] badKey = ChangesPayload.encode(List.of(new Change("t", new byte[] {3, 9}, "a", 1L, 1, 42, SITE, 1, 0)));
        assertThatThrownBy(() -> ChangesPayload.decode(badKey, SITE, 42, new LongRange(0, 0)))
                .isInstanceOf(PayloadException.class);
    }

    @Test
    void everyTruncationIsATypedRejection() {
        byte[] payload = ChangesPayload.encode(List.of(change("person", 7L, "name", "x".repeat(40), 0),
                change("person", 7L, "age", 99L, 1)));
        for (int n = 0; n < payload.length; n++) {
            byte[] cut = Arrays.copyOf(payload, n);
            assertThatThrownBy(() -> ChangesPayload.decode(cut, SITE, 42, new LongRange(0, 1)))
                    .isInstanceOf(PayloadException.class);
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButPayloadException() {
        SplittableRandom random = new SplittableRandom(20240611);
        byte[] valid = ChangesPayload.encode(List.of(change("person", 7L, "name", "Ada", 0),
                change("person", 7L, "age", 36L, 1), change("person", 8L, "-1", null, 2)));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (random.nextBoolean()) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                if (bytes.length > 0) {
                    bytes[0] = 1;
                }
            } else {
                bytes = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                ChangesPayload.decode(bytes, SITE, 42, new LongRange(0, 2));
            } catch (PayloadException expected) {
                // the one way to fail
            }
        }
    }

    @Test
    void chunksCoverEverySeqOnceAndKeepSharedSeqsTogether() throws Exception {
        SiteId site = SiteId.of(SITE);
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long seq = i < 150 ? i : i + 1; // seq 150 missing (overwritten since)
            changes.add(change("t", (long) i, "v", "value-" + "x".repeat(40) + i, seq));
            if (i == 99) {
                changes.add(new Change("t", PackedColumns.pack(99L), "-1", null, 3, 42, SITE, 3, 100, "0"));
                i++; // the sentinel shares seq 100 with the next change
                changes.add(change("t", 100L, "v", "shared", 100));
            }
        }
        List<Changeset.Full> chunks = VersionChunker.chunk(site, 42, changes, 305, 0, 1024);
        assertThat(chunks).hasSizeGreaterThan(5);
        long next = 0;
        List<Change> back = new ArrayList<>();
        for (Changeset.Full chunk : chunks) {
            assertThat(chunk.seqs().start()).isEqualTo(next);
            assertThat(chunk.lastSeq()).isEqualTo(305);
            assertThat(chunk.payload().length).isLessThanOrEqualTo(1024);
            back.addAll(ChangesPayload.decode(chunk.payload(), SITE, 42, chunk.seqs()));
            next = chunk.seqs().end() + 1;
        }
        assertThat(next).isEqualTo(306);
        assertThat(back).isEqualTo(changes);
        assertThat(VersionChunker.chunk(site, 42, List.of(), 3, 0)).isEmpty();
        assertThat(VersionChunker.chunk(site, 42, changes.subList(0, 3), 2, 0)).singleElement()
                .satisfies(c -> assertThat(c.isComplete()).isTrue());
    }
}
