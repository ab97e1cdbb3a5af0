package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** The driver behaves like sqlite-jdbc for ordinary JDBC. */
class PassthroughTest {
    @TempDir
    Path dir;

    String url;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        url = "jdbc:corrosion:" + dir.resolve("app.db");
        c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("create table person (id integer primary key, name text not null, age int, score real, photo blob)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
        CorrosionDriver.shutdownAll();
    }

    @Test
    void opensThroughServiceLoaderInWalModeWithOurDefaults() throws SQLException {
        assertThat(DriverManager.getDriver(url)).isInstanceOf(CorrosionDriver.class);
        assertThat(c).isInstanceOf(CorrosionConnection.class);
        assertThat(pragma("journal_mode")).isEqualToIgnoringCase("wal");
        assertThat(pragma("synchronous")).isEqualTo("1"); // NORMAL
        assertThat(pragma("busy_timeout")).isEqualTo("5000");
    }

    @Test
    void defaultsCanBeOverridden() throws SQLException {
        try (Connection other = DriverManager.getConnection(url + "?synchronous=FULL&busy_timeout=100")) {
            try (ResultSet rs = other.createStatement().executeQuery("pragma synchronous")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            try (ResultSet rs = other.createStatement().executeQuery("pragma busy_timeout")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(100);
            }
        }
    }

    @Test
    void busyTimeoutPragmaReadsAndSetsTheTimeoutTheConnectionHonours() throws SQLException {
        try (Connection writer = DriverManager.getConnection(url); Statement w = writer.createStatement()) {
            assertThat(pragma("busy_timeout = 50")).isEqualTo("50");
            assertThat(pragma("busy_timeout")).isEqualTo("50");
            w.execute("BEGIN IMMEDIATE"); // holds the write lock: c gives up after its 50 ms
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.createStatement().executeUpdate("insert into person (name) values ('x')"))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("40001");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(40L, 4_000L);
            w.execute("ROLLBACK");
        }
    }

    @Test
    void registeredThroughServiceLoader() {
        assertThat(java.util.ServiceLoader.load(java.sql.Driver.class).stream().map(p -> p.type().getName()))
                .contains(CorrosionDriver.class.getName());
    }

