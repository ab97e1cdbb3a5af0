package io.corrosion.gossip.core;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.ChangesetStore.ReadBatch;
import java.util.List;

/** The answer to a {@link StoreTask}, with the task's id. */
public sealed interface StoreResult {

    long id();

    record Applied(long id, List<ApplyOutcome> outcomes) implements StoreResult {
        public Applied {
            outcomes = List.copyOf(outcomes);
        }
    }

    record State(long id, SyncState state) implements StoreResult {
    }

    record ReadDone(long id, ReadBatch batch) implements StoreResult {
    }

    record Failed(long id, RuntimeException error) implements StoreResult {
    }
}
