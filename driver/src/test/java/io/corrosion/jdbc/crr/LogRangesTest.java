package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of integer keys in the version log as ranges ({@code __corrosion_log_range}): what readers see stays the same. */
class LogRangesTest {
    private static final String SCHEMA = "CREATE TABLE i(id INTEGER PRIMARY KEY NOT NULL, v TEXT);"
            + " CREATE TABLE u(id NOT NULL PRIMARY KEY, v TEXT); SELECT crsql_as_crr('i'); SELECT crsql_as_crr('u');";

    @TempDir
    Path dir;

    /** One transaction: keys 1, 4, ..., 1 + 3 (n - 1) in order, then a few keys off the progression. */
    private static String progression(String table, int n, String... extraKeys) {
        StringBuilder tx = new StringBuilder("BEGIN;");
        for (int k = 0; k < n; k++) {
            tx.append("INSERT INTO ").append(table).append(" VALUES (").append(1 + 3 * k).append(", 'x").append(k).append("');");
        }
        for (String key : extraKeys) {
            tx.append("INSERT INTO ").append(table).append(" VALUES (").append(key).append(", 'extra');");
        }
        return tx.append("COMMIT;").toString();
    }

    @Test
    void aRunOfIntegerKeysIsOneRangeAndReadsTheSame() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec(progression("i", 100, "1000", "2000", "5"));
            // Untyped keys: REAL and TEXT keys inside the range's span are not its keys.
            r.exec(progression("u", 40, "4.5", "'7'", "10.5"));
            r.exec(progression("i", LogWriter.RUN - 1).replace("VALUES (", "VALUES (10000 + "));
            List<Change> before = r.changes();
            assertThat(before).hasSize(103 + 43 + LogWriter.RUN - 1);

            r.crr.flushJournal();

            assertThat(r.query("SELECT db_version, lo, hi, step FROM __corrosion_log_range ORDER BY db_version"))
                    .containsExactly(List.of(1L, 1L, 298L, 3L), List.of(2L, 1L, 118L, 3L));
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log WHERE db_version = 1")).isEqualTo(3L);
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log WHERE db_version = 2")).isEqualTo(3L);
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log WHERE db_version = 3"))
                    .as("a run shorter than a range").isEqualTo((long) LogWriter.RUN - 1);
            assertThat(r.changes()).isEqualTo(before);
            assertThat(r.crr.changesSince(1)).isEqualTo(before.stream().filter(c -> c.dbVersion() > 1).toList());
            assertThat(r.crr.dbVersion()).isEqualTo(3);
        }
    }

    @Test
    void compactingDropsARangeOnlyOnceNoneOfItsKeysKeepsItsVersion() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec(progression("i", 50));
            r.exec("UPDATE i SET v = 'new' WHERE id < 100"); // keys 1 to 97: a range of version 2
            r.crr.flushJournal();
            assertThat(r.crr.schema().compactLog()).as("keys 100 to 148 still carry version 1").isEqualTo(0);
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log_range")).isEqualTo(2L);
            List<Change> before = r.changes();

            r.exec("UPDATE i SET v = 'newer'");
            r.exec("INSERT INTO i VALUES (100000, 'later')");
            r.crr.flushJournal();
            assertThat(r.crr.schema().compactLog()).as("the ranges of versions 1 and 2").isEqualTo(2);
            assertThat(r.query("SELECT db_version FROM __corrosion_log_range")).containsExactly(List.of(3L));
            assertThat(r.changes()).hasSize(before.size() + 1).allMatch(c -> c.dbVersion() >= 3);
            assertThat(r.crr.dbVersion()).isEqualTo(4);

            r.exec("DELETE FROM i");
            r.crr.flushJournal();
            assertThat(r.crr.schema().compactLog()).as("the range of version 3, the entry of version 4").isEqualTo(2);
            assertThat(r.query("SELECT db_version FROM __corrosion_log_range")).containsExactly(List.of(5L));
            assertThat(r.changes()).hasSize(51).allMatch(c -> c.cid().equals("-1"));
            assertThat(r.crr.dbVersion()).isEqualTo(5);
        }
    }

    @Test
    void aKeyInARangeAndInTheLogShowsOnce() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec(progression("i", 40));
            r.crr.flushJournal();
            List<Change> before = r.changes();
            long tbl = (Long) r.scalar("SELECT tbl FROM __corrosion_log_range");
            r.exec("INSERT INTO __corrosion_log (site, db_version, tbl, key) VALUES (0, 1, " + tbl + ", 4), (0, 1, " + tbl
                    + ", 7)");
            assertThat(r.changes()).isEqualTo(before);
        }
    }

    @Test
    void aFileOfTheFormerFormatGetsTheRangeTableAndTheViewReadsIt() throws SQLException {
        Path file = dir.resolve("a.db");
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("DROP TABLE __corrosion_log_range; UPDATE crsql_master SET value = 3 WHERE key = 'corrosion_format'");
        }
        try (Replica r = new Replica(dir, "a")) {
            assertThat(r.scalar("SELECT value FROM crsql_master WHERE key = 'corrosion_format'"))
                    .isEqualTo((long) CrrMetadata.FORMAT_VERSION);
            r.exec(progression("i", 40));
            List<Change> before = r.changes();
            r.crr.flushJournal();
            assertThat(r.scalar("SELECT count(*) FROM __corrosion_log_range")).isEqualTo(1L);
            assertThat(r.changes()).hasSize(40).isEqualTo(before);
        }
        assertThat(file).exists();
    }
}
