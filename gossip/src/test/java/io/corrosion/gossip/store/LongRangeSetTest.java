package io.corrosion.gossip.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.LongRange;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LongRangeSetTest {

    @Test
    void adjacentAndOverlappingRangesMerge() {
        LongRangeSet set = new LongRangeSet();
        set.add(1, 3);
        set.add(7, 9);
        set.add(4, 4);
        assertThat(set.ranges()).containsExactly(new LongRange(1, 4), new LongRange(7, 9));
        set.add(5, 6);
        assertThat(set.ranges()).containsExactly(new LongRange(1, 9));
    }

    @Test
    void removeSplitsRanges() {
        LongRangeSet set = LongRangeSet.of(1, 10);
        set.remove(4, 6);
        assertThat(set.ranges()).containsExactly(new LongRange(1, 3), new LongRange(7, 10));
        assertThat(set.gaps(0, 12)).containsExactly(LongRange.single(0), new LongRange(4, 6), new LongRange(11, 12));
        assertThat(set.intersection(2, 8)).containsExactly(new LongRange(2, 3), new LongRange(7, 8));
        assertThat(set.containsAll(7, 10)).isTrue();
        assertThat(set.containsAll(3, 7)).isFalse();
    }

    @Test
    void agreesWithASetOfLongsUnderRandomOperations() {
        SplittableRandom random = new SplittableRandom(11);
        LongRangeSet set = new LongRangeSet();
        TreeSet<Long> model = new TreeSet<>();
        for (int i = 0; i < 5_000; i++) {
            long a = random.nextLong(200);
            long b = a + random.nextLong(15);
            if (random.nextBoolean()) {
                set.add(a, b);
                for (long v = a; v <= b; v++) {
                    model.add(v);
                }
            } else {
                set.remove(a, b);
                for (long v = a; v <= b; v++) {
                    model.remove(v);
                }
            }
            long probe = random.nextLong(220);
            assertThat(set.contains(probe)).isEqualTo(model.contains(probe));
        }
        // Ranges are disjoint and not touching.
        List<LongRange> ranges = set.ranges();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).start()).isGreaterThan(ranges.get(i - 1).end() + 1);
        }
        long count = ranges.stream().mapToLong(LongRange::length).sum();
        assertThat(count).isEqualTo(model.size());
    }
}
