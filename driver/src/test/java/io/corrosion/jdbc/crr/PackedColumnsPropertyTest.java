package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any key cr-sqlite can pack survives a round trip, and packing is canonical. */
class PackedColumnsPropertyTest {
    @Property(tries = 300, seed = "20261125")
    void packedKeysRoundTrip(@ForAll("keys") List<Object> key) {
        byte[] packed = PackedColumns.pack(key);
        List<Object> back = PackedColumns.unpack(packed);
        assertThat(back).hasSameSizeAs(key);
        for (int i = 0; i < key.size(); i++) {
            assertThat(SqlValues.same(back.get(i), key.get(i))).as("column %d of %s", i, key).isTrue();
        }
        assertThat(PackedColumns.pack(back)).isEqualTo(packed);
    }

    @Provide
    Arbitrary<List<Object>> keys() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.longs().map(v -> (Object) v),
                Arbitraries.doubles().filter(d -> !d.isNaN()).map(v -> (Object) v),
                Arbitraries.strings().withCharRange((char) 0, (char) 0xD7FF).ofMaxLength(300).map(v -> (Object) v),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(v -> (Object) v),
                Arbitraries.just(null));
        return value.list().ofMinSize(1).ofMaxSize(6);
    }
}
