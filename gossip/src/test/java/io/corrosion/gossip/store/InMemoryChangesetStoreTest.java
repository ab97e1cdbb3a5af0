package io.corrosion.gossip.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.store.ChangesetStore.ReadBatch;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryChangesetStoreTest {

    private final SiteId writer = new SiteId(0, 1);
    private final InMemoryChangesetStore origin = new InMemoryChangesetStore(writer);

    @Test
    void applyReportsNewAndDuplicate() {
        Changeset.Full v1 = origin.commitLocal(new byte[10], 100, 0).get(0);
        InMemoryChangesetStore other = new InMemoryChangesetStore(new SiteId(0, 2));
        // Chunks of version 2 from two senders that disagree on its last seq: the smaller one counts.
        Changeset.Full chunk = new Changeset.Full(writer, 2, LongRange.single(0), 5, 0, new byte[1]);
        Changeset.Full another = new Changeset.Full(writer, 2, LongRange.single(1), 6, 0, new byte[1]);
        Changeset.Full beyond = new Changeset.Full(writer, 2, LongRange.single(6), 6, 0, new byte[1]);
        assertThat(other.apply(List.of(v1, v1, chunk, another, beyond))).containsExactly(ApplyOutcome.NEW,
                ApplyOutcome.DUPLICATE, ApplyOutcome.NEW, ApplyOutcome.NEW, ApplyOutcome.DUPLICATE);
        assertThat(other.syncState().sites().get(writer).partialNeeds())
                .containsEntry(2L, List.of(new LongRange(2, 5)));
    }

    @Test
    void readServesWholeVersionsEmptiesAndSkipsGapsWithinTheBudget() {
        for (int i = 0; i < 10; i++) {
            origin.commitLocal(new byte[1000], 400, 0); // 3 chunks a version
        }
        origin.supersede(writer, 3);
        origin.supersede(writer, 4);
        ReadBatch all = origin.read(List.of(new SyncNeed.Full(writer, new LongRange(1, 10))), 1 << 20);
        assertThat(all.remaining()).isEmpty();
        assertThat(all.changesets()).filteredOn(c -> c instanceof Changeset.Empty)
                .containsExactly(new Changeset.Empty(writer, new LongRange(3, 4), 0));
        assertThat(all.changesets()).hasSize(8 * 3 + 1);

        // A small budget: batches until nothing remains, the union equals the whole.
        List<Changeset> collected = new ArrayList<>();
        List<SyncNeed> needs = List.of(new SyncNeed.Full(writer, new LongRange(1, 10)));
        int reads = 0;
        while (!needs.isEmpty()) {
            ReadBatch batch = origin.read(needs, 1500);
            assertThat(batch.changesets()).isNotEmpty();
            int bytes = batch.changesets().stream().mapToInt(WireCodec::changesetSize).sum();
            // The budget is exceeded by at most the last chunk read.
            assertThat(bytes).isLessThan(1500 + 450);
            collected.addAll(batch.changesets());
            needs = batch.remaining();
            reads++;
        }
        assertThat(reads).isGreaterThan(5);
        assertThat(collected).containsExactlyInAnyOrderElementsOf(all.changesets());

        // A receiver applying them has everything.
        InMemoryChangesetStore copy = new InMemoryChangesetStore(new SiteId(0, 3));
        copy.apply(collected);
        assertThat(copy.hasAllUpTo(writer, 10)).isTrue();
    }

    @Test
    void readServesPartialNeedsWithTheOverlappingChunks() {
        List<Changeset.Full> chunks = origin.commitLocal(new byte[1000], 100, 0); // seqs 0..9
        ReadBatch batch = origin.read(List.of(new SyncNeed.Partial(writer, 1, List.of(new LongRange(3, 4),
                LongRange.single(8)))), 1 << 20);
        assertThat(batch.changesets()).containsExactly(chunks.get(3), chunks.get(4), chunks.get(8));
    }

    @Test
    void versionsTheReaderLacksAreSkipped() {
        InMemoryChangesetStore holey = new InMemoryChangesetStore(new SiteId(0, 2));
        List<Changeset.Full> v = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            v.add(origin.commitLocal(new byte[5], 100, 0).get(0));
        }
        holey.apply(List.of(v.get(0), v.get(4)));
        ReadBatch batch = holey.read(List.of(new SyncNeed.Full(writer, new LongRange(1, 5))), 1 << 20);
        assertThat(batch.changesets()).containsExactly(v.get(0), v.get(4));
    }
}
