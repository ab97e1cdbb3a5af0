package io.corrosion.gossip.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.SyncState.SiteVersions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SyncNeedsTest {

    private final SiteId us = new SiteId(0, 1);
    private final SiteId them = new SiteId(0, 2);
    private final SiteId writer = new SiteId(0, 3);

    private SyncState state(SiteId self, SiteVersions writerVersions) {
        TreeMap<SiteId, SiteVersions> sites = new TreeMap<>();
        if (writerVersions != null) {
            sites.put(writer, writerVersions);
        }
        return new SyncState(self, sites);
    }

    private static SiteVersions versions(long head, List<LongRange> needed, Map<Long, List<LongRange>> partials) {
        return new SiteVersions(head, needed, new TreeMap<>(partials));
    }

    @Test
    void aNewNodeAsksForEverything() {
        List<SyncNeed> needs = SyncNeeds.compute(state(us, null), state(them, SiteVersions.complete(7)));
        assertThat(needs).containsExactly(new SyncNeed.Full(writer, new LongRange(1, 7)));
    }

    @Test
    void ourGapsAreAskedOnlyWhereTheyHaveTheVersions() {
        SyncState ours = state(us, versions(10, List.of(new LongRange(2, 6)), Map.of()));
        SyncState theirs = state(them, versions(12, List.of(new LongRange(4, 4)), Map.of(5L,
                List.of(new LongRange(1, 1)))));
        assertThat(SyncNeeds.compute(ours, theirs)).containsExactly(
                new SyncNeed.Full(writer, new LongRange(2, 3)),
                new SyncNeed.Full(writer, LongRange.single(6)),
                new SyncNeed.Full(writer, new LongRange(11, 12)));
    }

    @Test
    void ourPartialsAreAskedWhereTheyHaveThemWholeOrHaveTheMissingSeqs() {
        SyncState ours = state(us, versions(10, List.of(), Map.of(
                3L, List.of(new LongRange(4, 9)),
                7L, List.of(new LongRange(0, 5)),
                8L, List.of(new LongRange(0, 2)))));
        SyncState theirs = state(them, versions(10, List.of(), Map.of(
                7L, List.of(new LongRange(3, 9)),
                8L, List.of(new LongRange(0, 9)))));
        assertThat(SyncNeeds.compute(ours, theirs)).containsExactly(
                new SyncNeed.Partial(writer, 3, List.of(new LongRange(4, 9))),
                new SyncNeed.Partial(writer, 7, List.of(new LongRange(0, 2))));
    }

    @Test
    void weNeverAskForOurOwnVersionsNorWhenWeAreAhead() {
        TreeMap<SiteId, SiteVersions> theirSites = new TreeMap<>();
        theirSites.put(us, SiteVersions.complete(50));
        theirSites.put(writer, SiteVersions.complete(3));
        SyncState theirs = new SyncState(them, theirSites);
        SyncState ours = state(us, SiteVersions.complete(9));
        assertThat(SyncNeeds.compute(ours, theirs)).isEmpty();
    }

    @Test
    void versionsAskedOfAPeerInAnotherSessionAreNotAskedAgain() {
        SiteId other = new SiteId(0, 4);
        List<SyncNeed> needs = List.of(
                new SyncNeed.Full(writer, new LongRange(1, 10)),
                new SyncNeed.Partial(writer, 12, List.of(new LongRange(0, 3))),
                new SyncNeed.Partial(writer, 13, List.of(new LongRange(5, 9))),
                new SyncNeed.Full(other, new LongRange(1, 4)));
        List<SyncNeed> outstanding = List.of(
                new SyncNeed.Full(writer, new LongRange(3, 5)),
                new SyncNeed.Partial(writer, 8, List.of(new LongRange(2, 2))),
                new SyncNeed.Partial(writer, 12, List.of(new LongRange(1, 1))),
                new SyncNeed.Full(them, new LongRange(1, 4)));
        assertThat(SyncNeeds.without(needs, outstanding)).containsExactly(
                new SyncNeed.Full(writer, new LongRange(1, 2)),
                new SyncNeed.Full(writer, new LongRange(6, 7)),
                new SyncNeed.Full(writer, new LongRange(9, 10)),
                new SyncNeed.Partial(writer, 13, List.of(new LongRange(5, 9))),
                new SyncNeed.Full(other, new LongRange(1, 4)));
        assertThat(SyncNeeds.without(needs, List.of())).isEqualTo(needs);
    }
}
