package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.store.ChangesetStore.ReadBatch;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member claims a site's versions up to 2^62 have nothing left (one {@link Changeset.Empty}, which no bound stops):
 * serving them to a peer that syncs must not hold the store's read thread for the 2^42 windows that takes. Each read
 * batch reads a bounded number of windows and hands the rest back, and the session goes on from there.
 */
class HugeEmptyRangeTest {
    @TempDir
    Path dir;
    private StoreNode node;

    @AfterEach
    void close() throws SQLException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aHugeEmptyRangeIsServedInBoundedBatches() throws Exception {
        node = new StoreNode(dir.resolve("b.db"), "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT)");
        SiteId other = new SiteId(42, 42);
        LongRange all = new LongRange(1, Changeset.MAX_VERSION);
        assertThat(node.store.apply(List.of(new Changeset.Empty(other, all, 0)))).containsExactly(ApplyOutcome.NEW);

        List<SyncNeed> needs = List.of(new SyncNeed.Full(other, all));
        List<Changeset> served = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            List<SyncNeed> asked = needs;
            ReadBatch read = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> node.store.read(asked, 64 * 1024), "one read batch");
            served.addAll(read.changesets());
            needs = read.remaining();
            assertThat(needs).as("the rest, after batch %d", batch).hasSize(1);
        }
        assertThat(served).allSatisfy(cs -> assertThat(cs).isInstanceOf(Changeset.Empty.class));
        long next = 1;
        for (Changeset cs : served) {
            LongRange versions = ((Changeset.Empty) cs).versions();
            assertThat(versions.start()).as("served without holes").isEqualTo(next);
            next = versions.end() + 1;
        }
        assertThat(((SyncNeed.Full) needs.get(0)).versions()).isEqualTo(new LongRange(next, Changeset.MAX_VERSION));
    }
}
