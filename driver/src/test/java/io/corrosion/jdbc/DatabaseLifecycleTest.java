package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.intercept.StatementKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/** The per-file database object, the per-connection setup step and the statement hook, as the CRR engine uses them. */
class DatabaseLifecycleTest {
    @TempDir
    Path dir;

    /** Records what the driver asks of an extension; rewrites "select 'marker'" to prove rewriting reaches SQLite. */
    static final class RecordingExtension implements DatabaseExtension, StatementHook {
        final AtomicInteger setUps = new AtomicInteger();
        final AtomicInteger closedConnections = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final List<String> rewritten = new CopyOnWriteArrayList<>();
        final List<StatementKind> executed = new CopyOnWriteArrayList<>();

        @Override
        public void setUpConnection(SQLiteConnection connection) throws SQLException {
            setUps.incrementAndGet();
            Function.create(connection, "crsql_test_site", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(42);
                }
            });
        }

        @Override
        public void connectionClosed(SQLiteConnection connection) {
            closedConnections.incrementAndGet();
        }

        @Override
        public StatementHook statementHook() {
            return this;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        @Override
        public String rewrite(SqlPlan plan, SQLiteConnection connection) {
            rewritten.add(plan.sql());
            return plan.sql().replace("'marker'", "'rewritten'");
        }

        @Override
        public void afterExecute(SqlPlan plan, SQLiteConnection connection) {
            plan.statements().forEach(s -> executed.add(s.kind()));
        }
    }

    final RecordingExtension extension = new RecordingExtension();
    final DatabaseRegistry registry = new DatabaseRegistry(db -> extension);
    final CorrosionDriver driver = new CorrosionDriver(registry);

    @AfterEach
    void shutdown() {
        registry.shutdownAll();
        CorrosionDriver.shutdownAll();
    }

    Connection connect(String query) throws SQLException {
        return driver.connect("jdbc:corrosion:" + dir.resolve("db.sqlite") + query, new Properties());
    }

    @Test
    void oneDatabasePerFileThatOutlivesItsConnections() throws Exception {
        Connection a = connect("");
        Connection b = driver.connect("jdbc:corrosion:" + dir.resolve(".").resolve("db.sqlite"), new Properties());
        String key = dir.resolve("db.sqlite").toFile().getCanonicalPath();
        CorrosionDatabase db = registry.find(key).orElseThrow();
        assertThat(db.openConnectionCount()).isEqualTo(2);
        a.close();
        b.close();
        assertThat(db.openConnectionCount()).isZero();
        assertThat(db.isClosed()).isFalse();
        assertThat(extension.closes).hasValue(0);
        try (Connection c = connect("")) {
            assertThat(registry.find(key)).containsSame(db);
        }
        assertThat(extension.setUps).hasValue(3);
        assertThat(extension.closedConnections).hasValue(3);
    }

    @Test
    void shutdownStopsTheExtensionAndClosesOpenConnections() throws Exception {
        Connection open = connect("");
        String key = dir.resolve("db.sqlite").toFile().getCanonicalPath();
        assertThat(registry.shutdown(key)).isTrue();
        assertThat(extension.closes).hasValue(1);
        assertThat(open.isClosed()).isTrue();
        assertThat(registry.find(key)).isEmpty();
        try (Connection again = connect("")) {
            assertThat(registry.find(key)).isPresent().get().isNotNull();
            assertThat(again.isValid(1)).isTrue();
        }
    }

    @Test
    void everyPhysicalConnectionIsSetUpBeforeUse() throws SQLException {
        try (Connection c = connect(""); ResultSet rs = c.createStatement().executeQuery("select crsql_test_site()")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        String key = dir.resolve("db.sqlite").toAbsolutePath().toString();
        CorrosionDatabase db = registry.find(key).or(() -> registry.find(canonical(key))).orElseThrow();
        try (SQLiteConnection own = db.openPhysicalConnection();
                ResultSet rs = own.createStatement().executeQuery("select crsql_test_site()")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void hookSeesEverythingButPlainReadsAndItsRewriteRuns() throws SQLException {
        try (Connection c = connect("")) {
            Statement s = c.createStatement();
            s.executeUpdate("create table t (id integer primary key, v text)");
            s.executeQuery("select * from t").close();
            try (ResultSet rs = s.executeQuery("select 'marker' as m, crsql_test_site()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("rewritten");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                ps.setString(1, "x");
                ps.executeUpdate();
                ps.setString(1, "y");
                ps.addBatch();
                ps.executeBatch();
            }
            s.addBatch("update t set v = 'z'");
            s.addBatch("delete from t where id = 1");
            s.executeBatch();
            s.executeUpdate("begin; insert into t (v) values ('q'); commit");
        }
        assertThat(extension.rewritten).doesNotContain("select * from t")
                .contains("create table t (id integer primary key, v text)", "insert into t (v) values (?)");
        assertThat(extension.executed).containsExactly(StatementKind.CREATE_TABLE, StatementKind.READ,
                StatementKind.INSERT, StatementKind.INSERT, StatementKind.UPDATE, StatementKind.DELETE,
                StatementKind.TRANSACTION, StatementKind.INSERT, StatementKind.TRANSACTION);
    }

    @Test
    void otherNodeSettingsOnAnOpenFileAreRefused() throws SQLException {
        try (Connection c = connect("?fanout=4")) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> connect("?fanout=5"));
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("fanout");
            try (Connection sameNode = connect("?fanout=4&busy_timeout=10")) {
                assertThat(sameNode.isValid(1)).isTrue(); // connection settings may differ
            }
        }
    }

    @Test
    void inMemoryDatabaseEndsWithItsConnection() throws SQLException {
        Connection c = driver.connect("jdbc:corrosion::memory:", new Properties());
        assertThat(extension.setUps).hasValue(1);
        c.close();
        assertThat(extension.closes).hasValue(1);
    }

    @Test
    void failedSetUpClosesTheConnectionAndFailsWithAnSqlState() throws SQLException {
        DatabaseRegistry failing = new DatabaseRegistry(db -> new DatabaseExtension() {
            @Override
            public void setUpConnection(SQLiteConnection connection) throws SQLException {
                throw new SQLException("no functions for you");
            }
        });
        SQLException e = catchThrowableOfType(SQLException.class, () -> new CorrosionDriver(failing)
                .connect("jdbc:corrosion:" + dir.resolve("fail.db"), new Properties()));
        assertThat(e.getMessage()).contains("no functions for you");
        assertThat(e.getSQLState()).isNotNull();
        failing.shutdownAll();
    }

    @Test
    void dataSourceCloseShutsTheFileDown() throws Exception {
        CorrosionDataSource ds = new CorrosionDataSource("jdbc:corrosion:" + dir.resolve("ds.db"));
        ds.setBusyTimeout(1234);
        ds.setFanout(3);
        Connection c = ds.getConnection();
        assertThat(c.unwrap(SQLiteConnection.class).getBusyTimeout()).isEqualTo(1234);
        assertThat(c.unwrap(CorrosionConnection.class).config().node().fanout()).isEqualTo(3);
        ds.close();
        assertThat(c.isClosed()).isTrue();
        try (Connection again = ds.getConnection()) {
            assertThat(again.isValid(1)).isTrue();
        }
        ds.close();
    }

    private static String canonical(String path) {
        try {
            return new java.io.File(path).getCanonicalPath();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
