package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated keys through jdbc:corrosion: on real files: node-private, and what JDBC reports is what was stored. */
class GeneratedKeysTest {
    static final int SLOT = 5;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    String url(String file) {
        return "jdbc:corrosion:" + dir.resolve(file) + "?node-slot=" + SLOT;
    }

    Connection open() throws SQLException {
        return DriverManager.getConnection(url("keys.db"));
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }

    static long one(Connection c, String sql) throws SQLException {
        return longs(c, sql).get(0);
    }

    /** Sends {@code from}'s changes that {@code to} did not write itself, through the CRR API (nodes synced by hand). */
    static void send(Connection from, Connection to) throws SQLException {
        CorrosionConnection source = from.unwrap(CorrosionConnection.class);
        CorrosionConnection target = to.unwrap(CorrosionConnection.class);
        byte[] theirs = target.siteId();
        List<Change> out = source.changesSince(0).stream().filter(ch -> !Arrays.equals(ch.siteId(), theirs)).toList();
        target.applyChanges(out);
    }

    /** Inserts a row into {@code table}, leaving its key out, and returns the key the driver generated. */
    static long insertKey(Connection c, String table, String v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("insert into " + table + " (v) values (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, v);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return keys.getLong(1);
            }
        }
    }

    static void assertInSlot(List<Long> ids, int slot) {
        assertThat(ids).isNotEmpty().allSatisfy(id -> assertThat(IdScheme.slotOf(id)).as("slot of %d", id).isEqualTo(slot));
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void integerPrimaryKeyGetsNodePrivateIdsAndJdbcReportsThem() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table person (id integer primary key, name text)");
            try (PreparedStatement ps = c.prepareStatement("insert into person (name) values (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (String name : List.of("a", "b", "c")) {
                    ps.setString(1, name);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        assertThat(keys.getLong(1)).isEqualTo(one(c, "select id from person where name = '" + name + "'"))
                                .isEqualTo(one(c, "select last_insert_rowid()"));
                    }
                }
            }
            assertThat(longs(c, "select id from person order by id")).containsExactly(6L, 1030L, 2054L);
            try (ResultSet rs = c.createStatement().executeQuery("insert into person (name) values ('d') returning id")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3078);
            }
        }
    }

    /**
     * A prepared single-row INSERT gets its key bound by the driver to a parameter it appended; the application still
     * sees its own parameters only, and SQL run without binding (a Statement) falls back to the SQL function.
     */
    @Test
    void appendedKeyParameterIsInvisibleAndHasAFallback() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text, w text)");
            try (PreparedStatement ps = c.prepareStatement("insert into t (v, w) values (?, ?)")) {
                assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(2);
                ps.setString(1, "bound");
                ps.setString(2, "x");
                ps.executeUpdate();
                ps.clearParameters();
                ps.setString(1, "after clear");
                ps.setString(2, "y");
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into t (v, w) values (?, ?)"); // parameters left unbound: NULL
            }
            assertThat(longs(c, "select id from t order by id")).containsExactly(6L, 1030L, 2054L);
        }
    }

    @Test
    void nullKeysAreAllocatedAndSuppliedKeysAreKept() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text)");
            try (PreparedStatement ps = c.prepareStatement("insert into t (id, v) values (?, ?)")) {
                ps.setNull(1, Types.INTEGER);
                ps.setString(2, "generated");
                ps.executeUpdate();
                ps.setLong(1, 42);
                ps.setString(2, "supplied");
                ps.executeUpdate();
            }
            assertThat(one(c, "select id from t where v = 'generated'")).isEqualTo(6);
            assertThat(one(c, "select id from t where v = 'supplied'")).isEqualTo(42);
        }
    }

    /** A supplied key in this node's slot moves the counter past it: the node never generates it again. */
    @Test
    void suppliedKeyInOwnSlotIsSkipped() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (id, v) values (6, 'seed'), (1030, 'seed')");
            exec(c, "insert into t (v) values ('generated')");
            assertThat(one(c, "select id from t where v = 'generated'")).isEqualTo(2054);
        }
    }

    /**
     * The same for a key supplied as text or as a real ({@code '1030'}, {@code 2054.0}), which the rowid column stores
     * as an integer: the next generated key is not a PRIMARY KEY error, nor, with OR REPLACE, a row silently replaced.
     */
    @Test
    void suppliedKeysStoredAsIntegersAreSkippedWhateverTheirType() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (v) values ('first')");
            try (PreparedStatement ps = c.prepareStatement("insert into t (id, v) values (?, ?)")) {
                ps.setString(1, Long.toString(IdScheme.id(1, SLOT)));
                ps.setString(2, "text");
                ps.executeUpdate();
                ps.setDouble(1, IdScheme.id(2, SLOT));
                ps.setString(2, "real");
                ps.executeUpdate();
            }
            exec(c, "insert or replace into t (v) values ('generated')");
            assertThat(longs(c, "select id from t order by id")).containsExactly(IdScheme.id(0, SLOT),
                    IdScheme.id(1, SLOT), IdScheme.id(2, SLOT), IdScheme.id(3, SLOT));
        }
    }

    /** A key named by a rowid alias in the column list is the application's: kept, and skipped by the node. */
    @Test
    void aKeyNamedByARowidAliasIsKept() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (rowid, v) values (" + IdScheme.id(1, SLOT) + ", 'by rowid')");
            exec(c, "insert into t (_rowid_, v) values (7000, 'by _rowid_')");
            exec(c, "insert into t (v) values ('generated')");
            assertThat(longs(c, "select id from t order by id")).containsExactly(IdScheme.id(1, SLOT),
                    IdScheme.id(2, SLOT), 7000L);
        }
    }

    /** Rows already in a table before the driver opened the file are skipped too. */
    @Test
    void existingRowsOfTheSlotAreSkipped() throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keys.db"))) {
            exec(plain, "create table t (id integer primary key, v text)");
            exec(plain, "insert into t (v) values ('1'), ('2'), ('3'), ('4'), ('5'), ('6'), ('7')");
            exec(plain, "insert into t (id, v) values (1030, 'x')");
        }
        try (Connection c = open()) {
            exec(c, "insert into t (v) values ('new')");
            assertThat(one(c, "select id from t where v = 'new'")).isEqualTo(2054);
        }
    }

    @Test
    void everyIntegerKeyShapeIsAllocated() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table auto (id integer primary key autoincrement, v text)");
            exec(c, "create table hib (id integer, v varchar(255), primary key (id))");
            exec(c, "create table untyped (id, v varchar(255), primary key (id))");
            exec(c, "create table jooq (id int8 not null, v varchar(100) not null, constraint pk_jooq primary key (id))");
            exec(c, "create table big (id bigint primary key, v text)");
            for (String table : List.of("auto", "hib", "untyped", "jooq", "big")) {
                try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (v) values (?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, "x");
                    ps.executeUpdate();
                    long key;
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        key = keys.getLong(1);
                    }
                    assertThat(key).as(table).isEqualTo(6);
                    assertThat(one(c, "select id from " + table)).as(table).isEqualTo(6);
                    assertThat(one(c, "select rowid from " + table)).as(table).isEqualTo(6);
                    assertThat(one(c, "select count(*) from " + table + " where _rowid_ = last_insert_rowid()"))
                            .as(table).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void metadataShowsTheDeclaredKeyTypesAsSqliteJdbcDoes() throws SQLException {
        String ddl = "create table jooq (id int8 not null, v varchar(100) not null, constraint pk_jooq primary key (id));"
                + "create table untyped (id, v, primary key (id)); create table plain (id integer primary key, v text)";
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
                Connection c = open()) {
            exec(plain, ddl);
            exec(c, ddl);
            assertThat(columns(c)).isEqualTo(columns(plain)).contains("jooq.id INT8 4 NO", "untyped.id  12 YES");
        }
    }

    private static List<String> columns(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        DatabaseMetaData md = c.getMetaData();
        for (String table : List.of("jooq", "untyped", "plain")) {
            try (ResultSet rs = md.getColumns(null, null, table, null)) {
                while (rs.next()) {
                    rows.add(rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME") + " "
                            + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE") + " " + rs.getString("IS_NULLABLE"));
                }
            }
        }
        return rows;
    }

    @Test
    void multiRowValuesInsertSelectUpsertReplaceAndDefaultValues() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, name text unique, n int)");
            exec(c, "create table src (name text, n int)");
            exec(c, "insert into src values ('s1', 1), ('s2', 2)");
            assertThat(c.createStatement().executeUpdate("insert into t (name, n) values ('a', 1), ('b', 2), ('c', 3)"))
                    .isEqualTo(3);
            exec(c, "insert into t (name, n) select name, n from src union all select 'u', 9");
            exec(c, "insert into t (name, n) values ('a0', 10) on conflict (id) do update set n = excluded.n");
            exec(c, "update t set n = 10 where name = 'a'");
            exec(c, "insert or replace into t (name, n) values ('b', 20)");
            exec(c, "replace into t (name, n) values ('new', 30)");
            exec(c, "insert into t default values");
            List<Long> ids = longs(c, "select id from t");
            assertThat(ids).hasSize(9);
            assertInSlot(ids, SLOT);
            assertThat(one(c, "select n from t where name = 'a'")).isEqualTo(10);
            assertThat(one(c, "select count(*) from t where name = 'b' and n = 20")).isEqualTo(1);
        }
    }

    /**
     * Keys that are not the rowid (a table created before the driver with a BIGINT key, WITHOUT ROWID) get nothing
     * allocated: getGeneratedKeys could not report the key, so they behave as in sqlite-jdbc.
     */
    @Test
    void keysThatAreNotTheRowidAreLeftToTheApplication() throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keys.db"))) {
            exec(plain, "create table legacy (id bigint primary key, v text)");
        }
        try (Connection c = open()) {
            exec(c, "create table compact (id integer primary key, v text) without rowid");
            exec(c, "insert into legacy (v) values ('no key')");
            assertThat(one(c, "select count(*) from legacy where id is null")).isEqualTo(1);
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> exec(c, "insert into compact (v) values ('no key')"));
            assertThat(e.getSQLState()).isEqualTo("23502");
            exec(c, "insert into compact (id, v) values (7, 'supplied')");
            assertThat(one(c, "select id from compact")).isEqualTo(7);
        }
    }

    @Test
    void compositeAndTextKeysGetNothingAllocated() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table pair (a int, b int, v text, primary key (a, b))");
            exec(c, "create table word (w text primary key, v text)");
            exec(c, "insert into pair (a, b, v) values (1, 2, 'x')");
            exec(c, "insert into word (w, v) values ('k', 'x')");
            SQLException nullKey = catchThrowableOfType(SQLException.class,
                    () -> exec(c, "insert into word (v) values ('no key')"));
            assertThat(nullKey.getSQLState()).as("a replicated row needs its key: text keys are NOT NULL").isEqualTo("23502");
            assertThat(one(c, "select rowid from pair")).isEqualTo(1);
        }
    }

    @Test
    void rollbackNeverReusesIds() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text)");
            c.setAutoCommit(false);
            exec(c, "insert into t (v) values ('rolled back')"); // the SQL function allocates
            long rolledBack = one(c, "select last_insert_rowid()");
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                ps.setString(1, "rolled back too"); // the driver binds the key
                ps.executeUpdate();
                rolledBack = Math.max(rolledBack, one(c, "select last_insert_rowid()"));
                c.rollback();
                ps.setString(1, "kept");
                ps.executeUpdate();
            }
            exec(c, "insert into t (v) values ('kept')");
            c.commit();
            long lowest = rolledBack;
            assertThat(longs(c, "select id from t")).hasSize(2).allSatisfy(id -> assertThat(id).isGreaterThan(lowest));
        }
    }

    /** A connection closed mid-transaction and the file shut down as if the JVM had died: no id comes back. */
    @Test
    void crashLikeReopenNeverReusesIds() throws SQLException {
        Set<Long> seen = new HashSet<>();
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text)");
            for (int i = 0; i < 3; i++) {
                exec(c, "insert into t (v) values ('committed')");
                seen.add(one(c, "select last_insert_rowid()"));
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                for (int i = 0; i < 3; i++) {
                    exec(c, "insert into t (v) values ('never committed')");
                    seen.add(one(c, "select last_insert_rowid()"));
                    ps.setString(1, "never committed, prepared");
                    ps.executeUpdate();
                    seen.add(one(c, "select last_insert_rowid()"));
                }
            }
        } // closed without commit
        CorrosionDriver.shutdownAll();
        try (Connection c = open()) {
            assertThat(one(c, "select count(*) from t")).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                exec(c, "insert into t (v) values ('after restart')");
                assertThat(seen.add(one(c, "select last_insert_rowid()"))).isTrue();
                try (PreparedStatement ps = c.prepareStatement("insert into t (v) values ('after restart, prepared')")) {
                    ps.executeUpdate();
                }
                assertThat(seen.add(one(c, "select last_insert_rowid()"))).isTrue();
            }
            assertInSlot(new ArrayList<>(seen), SLOT);
        }
    }

    /**
     * A failed statement, or a rollback to a savepoint, undoes the reservation written inside it; the next allocation
     * of the transaction must write again, or after a restart the node would hand out committed ids once more.
     */
    @Test
    void failedStatementAndSavepointRollbackDoNotLoseTheReservation() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text unique)");
            exec(c, "insert into t (v) values ('dup')");
        }
        CorrosionDriver.shutdownAll(); // from now on the node starts at the persisted reservation
        try (Connection c = open()) {
            c.setAutoCommit(false);
            catchThrowableOfType(SQLException.class,
                    () -> exec(c, "insert into t (v) values ('fresh'), ('dup')")); // reserves, then fails
            exec(c, "insert into t (v) values ('after failure')");
            c.commit();
        }
        insertAfterRestart("failure");
        try (Connection c = open()) {
            c.setAutoCommit(false);
            Savepoint sp = c.setSavepoint("s");
            exec(c, "insert into t (v) values ('undone')"); // reserves
            c.rollback(sp);
            exec(c, "insert into t (v) values ('after savepoint')");
            c.commit();
        }
        insertAfterRestart("savepoint");
    }

    private void insertAfterRestart(String phase) throws SQLException {
        CorrosionDriver.shutdownAll();
        try (Connection c = open()) {
            long max = one(c, "select max(id) from t");
            for (int i = 0; i < 5; i++) {
                exec(c, "insert into t (v) values ('after " + phase + " and restart " + i + "')");
                assertThat(one(c, "select last_insert_rowid()")).isGreaterThan(max);
            }
        }
        CorrosionDriver.shutdownAll();
    }

    @Test
    void preparedStatementReusedManyTimesAndBatches() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v int)");
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                for (int i = 0; i < 1000; i++) {
                    ps.setInt(1, i);
                    ps.executeUpdate();
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                for (int i = 0; i < 500; i++) {
                    ps.setInt(1, 1000 + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(500).containsOnly(1);
            }
            try (Statement s = c.createStatement()) {
                s.addBatch("insert into t (v) values (-1)");
                s.addBatch("insert into t (v) values (-2)");
                s.executeBatch();
            }
            c.commit();
            List<Long> ids = longs(c, "select id from t order by v");
            assertThat(ids).hasSize(1502);
            assertInSlot(ids, SLOT);
            assertThat(longs(c, "select id from t where v >= 0 order by v")).isSorted();
        }
    }

    /**
     * A large batch reserves ahead of its keys by as many as it used, never more than {@link KeyAllocator#RESERVE_MAX}
     * (what a restart burns at most), and a crash in the middle of the next one hands out no committed id again.
     */
    @Test
    void largeBatchesReserveAheadWithinABoundAndSurviveACrash() throws SQLException {
        List<Long> committed;
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v int)");
            exec(c, "insert into t (v) values (0)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                for (int i = 1; i <= 5000; i++) {
                    ps.setInt(1, i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            long last = IdScheme.counterOf(one(c, "select max(id) from t"));
            long reserved = one(c, "select next from " + Reservations.TABLE + " where name = 'key:t'");
            assertThat(reserved).as("grown past one step").isGreaterThan(last + 1 + KeyAllocator.RESERVE_AHEAD)
                    .isLessThanOrEqualTo(last + 1 + KeyAllocator.RESERVE_MAX);
            committed = longs(c, "select id from t");
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                for (int i = 0; i < 5000; i++) {
                    ps.setInt(1, -1);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            assertThat(one(c, "select count(*) from t")).isEqualTo(10_001);
        } // closed without commit
        CorrosionDriver.shutdownAll();
        try (Connection c = open()) {
            assertThat(one(c, "select count(*) from t")).isEqualTo(5001);
            exec(c, "insert into t (v) values (1)");
            assertThat(one(c, "select last_insert_rowid()"))
                    .isGreaterThan(committed.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
    }

    /**
     * A key declared INT stops at 2^31 - 1 with SQLState 22003 unless the table is listed in int64-keys; INTEGER (the
     * rowid type) goes on, and reading such a key as a Java int fails loudly instead of returning its low 32 bits.
     */
    @Test
    void int32KeysStopAtTheirLimitUnlessDeclared64Bit() throws SQLException {
        long lastCounter = IdScheme.maxCounter(SLOT, IdScheme.MAX_INT32_ID);
        try (Connection c = open()) {
            exec(c, "create table small (id int primary key, v text)");
            exec(c, "create table wide (id int primary key, v text)");
            exec(c, "create table rowids (id integer primary key, v text)");
            exec(c, "insert into " + Reservations.TABLE + " (name, next) values ('key:small', " + lastCounter
                    + "), ('key:wide', " + lastCounter + "), ('key:rowids', " + lastCounter + ")");
        }
        CorrosionDriver.shutdownAll();
        try (Connection c = DriverManager.getConnection(url("keys.db") + "&int64-keys=w*")) {
            exec(c, "insert into small (v) values ('last')");
            assertThat(one(c, "select id from small")).isEqualTo(IdScheme.id(lastCounter, SLOT))
                    .isLessThanOrEqualTo(Integer.MAX_VALUE);
            SQLException e = catchThrowableOfType(SQLException.class, () -> exec(c, "insert into small (v) values ('x')"));
            assertThat(e.getSQLState()).isEqualTo("22003");
            assertThat(e.getMessage()).contains("small.id", "int64-keys", "BIGINT");
            exec(c, "insert into small (id, v) values (" + IdScheme.id(lastCounter + 5, SLOT) + ", 'supplied')");
            for (String table : List.of("wide", "rowids")) {
                exec(c, "insert into " + table + " (v) values ('a'), ('b')");
                assertThat(longs(c, "select id from " + table)).as(table)
                        .anySatisfy(id -> assertThat(id).isGreaterThan(Integer.MAX_VALUE));
                try (ResultSet rs = c.createStatement().executeQuery("select id from " + table + " order by id desc")) {
                    rs.next();
                    SQLException narrow = catchThrowableOfType(SQLException.class, () -> rs.getInt(1));
                    assertThat(narrow.getSQLState()).isEqualTo("22003");
                    SQLException boxed = catchThrowableOfType(SQLException.class, () -> rs.getObject("id", Integer.class));
                    assertThat(boxed.getSQLState()).isEqualTo("22003");
                    assertThat(rs.getLong(1)).isGreaterThan(Integer.MAX_VALUE);
                }
            }
        }
    }

    /** A supplied key beyond what the node generates for a 32-bit key does not push the counter there. */
    @Test
    void suppliedKeyBeyondThe32BitRangeLeavesTheCounterAlone() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id int primary key, v text)");
            exec(c, "insert into t (id, v) values (" + IdScheme.id(10_000_000, SLOT) + ", 'supplied')");
            exec(c, "insert into t (v) values ('generated')");
            assertThat(one(c, "select id from t where v = 'generated'")).isEqualTo(6);
        }
    }

    @Test
    void localTempAndInternalTablesKeepSqliteBehaviour() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("keys.db") + "&local-tables=scratch*")) {
            exec(c, "create table scratch_rows (id integer primary key, v text)");
            exec(c, "create temp table tmp (id integer primary key, v text)");
            exec(c, "create table HTE_thing (id integer primary key, v text)");
            for (String table : List.of("scratch_rows", "tmp", "HTE_thing")) {
                exec(c, "insert into " + table + " (v) values ('a'), ('b')");
                assertThat(longs(c, "select id from " + table + " order by id")).as(table).containsExactly(1L, 2L);
            }
        }
    }

    @Test
    void inMemoryDatabasesAllocateToo() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion::memory:?node-slot=7")) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (v) values ('a'), ('b')");
            assertThat(longs(c, "select id from t order by id")).containsExactly(8L, 1032L);
        }
    }

    @Test
    void preparedInsertReportsTheBoundKeyAsSqliteJdbcWould() throws SQLException {
        try (Connection c = open(); Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            for (Connection x : List.of(c, plain)) {
                exec(x, "create table person (id integer primary key, name text)");
                exec(x, "create trigger skip before insert on person when new.name = 'skip' begin select raise(ignore); end");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into person (name) values (?)");
                    PreparedStatement other = c.prepareStatement("insert into person (name) values (?)")) {
                ps.setString(1, "a");
                ps.executeUpdate();
                long a = one(c, "select id from person where name = 'a'");
                other.setString(1, "b");
                other.executeUpdate(); // another statement's insert does not change this one's generated keys
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys.getMetaData().getColumnLabel(1)).isEqualTo(label(plain));
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(a);
                    assertThat(keys.getStatement()).isSameAs(ps);
                    assertThat(keys.next()).isFalse();
                }
                ps.setString(1, "skip"); // a trigger ignores the row: what last_insert_rowid() says, as in sqlite-jdbc
                assertThat(ps.executeUpdate()).isZero();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    assertThat(keys.getLong(1)).isEqualTo(one(c, "select id from person where name = 'b'"));
                }
            }
            assertInSlot(longs(c, "select id from person"), SLOT);
        }
    }

    /**
     * A connection that has inserted nothing reads {@code last_insert_rowid()} 0, and an INSERT OR IGNORE that it
     * ignores reports key 0, as in sqlite-jdbc: the driver's setup of each connection (its one-row TEMP table) made it
     * 1, the key of a row the application may well have, on the file's first connection and on every later one.
     */
    @Test
    void aFreshConnectionHasInsertedNoRow() throws SQLException {
        String plainUrl = "jdbc:sqlite:" + dir.resolve("plain.db");
        for (String url : List.of(plainUrl, url("keys.db"))) {
            try (Connection first = DriverManager.getConnection(url)) {
                assertThat(one(first, "select last_insert_rowid()")).as("first connection of %s", url).isZero();
                exec(first, "create table person (id integer primary key, name text)");
                exec(first, "insert into person (id, name) values (1, 'a')");
            }
            try (Connection later = DriverManager.getConnection(url)) {
                assertThat(one(later, "select last_insert_rowid()")).as("later connection of %s", url).isZero();
                try (PreparedStatement ps = later.prepareStatement("insert or ignore into person (id, name) values (?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, 1);
                    ps.setString(2, "again");
                    assertThat(ps.executeUpdate()).isZero();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        assertThat(keys.next()).isTrue();
                        assertThat(keys.getLong(1)).as("key of the ignored row on %s", url).isZero();
                    }
                }
            }
        }
    }

    /**
     * Schema changes leave {@code last_insert_rowid()} at the application's last row, as in SQLite: the CRR setup of a
     * CREATE TABLE or an ALTER TABLE ... ADD COLUMN inserted rows of its own on the application's connection and left
     * their rowid (1, 2, ...) there.
     */
    @Test
    void schemaChangesLeaveTheLastInsertedRowid() throws SQLException {
        String plainUrl = "jdbc:sqlite:" + dir.resolve("plain.db");
        for (String url : List.of(plainUrl, url("keys.db"))) {
            try (Connection c = DriverManager.getConnection(url)) {
                exec(c, "create table person (id integer primary key, name text)");
                exec(c, "insert into person (id, name) values (77, 'a')");
                exec(c, "create table pet (id integer primary key, name text)");
                assertThat(one(c, "select last_insert_rowid()")).as("after CREATE TABLE on %s", url).isEqualTo(77);
                exec(c, "alter table person add column age int");
                assertThat(one(c, "select last_insert_rowid()")).as("after ADD COLUMN on %s", url).isEqualTo(77);
                exec(c, "create unique index pet_name on pet (name)");
                assertThat(one(c, "select last_insert_rowid()")).as("after CREATE UNIQUE INDEX on %s", url).isEqualTo(77);
                exec(c, "alter table person add column nick text; insert into pet (id, name) values (88, 'b')");
                assertThat(one(c, "select last_insert_rowid()")).as("after a string ending in an INSERT on %s", url)
                        .isEqualTo(88);
                c.setAutoCommit(false);
                exec(c, "insert into person (id, name) values (99, 'c')");
                exec(c, "create table toy (id integer primary key, name text)");
                assertThat(one(c, "select last_insert_rowid()")).as("in a transaction on %s", url).isEqualTo(99);
                c.commit();
            }
        }
    }

    /**
     * A TEMP table hides the file's table of the same name from statements that name no schema, as in SQLite: their
     * INSERTs write the TEMP table, with its columns and SQLite's keys. The driver rewrote them as INSERTs into the
     * replicated table, with its key column: "table t has no column named id". Other connections, which have no such
     * TEMP table, still write the replicated table with the node's keys.
     */
    @Test
    void aTempTableHidesTheReplicatedTableOfItsName() throws SQLException {
        String plainUrl = "jdbc:sqlite:" + dir.resolve("plain.db");
        for (String url : List.of(plainUrl, url("keys.db"))) {
            try (Connection c = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
                exec(c, "create table t (id integer primary key, v text)");
                exec(c, "create temp table t (x text, y int)");
                String[] writes = {"insert into t (x) values ('a')", "insert into t values ('b', 2)",
                    "insert into t (x, y) select 'c', 3", "insert into t default values"};
                for (String sql : writes) {
                    exec(c, sql);
                    exec(other, "insert into t (v) values ('other')");
                }
                assertThat(longs(c, "select count(*) from temp.t")).as("TEMP rows on %s", url).containsExactly(4L);
                assertThat(longs(c, "select count(*) from main.t")).as("the file's rows on %s", url).containsExactly(4L);
                exec(c, "insert into main.t (v) values ('main')");
                if (!url.equals(plainUrl)) {
                    assertInSlot(longs(c, "select id from main.t"), SLOT);
                }
            }
        }
    }

    private static String label(Connection plain) throws SQLException {
        try (PreparedStatement ps = plain.prepareStatement("insert into person (name) values ('x')")) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.getMetaData().getColumnLabel(1);
            }
        }
    }

    /** What a prepared UPDATE or DELETE reports as generated keys, execution after execution: closed?, a row? */
    private static List<Boolean> keysOfUpdates(Connection c) throws SQLException {
        exec(c, "create table t (id integer primary key, v text)");
        exec(c, "insert into t (id, v) values (1, 'a'), (2, 'b')");
        List<Boolean> out = new ArrayList<>();
        for (String sql : List.of("update t set v = ? where id = 1", "  DELETE from t where v = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < 3; i++) {
                    ps.setString(1, "x");
                    if (i == 1) {
                        assertThat(ps.execute()).isFalse();
                    } else {
                        ps.executeUpdate();
                    }
                    if (i > 0) { // the first execution is never asked: sqlite-jdbc's check is skipped until it is
                        try (ResultSet keys = ps.getGeneratedKeys()) {
                            out.add(keys.isClosed());
                            out.add(keys.next());
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void preparedUpdatesAndDeletesReportNoGeneratedKeysAsSqliteJdbcDoes() throws SQLException {
        List<Boolean> plain;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            plain = keysOfUpdates(c);
        }
        try (Connection c = open()) {
            assertThat(keysOfUpdates(c)).isEqualTo(plain).containsOnly(false).hasSize(8);
        }
    }

    /**
     * The key parameter the driver appends to a prepared INSERT is not the application's: binding past the statement's
     * own parameters is an error, as on sqlite-jdbc (from a review: it was taken, then overwritten by the key).
     */
    @Test
    void aValueBoundPastTheStatementsParametersIsRefused() throws SQLException {
        try (Connection c = open()) {
            exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)");
            for (String sql : List.of("INSERT INTO t (v, n) VALUES (?, ?)",
                    "INSERT INTO t (v, n) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET n = excluded.n")) {
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    assertThat(p.getParameterMetaData().getParameterCount()).isEqualTo(2);
                    p.setString(1, "a");
                    p.setInt(2, 1);
                    assertThatThrownBy(() -> p.setLong(3, 4242)).isInstanceOf(SQLException.class)
                            .hasMessageContaining("Parameter index 3 out of range: the statement has 2 parameters")
                            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07009");
                    assertThatThrownBy(() -> p.setObject(3, null)).isInstanceOf(SQLException.class);
                    assertThat(p.executeUpdate()).isEqualTo(1);
                }
            }
            assertThat(longs(c, "SELECT count(*) FROM t WHERE id = 4242")).containsExactly(0L);
        }
    }
}
