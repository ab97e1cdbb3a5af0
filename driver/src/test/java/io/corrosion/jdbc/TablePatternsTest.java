package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TablePatternsTest {

    @Test
    void globsMatchWholeNamesIgnoringCase() {
        assertThat(TablePatterns.matches("a*c", "abbbc")).isTrue();
        assertThat(TablePatterns.matches("a*c", "abbbcd")).isFalse();
        assertThat(TablePatterns.matches("*", "")).isTrue();
        assertThat(TablePatterns.matches("?x*", "ax")).isTrue();
        assertThat(TablePatterns.matches("?x*", "x")).isFalse();
        assertThat(TablePatterns.matches("*_seq", "person_seq")).isTrue();
        assertThat(TablePatterns.matches("a*b*c", "a_b_b_c")).isTrue();
        assertThat(TablePatterns.anyMatches(Set.of("users", "log_*"), "LOG_2024")).isTrue();
        assertThat(TablePatterns.anyMatches(Set.of(), "x")).isFalse();
    }

    @Test
    void propertiesParseTheirPatterns() throws SQLException {
        CorrosionConfig c = CorrosionConfig.parse(
                "jdbc:corrosion:x.db?local-tables=Scratch, cache_*&int64-keys=*&node-slot=1023", null);
        assertThat(c.node().localTables()).containsExactlyInAnyOrder("scratch", "cache_*");
        assertThat(c.node().isLocalTable("CACHE_x")).isTrue();
        assertThat(c.node().hasInt64Keys("anything")).isTrue();
        assertThat(c.node().nodeSlot()).contains(1023);
        assertThat(CorrosionConfig.parse("jdbc:corrosion:x.db", null).node().nodeSlot()).isEmpty();
        SQLException bad = catchThrowableOfType(SQLException.class,
                () -> CorrosionConfig.parse("jdbc:corrosion:x.db?node-slot=1024", null));
        assertThat(bad.getSQLState()).isEqualTo("08001");
        assertThat(bad.getMessage()).contains("node-slot", "0 to 1023");
    }
}
