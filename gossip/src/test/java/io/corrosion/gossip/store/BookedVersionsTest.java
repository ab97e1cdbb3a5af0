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
    void aChunkDisagreeingOnTheLastSeqIsRejected() {
        book.book(chunk(2, 0, 3, 9));
        assertThat(book.book(chunk(2, 4, 5, 5))).isEqualTo(Booking.REJECTED);
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
