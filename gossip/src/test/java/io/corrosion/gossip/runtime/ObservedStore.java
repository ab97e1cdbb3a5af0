package io.corrosion.gossip.runtime;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** An {@link InMemoryChangesetStore} that tells {@code onNew} which changesets of each applied batch were new. */
class ObservedStore implements ChangesetStore {

    final InMemoryChangesetStore memory;
    private final Consumer<List<Changeset>> onNew;

    ObservedStore(SiteId self, Consumer<List<Changeset>> onNew) {
        this.memory = new InMemoryChangesetStore(self);
        this.onNew = onNew;
    }

    @Override
    public List<ApplyOutcome> apply(List<Changeset> batch) {
        List<ApplyOutcome> outcomes = memory.apply(batch);
        List<Changeset> taken = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) == ApplyOutcome.NEW) {
                taken.add(batch.get(i));
            }
        }
        if (!taken.isEmpty()) {
            onNew.accept(taken);
        }
        return outcomes;
    }

    @Override
    public SyncState syncState() {
        return memory.syncState();
    }

    @Override
    public ReadBatch read(List<SyncNeed> needs, int maxBytes) {
        return memory.read(needs, maxBytes);
    }
}
