package io.corrosion.gossip.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SiteId;
import java.util.List;
import org.junit.jupiter.api.Test;

class BookedVersionsTest {

    private final SiteId site = new SiteId(1, 2);
    private final BookedVersions book = new BookedVersions(site);

    private Changeset.Full chunk(long version, long from, long to, long last) {
        return new Changeset.Full(site, version, new LongRange(from, to), last, 0, new byte[] {1});
    }

    @Test
    void skippedVersionsBecomeNeededUntilTheyArrive() {
        assertThat(book.book(chunk(1, 0, 0, 0))).isEqualTo(Booking.COMPLETED);
        assertThat(book.book(chunk(5, 0, 2, 2))).isEqualTo(Booking.COMPLETED);
        assertThat(book.head()).isEqualTo(5);
        assertThat(book.needed().ranges()).containsExactly(new LongRange(2, 4));
        assertThat(book.book(chunk(3, 0, 0, 0))).isEqualTo(Booking.COMPLETED);
        assertThat(book.needed().ranges()).containsExactly(LongRange.single(2), LongRange.single(4));
        assertThat(book.book(chunk(3, 0, 0, 0))).isEqualTo(Booking.DUPLICATE);
    }

    @Test
    void chunksOfAVersionAreBufferedUntilTheyCoverAllSeqs() {
        assertThat(book.book(chunk(2, 0, 3, 9))).isEqualTo(Booking.BUFFERED);
        assertThat(book.contains(2)).isFalse();
        assertThat(book.partials().get(2L).missing()).containsExactly(new LongRange(4, 9));
        assertThat(book.book(chunk(2, 2, 3, 9))).isEqualTo(Booking.DUPLICATE);
        assertThat(book.book(chunk(2, 7, 9, 9))).isEqualTo(Booking.BUFFERED);
        assertThat(book.book(chunk(2, 4, 6, 9))).isEqualTo(Booking.COMPLETED);
        assertThat(book.contains(2)).isTrue();
        assertThat(book.partials()).isEmpty();
        assertThat(book.needed().ranges()).containsExactly(LongRange.single(1));
    }

    @Test
    void aSmallerLastSeqFromAnotherSenderEndsTheVersionThere() {
        book.book(chunk(2, 0, 3, 9));
        // The sender's seqs above 5 lost to later changes: nothing above 5 is needed any more.
        assertThat(book.book(chunk(2, 4, 5, 5))).isEqualTo(Booking.COMPLETED);
        assertThat(book.contains(2)).isTrue();
    }

    @Test
    void theSmallestLastSeqCountsWhicheverOrderTheChunksCameIn() {
        BookedVersions other = new BookedVersions(site);
        assertThat(book.book(chunk(2, 4, 5, 5))).isEqualTo(Booking.BUFFERED);
        assertThat(book.partials().get(2L).missing()).containsExactly(new LongRange(0, 3));
        assertThat(book.book(chunk(2, 6, 9, 9))).isEqualTo(Booking.DUPLICATE); // above the last seq: not needed
        assertThat(book.containsAll(chunk(2, 6, 9, 9))).isTrue();
        assertThat(book.containsAll(chunk(2, 0, 1, 9))).isFalse();
        assertThat(book.book(chunk(2, 0, 3, 9))).isEqualTo(Booking.COMPLETED);

        assertThat(other.book(chunk(2, 0, 3, 9))).isEqualTo(Booking.BUFFERED);
        assertThat(other.containsAll(chunk(2, 2, 3, 3))).as("lowers the last seq").isFalse();
        assertThat(other.book(chunk(2, 4, 5, 5))).isEqualTo(Booking.COMPLETED);
    }

    @Test
    void aChunkLoweringTheLastSeqBelowWhatIsMissingCompletesTheVersion() {
        book.book(chunk(2, 0, 5, 9));
        assertThat(book.partials().get(2L).missing()).containsExactly(new LongRange(6, 9));
        // A sender holding nothing above 5: its last chunk, [3, 5] of 5, says so.
        assertThat(book.book(chunk(2, 3, 5, 5))).isEqualTo(Booking.COMPLETED);
    }

    @Test
    void emptyChangesetsClearRangesAndPartials() {
        book.book(chunk(3, 0, 0, 4));
        assertThat(book.book(new Changeset.Empty(site, new LongRange(1, 6), 0))).isEqualTo(Booking.CLEARED);
        assertThat(book.head()).isEqualTo(6);
        assertThat(book.needed().isEmpty()).isTrue();
        assertThat(book.partials()).isEmpty();
        assertThat(book.book(new Changeset.Empty(site, new LongRange(2, 4), 0))).isEqualTo(Booking.DUPLICATE);
        assertThat(book.book(chunk(4, 0, 0, 0))).isEqualTo(Booking.DUPLICATE);
        assertThat(book.book(new Changeset.Empty(site, new LongRange(9, 9), 0))).isEqualTo(Booking.CLEARED);
        assertThat(book.needed().ranges()).containsExactly(new LongRange(7, 8));
    }

    @Test
    void syncStateListsHeadGapsAndMissingSeqs() {
        book.book(chunk(2, 0, 1, 3));
        book.book(chunk(5, 0, 0, 0));
        var state = book.toSyncState();
        assertThat(state.head()).isEqualTo(5);
        assertThat(state.needed()).containsExactly(LongRange.single(1), new LongRange(3, 4));
        assertThat(state.partialNeeds()).containsEntry(2L, List.of(new LongRange(2, 3)));
    }
}
