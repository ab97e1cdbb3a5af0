package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * The JDBC surface against plain sqlite-jdbc, where a review found it differed: URL pragma spellings, a query timeout
 * that took the driver's lock-wait handler away, a connection two threads share, DDL update counts and the class of an
 * unsupported-feature error.
 */
class JdbcSurfaceTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static long pragma(Connection c, String p) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + p)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The spellings of pragma values that a jdbc:sqlite: URL may carry work with the corrosion prefix too. */
    @Test
    void sqlitesSpellingsOfPragmaValuesInTheUrl() throws Exception {
        String[][] cases = {{"foreign_keys=on", "foreign_keys", "1"}, {"foreign_keys=1", "foreign_keys", "1"},
            {"foreign_keys=YES", "foreign_keys", "1"}, {"foreign_keys=off", "foreign_keys", "0"},
            {"temp_store=2", "temp_store", "2"}, {"temp_store=file", "temp_store", "1"}};
        int i = 0;
        for (String[] c : cases) {
            i++;
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("p" + i + ".db") + "?" + c[0]);
                    Connection ours = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("c" + i + ".db") + "?"
                            + c[0])) {
                assertThat(pragma(plain, c[1])).as("plain sqlite-jdbc, %s", c[0]).isEqualTo(Long.parseLong(c[2]));
                assertThat(pragma(ours, c[1])).as("corrosion, %s", c[0]).isEqualTo(Long.parseLong(c[2]));
            }
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("bad.db")
                + "?foreign_keys=maybe")).isInstanceOf(SQLException.class).hasMessageContaining("foreign_keys")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isNotNull());
    }

    private static long blockedInsertMillis(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Connection holder = DriverManager.getConnection(url);
                Statement s = c.createStatement(); Statement h = holder.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
            try (Statement q = c.createStatement()) {
                q.setQueryTimeout(1); // e.g. Hikari's connectionTestQuery, Spring's transaction timeout
                q.executeQuery("SELECT 1").close();
            }
            s.execute("PRAGMA busy_timeout = 50");
            h.execute("BEGIN IMMEDIATE");
            long start = System.nanoTime();
            try {
                s.executeUpdate("INSERT INTO t (v) VALUES ('x')");
            } catch (SQLException expected) {
                // busy
            }
            h.execute("ROLLBACK");
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    /** After one statement with a query timeout, PRAGMA busy_timeout = 50 must still be honoured. */
    @Test
    void busyTimeoutPragmaAfterAQueryTimeout() throws Exception {
        long plain = blockedInsertMillis("jdbc:sqlite:" + dir.resolve("p.db") + "?busy_timeout=3000");
        long ours = blockedInsertMillis("jdbc:corrosion:" + dir.resolve("c.db") + "?busy_timeout=3000");
        assertThat(plain).as("plain").isLessThan(1000);
        assertThat(ours).as("corrosion").isLessThan(1000);
    }

    /** Two threads running prepared UPDATEs on one connection must not switch generated keys off for good. */
    @Test
    void concurrentUpdatesKeepGeneratedKeysOn() throws Exception {
        String url = "jdbc:corrosion:" + dir.resolve("k.db");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
            s.executeUpdate("INSERT INTO t (id, v) VALUES (1, 0), (2, 0)");
            SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
            assertThat(raw.getConnectionConfig().isGetGeneratedKeys()).isTrue();
            for (int round = 0; round < 20 && raw.getConnectionConfig().isGetGeneratedKeys(); round++) {
                List<Future<?>> done = new ArrayList<>();
                for (int k = 1; k <= 2; k++) {
                    int id = k;
                    done.add(pool.submit(() -> {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
                            for (int i = 0; i < 500; i++) {
                                ps.setInt(1, i);
                                ps.setInt(2, id);
                                ps.executeUpdate();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            boolean on = raw.getConnectionConfig().isGetGeneratedKeys();
            s.executeUpdate("INSERT INTO t (v) VALUES (7)", Statement.RETURN_GENERATED_KEYS);
            boolean keyRow;
            try (ResultSet keys = s.getGeneratedKeys()) {
                keyRow = keys != null && keys.next();
            }
            boolean psKeyRow;
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO t (v) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ins.setInt(1, 8);
                ins.executeUpdate();
                try (ResultSet keys = ins.getGeneratedKeys()) {
                    psKeyRow = keys != null && keys.next();
                }
            }
            assertThat(on).as("connection's generated-keys setting").isTrue();
            assertThat(keyRow).as("getGeneratedKeys after an INSERT").isTrue();
            assertThat(psKeyRow).as("a PreparedStatement's generated keys after an INSERT").isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    /** getLargeUpdateCount after DDL must agree with getUpdateCount (0, as the driver fixed it). */
    @Test
    void largeUpdateCountAfterDdl() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("c.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
            s.executeUpdate("INSERT INTO a (v) VALUES ('x'), ('y')");
            s.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
            assertThat(s.getLargeUpdateCount()).isEqualTo(s.getUpdateCount());
        }
    }

    private static Throwable unsupported(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SELECT 1", new int[] {1});
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    /** An unsupported optional feature is an SQLFeatureNotSupportedException, as sqlite-jdbc throws it. */
    @Test
    void unsupportedFeatureKeepsItsSubclass() throws Exception {
        Throwable plain = unsupported("jdbc:sqlite:" + dir.resolve("p.db"));
        Throwable ours = unsupported("jdbc:corrosion:" + dir.resolve("c.db"));
        assertThat(plain).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThat(ours).isInstanceOf(SQLFeatureNotSupportedException.class);
    }

    /**
     * Cursor kinds and holdability SQLite does not have: 0A000 and the feature-not-supported class, which Hibernate's
     * scroll and Spring fall back on (sqlite-jdbc says "SQLite only supports ..." with no state).
     */
    @Test
    void cursorKindsSqliteLacksAreFeatureNotSupported() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("c.db"))) {
            List<ThrowingCallable> calls = List.of(
                    () -> c.prepareStatement("SELECT 1", ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY),
                    () -> c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE),
                    () -> c.setHoldability(ResultSet.HOLD_CURSORS_OVER_COMMIT));
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).isInstanceOf(SQLFeatureNotSupportedException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            }
            assertThat(c.isValid(1)).isTrue();
        }
    }

    /** HikariCP evicts with abort: the connection is closed from that moment, before the executor releases it. */
    @Test
    void abortClosesAtOnce() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("c.db"));
        List<Runnable> later = new ArrayList<>();
        c.abort(later::add);
        assertThat(c.isClosed()).as("closed right after abort").isTrue();
        assertThatThrownBy(c::createStatement).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
        assertThat(later).hasSize(1);
        later.get(0).run();
        assertThat(c.isClosed()).isTrue();
        c.close(); // and closing it again is harmless
    }

    /** Two threads starting the same transaction on one connection: after commit the gate must count no open one. */
    @Test
    void transactionGateCountAfterTwoThreadsShareAConnection() throws Exception {
        String url = "jdbc:corrosion:" + dir.resolve("g.db") + "?bind=127.0.0.1:0&tls.insecure=true";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection c = DriverManager.getConnection(url)) {
            TransactionGate gate = TestAccess.transactionGate(url);
            c.setAutoCommit(false);
            for (int i = 0; i < 50; i++) { // control: the same statements, one thread after the other
                for (int k = 0; k < 2; k++) {
                    pool.submit(() -> {
                        try (Statement s = c.createStatement()) {
                            s.executeQuery("SELECT 1").close();
                        }
                        return null;
                    }).get(30, TimeUnit.SECONDS);
                }
                c.commit();
                assertThat(gate.openTransactions()).as("sequential control").isZero();
            }
            int leaked = 0;
            int rounds = 0;
            for (; rounds < 2000 && leaked == 0; rounds++) {
                CyclicBarrier barrier = new CyclicBarrier(2);
                List<Future<?>> done = new ArrayList<>();
                for (int k = 0; k < 2; k++) {
                    done.add(pool.submit(() -> {
                        try (Statement s = c.createStatement()) {
                            barrier.await();
                            s.executeQuery("SELECT 1").close();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                c.commit();
                leaked = gate.openTransactions();
            }
            assertThat(leaked).as("transactions the gate still counts open after commit (round %d)", rounds).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
