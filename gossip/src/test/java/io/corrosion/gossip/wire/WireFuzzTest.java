package io.corrosion.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the decoder: random frames and mutated valid frames. Only {@link DecodeException} may come
 * out, and anything accepted must re-encode to a frame that decodes to the same message. Replay a failure with
 * {@code -Dgossip.fuzz.seed=<seed>}.
 */
class WireFuzzTest {

    private static final long SEED = Long.getLong("gossip.fuzz.seed", 20261125L);
    private final WireCodec codec = new WireCodec(64 << 10);

    @Test
    void randomBytesNeverEscapeAsAnythingButDecodeException() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 200_000; i++) {
            byte[] frame = new byte[random.nextInt(0, 300)];
            random.nextBytes(frame);
            if (frame.length > 1 && random.nextBoolean()) {
                frame[0] = WireCodec.VERSION; // get past the version check half of the time
                frame[1] = (byte) pickType(random);
            }
            decodeChecked(frame, i);
        }
        assertThat(codec.rejectedTotal()).isPositive();
    }

    @Test
    void mutatedValidFramesNeverEscapeAsAnythingButDecodeException() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<GossipMessage> samples = Samples.all();
        for (int i = 0; i < 200_000; i++) {
            byte[] frame = codec.encode(samples.get(random.nextInt(samples.size())));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                int at = random.nextInt(frame.length);
                switch (random.nextInt(3)) {
                    case 0 -> frame[at] = (byte) random.nextInt(256);
                    case 1 -> frame[at] ^= (byte) (1 << random.nextInt(8));
                    default -> frame[at] = (byte) 0xFF; // inflate a varint length or count
                }
            }
            decodeChecked(frame, i);
        }
    }

    private void decodeChecked(byte[] frame, int iteration) {
        try {
            GossipMessage message = codec.decode(frame);
            assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
        } catch (DecodeException expected) {
            // the only allowed way out
        } catch (RuntimeException | Error e) {
            fail("seed " + SEED + " iteration " + iteration + " escaped with " + e, e);
        }
    }

    private static int pickType(SplittableRandom random) {
        int[] types = {1, 2, 3, 4, 5, 6, 16, 17, 32, 33, 34, 35, 36, 37};
        return types[random.nextInt(types.length)];
    }
}
