package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rows of one transaction, kept without collections while there is one, in first-write order after. */
class TouchedTest {
    @Test
    void oneRowWrittenAgainStaysOneRow() {
        Touched t = new Touched();
        assertThat(t.isEmpty()).isTrue();
        t.add(1, new byte[] {1, 2});
        t.add(1, new byte[] {1, 2}); // equal by content
        assertThat(t.isEmpty()).isFalse();
        assertThat(t.snapshot()).containsOnlyKeys(1L);
        assertThat(t.keys(1)).singleElement().isEqualTo(new byte[] {1, 2});
        assertThat(t.keys(2)).isEmpty();
    }

    @Test
    void aSecondRowKeepsTheFirstInFront() {
        Touched t = new Touched();
        t.add(2, 7L);
        t.add(1, 5L);
        t.add(2, 8L);
        t.add(2, 7L);
        assertThat(t.snapshot()).isEqualTo(Map.of(2L, List.of(7L, 8L), 1L, List.of(5L)));
        assertThat(t.snapshot().keySet()).containsExactly(2L, 1L);
        t.addAll(2, List.of(9L, 7L));
        assertThat(t.keys(2)).containsExactly(7L, 8L, 9L);
        t.clear();
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.snapshot()).isEmpty();
    }

    @Test
    void aBulkInsertAfterOneRowKeepsBoth() {
        Touched t = new Touched();
        t.add(3, "k");
        t.addAll(3, List.of("a", "k", "b"));
        assertThat(t.keys(3)).containsExactly("k", "a", "b");
        t.clear();
        t.add(4, 1L);
        assertThat(t.snapshot()).isEqualTo(Map.of(4L, List.of(1L)));
    }
}
