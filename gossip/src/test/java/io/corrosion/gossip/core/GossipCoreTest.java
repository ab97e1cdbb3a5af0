package io.corrosion.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.ChangesetSource;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.store.ChangesetStore.ReadBatch;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.wire.BroadcastBatch;
import io.corrosion.gossip.wire.BroadcastMessage;
import io.corrosion.gossip.wire.SessionKey;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GossipCoreTest {

    private final Member self = new Member(new SiteId(0, 1), new NodeAddress("10.0.0.1", 7400), 1);
    private final SiteId origin = new SiteId(0, 2);
    private final Outbox out = new Outbox();

    private GossipCore core(GossipConfig config) {
        GossipCore core = new GossipCore(config, self, List.of(), new SplittableRandom(1));
        core.start(0, out);
        out.drainMessages();
        return core;
    }

    private BroadcastMessage received(long version) {
        return new BroadcastMessage(origin, 0, Changeset.Full.complete(origin, version, 0, 0, new byte[100]));
    }

    @Test
    void receivedChangesetsAreAppliedInBatchesOneAtATime() {
        GossipCore core = core(GossipConfig.defaults());
        InMemoryChangesetStore store = new InMemoryChangesetStore(self.siteId());
        core.onMessage(received(1), 0, out);
        List<StoreTask> first = out.drainStoreTasks();
        assertThat(first).singleElement().isInstanceOf(StoreTask.Apply.class);
        for (int v = 2; v <= 10; v++) {
            core.onMessage(received(v), 0, out);
        }
        assertThat(out.drainStoreTasks()).as("one apply in flight at a time").isEmpty();
        core.onStoreResult(first.get(0).execute(store), 1, out);
        List<StoreTask> second = out.drainStoreTasks();
        assertThat(second).singleElement().satisfies(t -> assertThat(((StoreTask.Apply) t).batch()).hasSize(9));
        core.onStoreResult(second.get(0).execute(store), 2, out);
        assertThat(out.drainEvents()).filteredOn(e -> e instanceof GossipEvent.ChangesetApplied).hasSize(10)
                .allSatisfy(e -> assertThat(((GossipEvent.ChangesetApplied) e).source())
                        .isEqualTo(ChangesetSource.BROADCAST));
        assertThat(store.hasAllUpTo(origin, 10)).isTrue();
    }

    @Test
    void aFullApplyQueueDropsTheOldestAndForgetsThemSoALaterCopyIsTaken() {
        GossipConfig config = GossipConfig.builder().applyQueueMaxItems(5).applyBatchMaxItems(5).build();
        GossipCore core = core(config);
        core.onMessage(received(1), 0, out); // goes out as a batch at once
        StoreTask inFlight = out.drainStoreTasks().get(0);
        for (int v = 2; v <= 9; v++) {
            core.onMessage(received(v), 0, out);
        }
        assertThat(core.stats().apply().dropped()).isEqualTo(3);
        assertThat(core.stats().apply().queued()).isEqualTo(5);
        // Version 2 was dropped: a later broadcast copy is accepted again rather than deduped.
        core.onMessage(received(2), 0, out);
        assertThat(core.stats().broadcast().duplicates()).isZero();
        core.onMessage(received(9), 0, out);
        assertThat(core.stats().broadcast().duplicates()).isEqualTo(1);
        assertThat(inFlight).isInstanceOf(StoreTask.Apply.class);
    }

    @Test
    void aFailedApplyLosesNothingForGood() {
        GossipCore core = core(GossipConfig.defaults());
        core.onMessage(received(1), 0, out);
        StoreTask task = out.drainStoreTasks().get(0);
        ChangesetStore diskFull = new ChangesetStore() {
            @Override
            public List<ApplyOutcome> apply(List<Changeset> batch) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public SyncState syncState() {
                throw new IllegalStateException("disk full");
            }

            @Override
            public ReadBatch read(List<SyncNeed> needs, int maxBytes) {
                throw new IllegalStateException("disk full");
            }
        };
        StoreResult failed = task.execute(diskFull);
        assertThat(failed).isInstanceOf(StoreResult.Failed.class);
        assertThat(new StoreTask.ReadState(7, new SessionKey(self.siteId(), 7)).execute(diskFull)).isInstanceOf(StoreResult.Failed.class);
        core.onStoreResult(failed, 1, out);
        assertThat(core.stats().apply().failedBatches()).isEqualTo(1);
        // The id was forgotten: the next copy is taken and applied.
        core.onMessage(received(1), 2, out);
        StoreTask retry = out.drainStoreTasks().get(0);
        StoreResult ok = retry.execute(new InMemoryChangesetStore(self.siteId()));
        assertThat(((StoreResult.Applied) ok).outcomes()).containsExactly(ApplyOutcome.NEW);
    }

    @Test
    void aChangesetTooBigForAFrameIsRefusedAtBroadcast() {
        GossipConfig config = GossipConfig.builder().maxFrameBytes(64 << 10).syncBatchBytes(16 << 10).build();
        GossipCore core = core(config);
        Changeset big = Changeset.Full.complete(self.siteId(), 1, 0, 0, new byte[40 << 10]);
        assertThatThrownBy(() -> core.broadcast(big, 0, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk");
    }

    @Test
    void theApplyLagIsTheWaitOfTheOldestChangesetNotYetStored() {
        GossipCore core = core(GossipConfig.defaults());
        InMemoryChangesetStore store = new InMemoryChangesetStore(self.siteId());
        assertThat(core.applyLagMillis(100)).isZero();

        core.onMessage(received(1), 100, out);
        StoreTask first = out.drainStoreTasks().get(0);
        core.onMessage(received(2), 150, out);
        assertThat(core.applyLagMillis(400)).as("v1 in flight since 100").isEqualTo(300);

        core.onStoreResult(first.execute(store), 420, out);
        assertThat(core.applyLagMillis(450)).as("v2 queued since 150").isEqualTo(300);
        core.onStoreResult(out.drainStoreTasks().get(0).execute(store), 460, out);
        assertThat(core.applyLagMillis(500)).isZero();
    }

    @Test
    void aBatchOfBroadcastsIsTakenAsIfEachHadComeAlone() {
        GossipCore core = core(GossipConfig.defaults());
        core.onMessage(new BroadcastBatch(List.of(received(1), received(2), received(1))), 0, out);

        assertThat(out.drainStoreTasks()).singleElement()
                .satisfies(t -> assertThat(((StoreTask.Apply) t).batch()).hasSize(2));
        assertThat(core.stats().broadcast().duplicates()).isEqualTo(1);
    }

    @Test
    void underASteadyStreamChangesetsWaitForOthersToShareTheirApplyAndAfterAQuietSpellGoAtOnce() {
        GossipCore core = core(GossipConfig.defaults().toBuilder().applyLinger(java.time.Duration.ofMillis(4)).build());
        InMemoryChangesetStore store = new InMemoryChangesetStore(self.siteId());

        core.onMessage(received(1), 1000, out);
        List<StoreTask> first = out.drainStoreTasks();
        assertThat(first).as("nothing was applied lately: at once").singleElement();
        core.onStoreResult(first.get(0).execute(store), 1001, out);

        core.onMessage(received(2), 1002, out);
        core.onMessage(received(3), 1003, out);
        core.onTimeout(1003, out);
        assertThat(out.drainStoreTasks()).as("a batch began 3 ms ago: v2 and v3 wait for company").isEmpty();
        assertThat(core.nextTimeout()).as("the timer fires when the linger has passed since that batch")
                .isLessThanOrEqualTo(1004);

        core.onTimeout(1004, out);
        List<StoreTask> second = out.drainStoreTasks();
        assertThat(second).singleElement().satisfies(t -> assertThat(((StoreTask.Apply) t).batch()).hasSize(2));
        core.onStoreResult(second.get(0).execute(store), 1005, out);
        assertThat(out.drainStoreTasks()).as("nothing left to apply").isEmpty();

        core.onMessage(received(5), 1100, out);
        assertThat(out.drainStoreTasks()).as("after a quiet spell: at once").singleElement()
                .satisfies(t -> assertThat(((StoreTask.Apply) t).batch()).hasSize(1));
    }

    @Test
    void aLingeringBatchThatReachesTheBatchBoundGoesAtOnce() {
        GossipCore core = core(GossipConfig.defaults().toBuilder().applyLinger(java.time.Duration.ofMillis(50))
                .applyBatchMaxItems(3).build());
        InMemoryChangesetStore store = new InMemoryChangesetStore(self.siteId());
        core.onMessage(received(1), 0, out);
        core.onStoreResult(out.drainStoreTasks().get(0).execute(store), 1, out);
        core.onMessage(received(2), 2, out);
        core.onMessage(received(3), 3, out);
        assertThat(out.drainStoreTasks()).isEmpty();
        core.onMessage(received(4), 4, out);
        assertThat(out.drainStoreTasks()).singleElement()
                .satisfies(t -> assertThat(((StoreTask.Apply) t).batch()).hasSize(3));
    }

    @Test
    void aNegativeLingerIsRefused() {
        assertThatThrownBy(() -> GossipConfig.defaults().toBuilder().applyLinger(java.time.Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("applyLinger");
    }
}
