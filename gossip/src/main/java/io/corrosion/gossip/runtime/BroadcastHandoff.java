package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Changeset;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Local changesets on their way from the threads that broadcast them to the protocol thread: a bounded queue, and one
 * protocol step scheduled at a time to take everything waiting. Changesets handed over together are taken by one step
 * (and so leave as one message per peer). Offers never block.
 */
final class BroadcastHandoff {
    private final ArrayBlockingQueue<Changeset> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable schedule;

    /** @param schedule runs a step on the protocol thread that calls {@link #drain} */
    BroadcastHandoff(int capacity, Runnable schedule) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.schedule = schedule;
    }

    /** False if the queue is full. */
    boolean offer(Changeset changeset) {
        return offer(List.of(changeset))[0];
    }

    /** Whether each was taken, in order (false: the queue was full). */
    boolean[] offer(List<Changeset> changesets) {
        boolean[] taken = new boolean[changesets.size()];
        boolean any = false;
        for (int i = 0; i < taken.length; i++) {
            taken[i] = queue.offer(changesets.get(i));
            any |= taken[i];
        }
        if (any && scheduled.compareAndSet(false, true)) {
            schedule.run();
        }
        return taken;
    }

    /** Takes every changeset waiting, in order. Protocol thread. */
    void drain(Consumer<Changeset> each) {
        scheduled.set(false);
        for (Changeset changeset = queue.poll(); changeset != null; changeset = queue.poll()) {
            each.accept(changeset);
        }
    }

    int size() {
        return queue.size();
    }
}
