package io.corrosion.gossip.membership;

import io.corrosion.gossip.SiteId;
import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's dynamic suspicion timeout: it starts at {@code max} and shrinks towards {@code min} as independent
 * members confirm the suspicion, reaching it after {@code k} confirmations (memberlist's formula). With
 * {@code k = 0} it is the minimum from the start.
 */
final class Suspicion {

    private final long startedAt;
    private final long min;
    private final long max;
    private final int k;
    private final Set<SiteId> confirmers = new HashSet<>();
    final long incarnation;

    Suspicion(SiteId from, long incarnation, int k, long min, long max, long now) {
        this.incarnation = incarnation;
        this.k = k;
        this.min = min;
        this.max = max;
        this.startedAt = now;
        confirmers.add(from);
    }

    /**
     * The confirmations a suspicion waits for (memberlist's): multiplier - 2, or none when the cluster of
     * {@code members} (us and the accused included) has too few others to ever give them.
     */
    static int confirmationsWanted(int suspicionMultiplier, int members) {
        int k = suspicionMultiplier - 2;
        return members - 2 < k ? 0 : k;
    }

    /** Records an accuser; true if it is new (and so shortened the timeout). */
    boolean confirm(SiteId from) {
        return confirmers.size() - 1 < k && confirmers.add(from);
    }

    int confirmations() {
        return confirmers.size() - 1;
    }

    long deadline() {
        return startedAt + timeout(confirmations(), k, min, max);
    }

    static long timeout(int confirmations, int k, long min, long max) {
        if (k < 1) {
            return min;
        }
        double fraction = Math.log(confirmations + 1.0) / Math.log(k + 1.0);
        long raw = (long) Math.floor(max - fraction * (max - min));
        return Math.max(raw, min);
    }
}
