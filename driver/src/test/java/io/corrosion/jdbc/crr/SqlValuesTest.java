package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cr-sqlite's value order (compare_values.rs), not SQLite's. */
class SqlValuesTest {
    @Test
    void typesOrderNullBlobTextRealInteger() {
        List<Object> values = new ArrayList<>(Arrays.asList(5L, 1.5, "a", new byte[] {9}, null));
        values.sort(SqlValues::compare);
        assertThat(values.get(0)).isNull();
        assertThat(values.get(1)).isInstanceOf(byte[].class);
        assertThat(values.subList(2, 5)).containsExactly("a", 1.5, 5L);
    }

    @Test
    void integerBeatsRealByTypeNotByMagnitude() {
        assertThat(SqlValues.compare(1L, 1000.5)).isPositive();
        assertThat(SqlValues.compare(-5L, 3.0)).isPositive();
    }

    @Test
    void sameTypesCompareByValueAndBytes() {
        assertThat(SqlValues.compare(2L, 10L)).isNegative();
        assertThat(SqlValues.compare(-0.0, 0.0)).isZero();
        assertThat(SqlValues.compare("B", "a")).isNegative();
        assertThat(SqlValues.compare("é", "z")).isPositive(); // UTF-8 bytes: 0xC3 > 'z'
        assertThat(SqlValues.compare(new byte[] {1}, new byte[] {1, 0})).isNegative();
        assertThat(SqlValues.compare(new byte[] {(byte) 0x80}, new byte[] {0x7f})).isPositive();
        assertThat(SqlValues.compare(null, null)).isZero();
    }
}
