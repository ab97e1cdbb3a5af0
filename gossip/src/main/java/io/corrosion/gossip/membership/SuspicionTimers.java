package io.corrosion.gossip.membership;

import io.corrosion.gossip.SiteId;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Deadlines of the open suspicions. A confirmation shortens a suspicion by scheduling it again; outdated entries
 * (refuted, superseded or shortened since) are skipped when they come due.
 */
final class SuspicionTimers {

    record Timer(long deadline, SiteId site, Suspicion suspicion) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadline, o.deadline);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();

    void schedule(SiteId site, Suspicion suspicion) {
        queue.add(new Timer(suspicion.deadline(), site, suspicion));
    }

    long next() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().deadline;
    }

    /** Timers due at {@code now} whose deadline is still their suspicion's (the caller checks it is still open). */
    List<Timer> due(long now) {
        List<Timer> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().deadline <= now) {
            Timer t = queue.poll();
            if (t.deadline == t.suspicion.deadline()) {
                due.add(t);
            }
        }
        return due;
    }
}
