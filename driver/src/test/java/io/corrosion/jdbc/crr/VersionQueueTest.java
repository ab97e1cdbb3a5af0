package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The journal's ring of entries by version answers as a sorted map would, through growth and wrap-around. */
class VersionQueueTest {
    private record Item(long version, String tag) {}

    @Test
    void answersAsASortedMapWhateverOrderVersionsArriveIn() {
        SplittableRandom random = new SplittableRandom(7);
        VersionQueue<Item> queue = new VersionQueue<>(Item::version);
        TreeMap<Long, Item> model = new TreeMap<>();
        long next = 1;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 6) { // mostly in order, with gaps
                next += 1 + random.nextInt(3);
                put(queue, model, new Item(next, "s" + step));
            } else if (op == 6) { // out of order or a replacement
                put(queue, model, new Item(1 + random.nextLong(next + 2), "r" + step));
            } else if (op < 9 && !model.isEmpty()) {
                assertThat(queue.first()).isEqualTo(model.firstEntry().getValue());
                queue.removeFirst();
                model.pollFirstEntry();
            } else {
                long lo = random.nextLong(next + 2);
                long hi = lo + random.nextLong(50);
                assertThat(queue.between(lo, hi)).isEqualTo(new ArrayList<>(model.subMap(lo, true, hi, true).values()));
                assertThat(queue.above(lo)).isEqualTo(new ArrayList<>(model.tailMap(lo, false).values()));
            }
            assertThat(queue.size()).isEqualTo(model.size());
            if (!model.isEmpty()) {
                assertThat(queue.lastVersion()).isEqualTo(model.lastKey());
            }
        }
        assertThat(queue.between(5, 4)).isEmpty();
        List<Item> all = new ArrayList<>();
        queue.forEachBetween(0, Long.MAX_VALUE, all::add);
        assertThat(all).isEqualTo(new ArrayList<>(model.values()));
    }

    private static void put(VersionQueue<Item> queue, TreeMap<Long, Item> model, Item item) {
        queue.put(item);
        model.put(item.version(), item);
    }
}
