package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
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
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A connection keeps its closed INSERT, UPDATE and DELETE statements and hands the same SQLite statement to the next
 * prepare of the same SQL ({@link StatementCache}, {@code statement-cache-size}); what the application sees of such a
 * statement, fresh or closed, is checked against sqlite-jdbc in {@link ReusedStatementProbes}.
 */
class StatementCacheTest {
    private static final String UPDATE = "UPDATE t SET v = ? WHERE id = ?";

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void create() throws SQLException {
        url = "jdbc:corrosion:" + dir.resolve("cache.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            s.executeUpdate("INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b')");
        }
    }

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /** The sqlite-jdbc statement under a statement of the driver. */
    private static JDBC4PreparedStatement sqlite(PreparedStatement ps) throws SQLException {
        return ps.unwrap(JDBC4PreparedStatement.class);
    }

    private static int update(PreparedStatement ps, String v, int id) throws SQLException {
        ps.setString(1, v);
        ps.setInt(2, id);
        return ps.executeUpdate();
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(String.join("|", row));
            }
        }
        return out;
    }

    @Test
    void aClosedUpdateServesTheNextPrepareOfItsSqlAndItsChangesAreCaptured() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            PreparedStatement first = c.prepareStatement(UPDATE);
            JDBC4PreparedStatement statement = sqlite(first);
            assertThat(update(first, "a2", 1)).isEqualTo(1);
            first.close();
            assertThat(first.isClosed()).isTrue();
            assertThat(statement.isClosed()).isFalse();

            try (PreparedStatement again = c.prepareStatement(UPDATE);
                    PreparedStatement alongside = c.prepareStatement(UPDATE)) {
                assertThat(sqlite(again)).isSameAs(statement);
                assertThat(sqlite(alongside)).isNotSameAs(statement); // two open statements never share one
                assertThat(update(again, "a3", 1)).isEqualTo(1);
                assertThat(update(alongside, "b2", 2)).isEqualTo(1);
            }
            assertThat(rows(c, "SELECT id, v FROM t ORDER BY id")).containsExactly("1|a3", "2|b2");
            // every execution was captured: the value and its column version as cr-sqlite counts them
            assertThat(rows(c, "SELECT cid, val, col_version FROM crsql_changes WHERE cid = 'v' ORDER BY val"))
                    .containsExactly("v|a3|3", "v|b2|2");
        }
    }

    @Test
    void aClosedStatementStaysClosedWhileAnotherUsesItsSqliteStatement() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            PreparedStatement closed = c.prepareStatement(UPDATE);
            closed.close();
            try (PreparedStatement open = c.prepareStatement(UPDATE)) {
                open.setString(1, "open");
                open.setInt(2, 1);
                assertThatThrownBy(() -> closed.setString(1, "closed"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY010"));
                assertThatThrownBy(closed::executeUpdate)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY010"));
                assertThatThrownBy(closed::clearParameters).isInstanceOf(SQLException.class);
                assertThat(open.executeUpdate()).isEqualTo(1);
            }
            assertThat(rows(c, "SELECT v FROM t WHERE id = 1")).containsExactly("open");
        }
    }

    @Test
    void readsReturningAndChangedSettingsAreClosedForReal() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            for (String sql : List.of("SELECT v FROM t WHERE id = ?", "UPDATE t SET v = ? WHERE id = ? RETURNING v")) {
                PreparedStatement ps = c.prepareStatement(sql);
                JDBC4PreparedStatement statement = sqlite(ps);
                ps.close();
                assertThat(statement.isClosed()).as(sql).isTrue();
            }
            PreparedStatement timed = c.prepareStatement(UPDATE);
            JDBC4PreparedStatement statement = sqlite(timed);
            timed.setQueryTimeout(3);
            timed.close();
            assertThat(statement.isClosed()).isTrue();
            try (PreparedStatement again = c.prepareStatement(UPDATE)) {
                assertThat(again.getQueryTimeout()).isZero();
            }
        }
    }

    @Test
    void theArgumentsOfThePrepareKeepStatementsApart() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            PreparedStatement plain = c.prepareStatement(UPDATE);
            JDBC4PreparedStatement plainStatement = sqlite(plain);
            plain.close();
            PreparedStatement keys = c.prepareStatement(UPDATE, Statement.RETURN_GENERATED_KEYS);
            JDBC4PreparedStatement keysStatement = sqlite(keys);
            assertThat(keysStatement).isNotSameAs(plainStatement);
            keys.close();
            try (PreparedStatement again = c.prepareStatement(UPDATE, Statement.RETURN_GENERATED_KEYS);
                    PreparedStatement plainAgain = c.prepareStatement(UPDATE)) {
                assertThat(sqlite(again)).isSameAs(keysStatement);
                assertThat(sqlite(plainAgain)).isSameAs(plainStatement);
            }
        }
    }

    @Test
    void insertsWithTheDriversKeysReuseTheirStatementForRowsAndBatches() throws SQLException {
        String insert = "INSERT INTO t (v) VALUES (?)";
        List<Long> keys = new ArrayList<>();
        JDBC4PreparedStatement statement = null;
        try (Connection c = DriverManager.getConnection(url)) {
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement ps = c.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
                    statement = statement == null ? sqlite(ps) : statement;
                    assertThat(sqlite(ps)).isSameAs(statement);
                    ps.setString(1, "row" + i);
                    ps.executeUpdate();
                    try (ResultSet rs = ps.getGeneratedKeys()) {
                        assertThat(rs.next()).isTrue();
                        keys.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < 2; i++) {
                    ps.setString(1, "batch" + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsExactly(1, 1);
            }
            assertThat(keys).doesNotHaveDuplicates();
            for (int i = 0; i < keys.size(); i++) {
                assertThat(rows(c, "SELECT v FROM t WHERE id = " + keys.get(i))).containsExactly("row" + i);
            }
            assertThat(rows(c, "SELECT count(DISTINCT id) FROM t WHERE v LIKE 'batch%'")).containsExactly("2");
        }
    }

    @Test
    void theLeastRecentlyKeptStatementBeyondTheSizeIsClosed() throws SQLException {
        String other = "DELETE FROM t WHERE id = ?";
        try (Connection c = DriverManager.getConnection(url + "?statement-cache-size=1")) {
            PreparedStatement update = c.prepareStatement(UPDATE);
            JDBC4PreparedStatement updateStatement = sqlite(update);
            PreparedStatement delete = c.prepareStatement(other);
            JDBC4PreparedStatement deleteStatement = sqlite(delete);
            update.close();
            delete.close();
            assertThat(updateStatement.isClosed()).isTrue();
            assertThat(deleteStatement.isClosed()).isFalse();
            try (PreparedStatement again = c.prepareStatement(other)) {
                assertThat(sqlite(again)).isSameAs(deleteStatement);
            }
        }
        try (Connection c = DriverManager.getConnection(url + "?statement-cache-size=0")) {
            PreparedStatement update = c.prepareStatement(UPDATE);
            JDBC4PreparedStatement statement = sqlite(update);
            update.close();
            assertThat(statement.isClosed()).isTrue();
        }
    }

    @Test
    void closingTheConnectionClosesTheKeptStatements() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement(UPDATE);
        JDBC4PreparedStatement statement = sqlite(ps);
        ps.close();
        assertThat(statement.isClosed()).isFalse();
        c.close();
        assertThat(statement.isClosed()).isTrue();
    }

    @Test
    void aPooledConnectionKeepsItsStatementsForTheNextBorrower() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JDBC4PreparedStatement statement;
            try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
                statement = sqlite(ps);
                update(ps, "pooled", 1);
            }
            try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
                assertThat(sqlite(ps)).isSameAs(statement);
                assertThat(update(ps, "pooled again", 2)).isEqualTo(1);
                assertThat(rows(c, "SELECT v FROM t ORDER BY id")).containsExactly("pooled", "pooled again");
            }
        }
    }

    @Test
    void aKeptStatementFollowsSchemaChangesOfOtherConnections() throws SQLException {
        String insert = "INSERT INTO t (id, v) VALUES (?, ?)";
        try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            PreparedStatement ps = c.prepareStatement(insert);
            JDBC4PreparedStatement statement = sqlite(ps);
            ps.close();
            try (Statement s = other.createStatement()) {
                s.executeUpdate("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'd'");
            }
            try (PreparedStatement again = c.prepareStatement(insert)) {
                assertThat(sqlite(again)).isSameAs(statement);
                again.setInt(1, 3);
                again.setString(2, "c");
                assertThat(again.executeUpdate()).isEqualTo(1);
            }
            assertThat(rows(c, "SELECT id, v, w FROM t WHERE id = 3")).containsExactly("3|c|d");
            assertThat(rows(c, "SELECT cid, val FROM crsql_changes WHERE db_version = "
                    + "(SELECT max(db_version) FROM crsql_changes) ORDER BY cid")).containsExactly("v|c", "w|d");

            PreparedStatement update = c.prepareStatement(UPDATE);
            JDBC4PreparedStatement kept = sqlite(update);
            update.close();
            try (Statement s = other.createStatement()) {
                s.executeUpdate("DROP TABLE t");
            }
            // a kept statement of a dropped table fails as a fresh one does, if only at its execution
            SQLException fresh = null;
            try (Connection uncached = DriverManager.getConnection(url + "?statement-cache-size=0")) {
                uncached.prepareStatement(UPDATE);
            } catch (SQLException e) {
                fresh = e;
            }
            assertThat((Object) fresh).isNotNull();
            String expected = fresh.getSQLState();
            PreparedStatement again = c.prepareStatement(UPDATE);
            assertThat(sqlite(again)).isSameAs(kept);
            assertThatThrownBy(() -> update(again, "gone", 1))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(expected));
            again.close();
        }
    }
}
