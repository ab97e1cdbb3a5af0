package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConnection;

/**
 * {@link FirstRow} reads what sqlite-jdbc's ResultSet reads, and leaves the statement as executeQuery would: directly
 * through sqlite-jdbc's internals, and through a ResultSet (what it falls back to on a sqlite-jdbc without them).
 */
class FirstRowTest {
    @TempDir
    Path dir;
    SQLiteConnection c;

    @BeforeEach
    void open() throws SQLException {
        c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("CREATE TABLE v (k, x)");
            s.execute("INSERT INTO v VALUES (1, NULL), (2, 42), (3, 9223372036854775807), (4, -2.5), (5, 'héllo ☃'),"
                    + " (6, x'00ff10'), (7, x''), (8, ''), (9, 7)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private static Object viaResultSet(PreparedStatement p, long k) throws SQLException {
        p.setLong(1, k);
        try (ResultSet rs = p.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return SqlValues.normalize(rs.getObject(1));
        }
    }

    @Test
    void theSqliteJdbcThisDriverIsBuiltWithHasTheDirectCalls() {
        assertThat(FirstRow.DIRECT_AVAILABLE).isTrue();
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void readsEveryTypeAsTheResultSetDoes(boolean direct) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT x FROM v WHERE k = ?")) {
            for (long k = 1; k <= 9; k++) {
                Object got = FirstRow.read(p, new Object[] {k}, r -> new Object[] {r.getObject(0)}, null, direct)[0];
                Object expected = viaResultSet(p, k);
                if (expected instanceof byte[] b) {
                    assertThat((byte[]) got).as("k=%d", k).isEqualTo(b);
                } else {
                    assertThat(got).as("k=%d", k).isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void typedReadsAndNullsOfSeveralColumns(boolean direct) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT a.x, b.x, c.x FROM v a, v b, v c WHERE a.k = ? AND b.k = ? AND c.k = ?")) {
            List<Object> got = FirstRow.read(p, new Object[] {2L, 1L, 4L}, r -> {
                List<Object> out = new ArrayList<>();
                out.add(r.getLong(0));
                out.add(r.isNull(1));
                out.add(r.isNull(0));
                out.add(r.getString(1));
                out.add(r.getString(2));
                return out;
            }, null, direct);
            assertThat(got).containsExactly(42L, true, false, null, "-2.5");
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void noRowGivesTheDefaultAndTheStatementStaysUsable(boolean direct) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT x FROM v WHERE k = ?")) {
            assertThat(FirstRow.read(p, new Object[] {100L}, r -> "row", "none", direct)).isEqualTo("none");
            assertThat(FirstRow.read(p, new Object[] {9L}, r -> r.getLong(0), -1L, direct)).isEqualTo(7L);
            assertThat(viaResultSet(p, 2)).isEqualTo(42L);
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void aFailingReaderLeavesTheStatementResetSoWritersAreNotBlocked(boolean direct) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT x FROM v WHERE k = ?")) {
            assertThatThrownBy(() -> FirstRow.read(p, new Object[] {2L}, r -> {
                throw new SQLException("reader failed", "XX000");
            }, null, direct)).hasMessage("reader failed");
            // A statement left mid-result keeps its read open: a checkpoint on the connection fails with SQLITE_LOCKED.
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("checkpoint busy").isZero();
            }
            assertThat(FirstRow.read(p, new Object[] {2L}, r -> r.getLong(0), -1L, direct)).isEqualTo(42L);
        }
    }

    /** Directly only: a ResultSet would bind NULL to the parameter left out, as sqlite-jdbc does. */
    @Test
    void aTooShortParameterListIsRefused() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT x FROM v WHERE k = ? AND x = ?")) {
            assertThatThrownBy(() -> FirstRow.read(p, new Object[] {2L}, r -> 1, 0, true)).isInstanceOf(SQLException.class);
        }
    }
}
