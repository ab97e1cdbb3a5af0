package io.corrosion.gossip.store;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import java.util.List;

/**
 * Where received changesets go and sync reads from: the driver implements it on SQLite (issue 6), the
 * simulation uses {@link InMemoryChangesetStore}. Calls may block (a SQLite transaction takes milliseconds), so the
 * cores never call it: they emit store tasks that the runtime executes off the protocol thread and feeds back
 * (see {@code io.corrosion.gossip.core}). Implementations must allow {@link #read} and {@link #syncState} to run
 * concurrently with {@link #apply}; the cores never issue two applies at once.
 *
 * <p>Changesets of the store's own site are committed by the driver itself and only broadcast through gossip;
 * the cores never pass them to {@link #apply}.
 */
public interface ChangesetStore {

    /**
     * Applies a batch in order and says, at the same index, what became of each changeset: {@code NEW} (stored:
     * buffered seqs of an incomplete version, a version now complete and applied, or versions newly cleared by an
     * empty changeset), {@code DUPLICATE} (nothing new), {@code REJECTED} (inconsistent; nothing stored). A
     * SQLite store should apply the whole batch in one transaction, bookkeeping included; if it throws, nothing of
     * the batch may be half-applied.
     */
    List<ApplyOutcome> apply(List<Changeset> batch);

    /**
     * A consistent summary of what this node has, per site (its own site included, so peers ask for its
     * versions): head, needed versions, partial versions with their missing seqs. Sites with head 0 may be left out.
     */
    SyncState syncState();

    /**
     * Reads what answers {@code needs}, in order, stopping once the changesets read reach {@code maxBytes} of
     * encoded size (at least one changeset is returned if any is available). Versions this store lacks are
     * skipped; versions it knows but has nothing for are returned as {@link Changeset.Empty} ranges. Whatever was
     * not read because of the budget is returned, narrowed, in {@link ReadBatch#remaining()}.
     */
    ReadBatch read(List<SyncNeed> needs, int maxBytes);

    /** One bounded read. */
    record ReadBatch(List<Changeset> changesets, List<SyncNeed> remaining) {
        public ReadBatch {
            changesets = List.copyOf(changesets);
            remaining = List.copyOf(remaining);
        }
    }
}
