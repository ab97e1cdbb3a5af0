package io.corrosion.gossip.core;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.wire.SessionKey;
import java.util.List;

/**
 * Store work the core asks for. The runtime runs {@link #execute} on a store thread (never the protocol thread)
 * and hands the result to {@link GossipCore#onStoreResult} on the protocol thread. At most one {@link Apply} is
 * outstanding at a time; reads may run beside it.
 */
public sealed interface StoreTask {

    long id();

    /** Runs against the store; a store exception becomes {@link StoreResult.Failed}. */
    default StoreResult execute(ChangesetStore store) {
        try {
            return run(store);
        } catch (RuntimeException e) {
            return new StoreResult.Failed(id(), e);
        }
    }

    StoreResult run(ChangesetStore store);

    /** Apply received changesets, one transaction. */
    record Apply(long id, List<Changeset> batch) implements StoreTask {
        public Apply {
            batch = List.copyOf(batch);
        }

        @Override
        public StoreResult run(ChangesetStore store) {
            return new StoreResult.Applied(id, store.apply(batch));
        }
    }

    /** Read our sync state for a session. */
    record ReadState(long id, SessionKey session) implements StoreTask {
        @Override
        public StoreResult run(ChangesetStore store) {
            return new StoreResult.State(id, store.syncState());
        }
    }

    /**
     * Read one bounded batch for a peer. The runtime may hold it back until the session's batch before the previous
     * one was taken by the network (back-pressure from the peer's flow control; the read overlaps the previous
     * batch's transfer).
     */
    record Read(long id, SessionKey session, List<SyncNeed> needs, int maxBytes) implements StoreTask {
        public Read {
            needs = List.copyOf(needs);
        }

        @Override
        public StoreResult run(ChangesetStore store) {
            return new StoreResult.ReadDone(id, store.read(needs, maxBytes));
        }
    }
}