    @Test
    void statementsJsqlparserCannotParseStillRun() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("pragma foreign_keys = on");
            s.executeUpdate("create table kv (k text primary key, v text) without rowid");
            s.executeUpdate("create table strict_kv (k text primary key, v any) strict");
            s.executeUpdate("create table log (msg text)");
            s.executeUpdate("create trigger person_log after insert on person begin insert into log (msg) values (new.name); end");
            s.execute("begin immediate");
            s.executeUpdate("insert or ignore into kv (k, v) values ('a', '1')");
            s.executeUpdate("insert or ignore into kv (k, v) values ('a', '2')");
            s.executeUpdate("insert into [person] ([name]) values ('bracketed')");
            s.execute("commit");
            try (ResultSet rs = s.executeQuery("select v from kv where k = 'a'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1");
            }
            assertThat(count("log")).isEqualTo(1);
        }
    }

    @Test
    void upsertReplaceAndCteWritesRun() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into person (id, name) values (1, 'a')");
            s.executeUpdate("insert into person (id, name) values (1, 'b') on conflict (id) do update set name = excluded.name");
            s.executeUpdate("replace into person (id, name) values (2, 'c')");
            s.executeUpdate("insert or replace into person (id, name) values (2, 'd')");
            s.executeUpdate("with n(x) as (select 'e') insert into person (name) select x from n");
            try (ResultSet rs = s.executeQuery("select group_concat(name, ',') from (select name from person order by id)")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("b,d,e");
            }
        }
    }

    @Test
    void crudRoundTrip() throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into person (name, age) values (?, ?)")) {
            insert.setString(1, "ada");
            insert.setInt(2, 36);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        try (Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("update person set age = age + 1 where name = 'ada'")).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("select name, age from person")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("name")).isEqualTo("ada");
                assertThat(rs.getInt("age")).isEqualTo(37);
                assertThat(rs.getStatement()).isSameAs(s);
                assertThat(rs.next()).isFalse();
            }
            assertThat(s.executeUpdate("delete from person")).isEqualTo(1);
            assertThat(count("person")).isZero();
        }
    }

    @Test
    void rollbackDiscardsAndCommitKeeps() throws SQLException {
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("insert into person (name) values ('gone')");
        c.rollback();
        assertThat(count("person")).isZero();
        c.createStatement().executeUpdate("insert into person (name) values ('kept')");
        c.commit();
        c.setAutoCommit(true);
        try (Connection other = DriverManager.getConnection(url)) {
            try (ResultSet rs = other.createStatement().executeQuery("select name from person")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
        }
    }

    @Test
    void savepointsRollBackPartially() throws SQLException {
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("insert into person (name) values ('a')");
        var sp = c.setSavepoint();
        c.createStatement().executeUpdate("insert into person (name) values ('b')");
        c.rollback(sp);
        c.commit();
        assertThat(count("person")).isEqualTo(1);
    }

    @Test
    void preparedBatchInsertsEveryRow() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into person (name, age) values (?, ?)")) {
            for (int i = 0; i < 10; i++) {
                ps.setString(1, "p" + i);
                ps.setInt(2, i);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).hasSize(10).containsOnly(1);
        }
        assertThat(count("person")).isEqualTo(10);
    }

    @Test
    void statementBatchRunsEachString() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.addBatch("insert into person (name) values ('x')");
            s.addBatch("insert into person (name) values ('y')");
            s.addBatch("update person set age = 1");
            assertThat(s.executeBatch()).containsExactly(1, 1, 2);
        }
    }

    @Test
    void multiStatementUpdateRunsAll() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into person (name) values ('a'); insert into person (name) values ('b')");
        }
        assertThat(count("person")).isEqualTo(2);
    }

    /** The values differ from sqlite-jdbc's (keys are node-private, see KeysTest); which row they name does not. */
    @Test
    void generatedKeysAndLastInsertRowidAreTheInsertedRow() throws SQLException {
        long keyOfB;
        try (PreparedStatement ps = c.prepareStatement("insert into person (name) values (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "a");
            ps.executeUpdate();
            ps.setString(1, "b");
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                keyOfB = keys.getLong(1);
            }
        }
        assertThat(idOf("b")).isEqualTo(keyOfB);
        try (ResultSet rs = c.createStatement().executeQuery("select last_insert_rowid()")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(keyOfB);
        }
        try (ResultSet rs = c.createStatement().executeQuery(
                "insert into person (name) values ('c') returning id, name")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong("id")).isGreaterThan(keyOfB);
            assertThat(rs.getString("name")).isEqualTo("c");
        }
        assertThat(idOf("c")).isGreaterThan(idOf("b")).isGreaterThan(idOf("a"));
    }

    private long idOf(String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from person where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row " + name).isTrue();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void sqliteTypesRoundTrip() throws SQLException {
        byte[] photo = {0, 1, 2, (byte) 255};
        try (PreparedStatement ps = c.prepareStatement(
                "insert into person (id, name, age, score, photo) values (?, ?, ?, ?, ?)")) {
            ps.setLong(1, Long.MAX_VALUE);
            ps.setString(2, "unicode ✓ 'quoted'");
            ps.setNull(3, Types.INTEGER);
            ps.setDouble(4, 2.5);
            ps.setBytes(5, photo);
            ps.executeUpdate();
        }
        try (ResultSet rs = c.createStatement().executeQuery("select id, name, age, score, photo, typeof(age) from person")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(Long.MAX_VALUE);
            assertThat(rs.getString(2)).isEqualTo("unicode ✓ 'quoted'");
            assertThat(rs.getObject(3)).isNull();
            assertThat(rs.getInt(3)).isZero();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getDouble(4)).isEqualTo(2.5);
            assertThat(rs.getBytes(5)).containsExactly(photo);
            assertThat(rs.getString(6)).isEqualTo("null");
            assertThat(rs.getMetaData().getColumnName(2)).isEqualTo("name");
        }
    }

    @Test
    void datesAreStoredAsSqliteJdbcStoresThem() throws SQLException {
        c.createStatement().executeUpdate("create table event (id integer primary key, at timestamp, day date)");
        Timestamp at = Timestamp.valueOf("2024-02-29 13:14:15.123");
        Date day = Date.valueOf("2024-02-29");
        try (PreparedStatement ps = c.prepareStatement("insert into event (at, day) values (?, ?)")) {
            ps.setTimestamp(1, at);
            ps.setDate(2, day);
            ps.executeUpdate();
        }
        try (ResultSet rs = c.createStatement().executeQuery("select at, day, typeof(at) from event")) {
            rs.next();
            assertThat(rs.getTimestamp(1)).isEqualTo(at);
            assertThat(rs.getDate(2).toString()).isEqualTo("2024-02-29");
            assertThat(rs.getString(3)).isEqualTo("integer"); // sqlite-jdbc default date_class=INTEGER: epoch millis
        }
    }

    @Test
    void metadataNamesTheDriverAndHidesInternalTables() throws SQLException {
        try (Statement s = c.createStatement()) { // person is a CRR: person__crsql_clock, crsql_site_id, ... exist
            s.executeUpdate("create index person__crsql_clock_idx on person__crsql_clock (cl)");
        }
        DatabaseMetaData md = c.getMetaData();
        assertThat(md.getDriverName()).isEqualTo("corrosion-jdbc");
        assertThat(md.getDriverVersion()).startsWith(DriverVersion.VERSION);
        assertThat(md.getURL()).isEqualTo(url);
        assertThat(md.getDatabaseProductName()).isEqualTo("SQLite");
        assertThat(md.getConnection()).isSameAs(c);
        assertThat(names(md.getTables(null, null, "%", new String[] {"TABLE"}), "TABLE_NAME")).containsExactly("person");
        assertThat(names(md.getTables(null, null, "%", null), "TABLE_NAME")).noneMatch(InternalTables::isInternal)
                .contains("person");
        assertThat(names(md.getColumns(null, null, "%", "%"), "TABLE_NAME")).noneMatch(InternalTables::isInternal)
                .contains("person");
        assertThat(names(md.getColumns(null, null, "person__crsql_clock", "%"), "TABLE_NAME")).isEmpty();
        assertThat(names(md.getIndexInfo(null, null, "person__crsql_clock", false, false), "TABLE_NAME")).isEmpty();
        assertThat(names(md.getPrimaryKeys(null, null, "person"), "COLUMN_NAME")).containsExactly("id");
    }

    @Test
    void unwrapReachesOurInterfaceAndSqliteJdbc() throws Exception {
        assertThat(c.isWrapperFor(CorrosionConnection.class)).isTrue();
        assertThat(c.unwrap(CorrosionConnection.class).databasePath()).contains(dir.resolve("app.db").toFile().getCanonicalPath());
        assertThat(c.isWrapperFor(SQLiteConnection.class)).isTrue();
        assertThat(c.unwrap(SQLiteConnection.class).getBusyTimeout()).isEqualTo(5000);
        assertThatThrownBy(() -> c.unwrap(String.class)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isNotNull());
    }

    @Test
    void connectionsKeepIdentityEquality() throws SQLException {
        try (Connection other = DriverManager.getConnection(url)) {
            assertThat(c).isEqualTo(c).isNotEqualTo(other);
            assertThat(c.hashCode()).isEqualTo(System.identityHashCode(c));
        }
    }

    @Test
    void callableStatementIsClearlyUnsupported() {
        assertThatThrownBy(() -> c.prepareCall("select 1")).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("prepareStatement")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
    }

    @Test
    void closingIsIdempotentAndClosesStatements() throws SQLException {
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select 1");
        rs.close();
        assertThat(rs.isClosed()).isTrue();
        s.close();
        s.close();
        assertThat(s.isClosed()).isTrue();
        c.close();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isValid(1)).isFalse();
    }

    @Test
    void inMemoryDatabaseWorksAndIsPerConnection() throws SQLException {
        try (Connection a = DriverManager.getConnection("jdbc:corrosion::memory:");
                Connection b = DriverManager.getConnection("jdbc:corrosion::memory:")) {
            a.createStatement().executeUpdate("create table t (id integer primary key)");
            a.createStatement().executeUpdate("insert into t values (1)");
            try (ResultSet rs = a.createStatement().executeQuery("select count(*) from t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThatThrownBy(() -> b.createStatement().executeQuery("select * from t"))
                    .isInstanceOf(SQLException.class);
            assertThat(a.unwrap(CorrosionConnection.class).databasePath()).isEmpty();
        }
    }

    private String pragma(String name) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("pragma " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private int count(String table) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<String> names(ResultSet rs, String column) throws SQLException {
        List<String> names = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                names.add(rs.getString(column));
            }
        }
        return names;
    }
}
