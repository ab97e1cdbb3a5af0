package io.corrosion.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** Seeded random choices shared by the cores, so every run replays from its seed. */
public final class RandomPicks {

    private RandomPicks() {
    }

    /**
     * Up to {@code count} distinct elements of {@code from} not rejected by {@code exclude}, uniformly at random.
     * Costs O(count) when few are excluded, O(n) otherwise.
     */
    public static <T> List<T> sample(List<T> from, int count, Predicate<T> exclude, RandomGenerator random) {
        int n = from.size();
        List<T> picked = new ArrayList<>(Math.min(count, n));
        if (count <= 0 || n == 0) {
            return picked;
        }
        if (count * 4 < n) {
            // Rejection sampling: cheap when the list is much larger than what we pick.
            Set<Integer> tried = new java.util.HashSet<>();
            int attempts = 0;
            while (picked.size() < count && attempts < count * 8) {
                attempts++;
                int i = random.nextInt(n);
                if (tried.add(i) && !exclude.test(from.get(i))) {
                    picked.add(from.get(i));
                }
            }
            if (picked.size() == count) {
                return picked;
            }
            picked.clear();
        }
        List<T> candidates = new ArrayList<>(n);
        for (T t : from) {
            if (!exclude.test(t)) {
                candidates.add(t);
            }
        }
        for (int i = 0; i < count && i < candidates.size(); i++) {
            int j = i + random.nextInt(candidates.size() - i);
            T tmp = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, tmp);
            picked.add(candidates.get(i));
        }
        return picked;
    }

    /** One random element, or null when none qualifies. */
    public static <T> T one(List<T> from, Predicate<T> exclude, RandomGenerator random) {
        List<T> one = sample(from, 1, exclude, random);
        return one.isEmpty() ? null : one.get(0);
    }

    /** {@code base} stretched by a random factor in [1, 1 + fraction), to spread periodic work. */
    public static long jitter(long base, double fraction, RandomGenerator random) {
        return base + (long) (base * fraction * random.nextDouble());
    }
}
