package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate's generator statements as Hibernate runs them ("isolated work" on a second connection), on plain SQLite
 * and through the driver.
 */
class GeneratorTablesTest {
    private static final String SELECT = "select next_val as id_val from Person_SEQ";
    private static final String UPDATE = "update Person_SEQ set next_val= ? where next_val=?";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static void schema(Connection c) throws SQLException {
        exec(c, "create table Person (id bigint not null, name varchar(255), primary key (id))");
        exec(c, "create table Person_SEQ (next_val bigint)");
        exec(c, "insert into Person_SEQ ( next_val ) values ( 1 )");
    }

    /** What Hibernate's TableStructure does: read, conditional update, retry on 0 rows; returns the value read. */
    private static long nextValue(Connection isolated, long increment) throws SQLException {
        isolated.setAutoCommit(false);
        try {
            while (true) {
                long value;
                try (PreparedStatement ps = isolated.prepareStatement(SELECT); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    value = rs.getLong(1);
                }
                try (PreparedStatement ps = isolated.prepareStatement(UPDATE)) {
                    ps.setLong(1, value + increment);
                    ps.setLong(2, value);
                    if (ps.executeUpdate() == 1) {
                        isolated.commit();
                        return value;
                    }
                }
            }
        } catch (SQLException e) {
            isolated.rollback();
            throw e;
        } finally {
            isolated.setAutoCommit(true);
        }
    }

    @Test
    void plainSqliteDeadlocksWhenTheOuterTransactionHoldsTheWriteLock() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("plain.db") + "?journal_mode=WAL&busy_timeout=200";
        try (Connection app = DriverManager.getConnection(url); Connection isolated = DriverManager.getConnection(url)) {
            schema(app);
            app.setAutoCommit(false);
            exec(app, "insert into Person (id, name) values (1, 'holds the write lock')");
            SQLException e = catchThrowableOfType(SQLException.class, () -> nextValue(isolated, 50));
            assertThat(e.getMessage()).contains("SQLITE_BUSY");
        }
    }

    @Test
    void driverAnswersWithoutTheWriteLockAndWithNodePrivateValues() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("corrosion.db") + "?node-slot=2&busy_timeout=200";
        try (Connection app = DriverManager.getConnection(url); Connection isolated = DriverManager.getConnection(url)) {
            schema(app);
            app.setAutoCommit(false);
            exec(app, "insert into Person (id, name) values (1, 'holds the write lock')");
            long first = nextValue(isolated, 50);
            long second = nextValue(isolated, 50);
            // pooled optimizer: ids (v - 50, v]; blocks of 100 owned by slot j mod 1024, from j = 1024 on
            assertThat(first).isEqualTo(1026 * 100 + 50);
            assertThat(second).isEqualTo(2050 * 100 + 50);
            app.commit();
        }
    }

    @Test
    void theIncrementIsLearntFromTheUpdate() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("corrosion.db") + "?node-slot=2";
        try (Connection app = DriverManager.getConnection(url); Connection isolated = DriverManager.getConnection(url)) {
            schema(app);
            long value = nextValue(isolated, 10); // the first read assumed 50: Hibernate reads again
            assertThat(value % 20).isEqualTo(10);
            assertThat((value - 10) / 20 % 1024).isEqualTo(2);
        }
    }

    /**
     * A block is persisted with the first row that uses it; after a crash-like restart the node neither reuses a block
     * whose ids were committed nor fails on them.
     */
    @Test
    void usedBlocksSurviveARestart() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("corrosion.db") + "?node-slot=2";
        long used;
        try (Connection app = DriverManager.getConnection(url); Connection isolated = DriverManager.getConnection(url)) {
            schema(app);
            used = nextValue(isolated, 50);
            try (PreparedStatement ps = app.prepareStatement("insert into Person (name,id) values (?,?)")) {
                ps.setString(1, "first of block");
                ps.setLong(2, used - 49);
                ps.executeUpdate();
            }
            nextValue(isolated, 50); // handed out, never used
        }
        CorrosionDriver.shutdownAll();
        try (Connection isolated = DriverManager.getConnection(url)) {
            assertThat(nextValue(isolated, 50)).isGreaterThan(used);
        }
    }

    @Test
    void tableGeneratorSegmentsAreIndependent() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("corrosion.db") + "?node-slot=0";
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "create table hibernate_sequences (next_val bigint, sequence_name varchar(255) not null, "
                    + "primary key (sequence_name))");
            exec(c, "insert into hibernate_sequences(sequence_name, next_val) values ('default',0)");
            long a = segmentValue(c, "a");
            long b = segmentValue(c, "b");
            long a2 = segmentValue(c, "a");
            assertThat(a).isEqualTo(b).isEqualTo(1024 * 100 + 50);
            assertThat(a2).isEqualTo(2048 * 100 + 50);
            try (ResultSet rs = c.createStatement().executeQuery("select count(*) from hibernate_sequences")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no segment rows inserted: the driver answers every read").isEqualTo(1);
            }
        }
    }

    private static long segmentValue(Connection c, String segment) throws SQLException {
        long value;
        try (PreparedStatement ps = c.prepareStatement("select next_val from hibernate_sequences where sequence_name=?")) {
            ps.setString(1, segment);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                value = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update hibernate_sequences set next_val=?  where next_val=? and sequence_name=?")) {
            ps.setLong(1, value + 50);
            ps.setLong(2, value);
            ps.setString(3, segment);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        return value;
    }
}
