package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The examples of CRSQLITE.md A2, taken from the real crsql_pack_columns. */
class PackedColumnsTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @ParameterizedTest(name = "{0} packs as {1}")
    @CsvSource({
        "0, 0101", "1, 010901", "127, 01097F", "128, 010980", "255, 0109FF", "256, 01110100",
        "-1, 0141FFFFFFFFFFFFFFFF", "2147483648, 012180000000", "-129, 0141FFFFFFFFFFFFFF7F",
        "9223372036854775807, 01417FFFFFFFFFFFFFFF", "-9223372036854775808, 01418000000000000000"})
    void integersPackBigEndianInTheFewestBytes(long value, String hex) {
        assertThat(HEX.formatHex(PackedColumns.pack(value))).isEqualTo(hex);
        assertThat(PackedColumns.unpack(HEX.parseHex(hex))).containsExactly(value);
    }

    @Test
    void textBlobNullAndRealPackAsTheExtensionDoes() {
        assertThat(HEX.formatHex(PackedColumns.pack(""))).isEqualTo("0103");
        assertThat(HEX.formatHex(PackedColumns.pack("ab"))).isEqualTo("010B026162");
        assertThat(HEX.formatHex(PackedColumns.pack((Object) new byte[] {0, (byte) 0xff}))).isEqualTo("010C0200FF");
        assertThat(HEX.formatHex(PackedColumns.pack(new byte[0]))).isEqualTo("0104");
        assertThat(HEX.formatHex(PackedColumns.pack((Object) null))).isEqualTo("0105");
        assertThat(HEX.formatHex(PackedColumns.pack(1.5))).isEqualTo("01023FF8000000000000");
    }

    @Test
    void compositeKeysPackColumnByColumn() {
        byte[] packed = PackedColumns.pack(1L, "a", new byte[] {1}, null, 2.0);
        assertThat(HEX.formatHex(packed)).isEqualTo("0509010B01610C010105024000000000000000");
        List<Object> back = PackedColumns.unpack(packed);
        assertThat(back.get(0)).isEqualTo(1L);
        assertThat(back.get(1)).isEqualTo("a");
        assertThat((byte[]) back.get(2)).containsExactly(1);
        assertThat(back.get(3)).isNull();
        assertThat(back.get(4)).isEqualTo(2.0);
    }

    @Test
    void decoderZeroExtendsShortIntegersAndReadsLongText() {
        assertThat(PackedColumns.unpack(HEX.parseHex("010980"))).containsExactly(128L);
        char[] big = new char[300];
        Arrays.fill(big, 'x');
        String s = new String(big);
        byte[] packed = PackedColumns.pack(s);
        assertThat(HEX.formatHex(packed)).startsWith("0113012C7878");
        assertThat(PackedColumns.unpack(packed)).containsExactly(s);
    }

    @Test
    void malformedKeysAreRejectedWithTheReason() {
        assertThatThrownBy(() -> PackedColumns.unpack(HEX.parseHex("020901")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends after 1 of 2");
        assertThatThrownBy(() -> PackedColumns.unpack(HEX.parseHex("010B056162")))
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> PackedColumns.unpack(HEX.parseHex("0107"))).hasMessageContaining("unknown type");
        assertThatThrownBy(() -> PackedColumns.unpack(new byte[0])).hasMessageContaining("empty");
    }
}
