package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE TABLE ... AS SELECT} of a replicated table: the table has the columns (names and declared types) and
 * rows plain SQLite's would have, the driver's hidden key besides, and replicates. Each form runs on the driver and on
 * plain sqlite-jdbc (the same tables, without hidden keys).
 */
class TableAsSelectTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(20), price DECIMAL(10,2), qty BIGINT, weight DOUBLE,"
                + " data BLOB, note)",
        "CREATE TABLE bag (owner_id INTEGER, item TEXT)",
        "CREATE TABLE odd (d DATETIME, fp FLOATING POINT, ci CHARINT, bo BOOLEAN, n NUMERIC(10,2), cl CLOB, bl BLOB,"
                + " r REAL, u)",
        "INSERT INTO odd VALUES ('2024-01-02', 1.5, 'x', 1, '2.50', 'c', x'02', '3', 'u')",
        "INSERT INTO item VALUES (1, 'hat', 1.5, 2, 0.25, x'01', NULL), (2, 'cup', 2.25, 3, 1.0, NULL, 'n'),"
                + " (3, 'pen', 0.5, 10, 0.01, x'', 7)",
        "INSERT INTO bag VALUES (1, 'hat'), (1, 'cup'), (2, 'hat'), (3, 'pen'), (NULL, NULL)",
    };

    private static final String[] FORMS = {
        "CREATE TABLE copy AS SELECT * FROM bag",
        "CREATE TABLE copy AS SELECT * FROM item",
        "CREATE TABLE copy AS SELECT b.* FROM bag b WHERE b.owner_id = 1",
        "CREATE TABLE copy AS SELECT id, name AS n, price * 2, qty + 1, weight, data, note, 1, 'x', 1.5, NULL,"
                + " cast(qty AS REAL), cast(id AS TEXT), cast(note AS NUMERIC), upper(name), -qty, (price) FROM item",
        "CREATE TABLE copy AS SELECT id, id, name AS id, item.* FROM item",
        "CREATE TABLE copy AS SELECT owner_id, item FROM bag UNION ALL SELECT id, name FROM item",
        "CREATE TABLE copy AS SELECT item FROM bag UNION SELECT price FROM item ORDER BY 1",
        "CREATE TABLE copy AS SELECT * FROM bag b JOIN item i ON i.id = b.owner_id ORDER BY i.id, b.item",
        "CREATE TABLE copy AS SELECT name, price FROM item WHERE price > 0.5 ORDER BY name DESC LIMIT 1 OFFSET 1",
        "CREATE TABLE copy AS SELECT owner_id, count(*) AS n, max(item) FROM bag GROUP BY owner_id ORDER BY 1",
        "CREATE TABLE copy AS SELECT *, rowid FROM item",
        "CREATE TABLE copy AS SELECT * FROM odd",
        "CREATE TABLE copy AS SELECT d FROM odd UNION ALL SELECT bl FROM odd UNION ALL SELECT n FROM odd",
        "CREATE TABLE copy AS SELECT n, cl FROM odd UNION SELECT r, fp FROM odd ORDER BY 1",
        "CREATE TABLE copy AS VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE copy AS WITH c AS (SELECT * FROM bag WHERE owner_id = 1) SELECT * FROM c",
        "CREATE TABLE main.copy AS SELECT item FROM main.bag",
        "CREATE TABLE IF NOT EXISTS \"copy\" AS SELECT * FROM bag;",
        "create table copy as select * from bag where 0",
    };

    @TempDir
    Path dir;

    private Connection plain;
    private Node ours;

    @BeforeEach
    void open() throws SQLException {
        plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db") + "?journal_mode=WAL");
        ours = new Node(dir, "ours");
        for (String sql : SCHEMA) {
            execBoth(sql);
        }
    }

    @AfterEach
    void close() throws SQLException {
        plain.close();
        ours.close();
        CorrosionDriver.shutdownAll();
    }

    /**
     * What plain sqlite-jdbc's {@code executeUpdate} returns for the statement. Not {@link Node#outcome}, which reads
     * {@code changes()} on a plain connection: DDL leaves that at the connection's last INSERT.
     */
    private String plainCount(String sql) throws SQLException {
        try (Statement s = plain.createStatement()) {
            return "updated " + s.executeUpdate(sql);
        }
    }

    @Test
    void everyFormGivesPlainSqlitesColumnsAndRowsAndTheHiddenKey() throws SQLException {
        for (String form : FORMS) {
            assertThat(Node.outcome(ours.c, form)).as(form).isEqualTo(plainCount(form)).isEqualTo("updated 0");
            sameTable(form);
            assertThat(ours.scalar("SELECT count(DISTINCT __corrosion_row_id) FROM copy"))
                    .as("the hidden key of %s", form).isEqualTo(ours.scalar("SELECT count(*) FROM copy"));
            assertThat(ours.crr.replicatedTables()).as(form).contains("copy");
            execBoth("DROP TABLE copy");
        }
        assertThat(ours.scalar("SELECT count(*) FROM temp.sqlite_master")).as("no TEMP table left").isEqualTo(0L);
    }

    @Test
    void ifNotExistsLeavesATableThatIsThereAsItWas() throws SQLException {
        execBoth("CREATE TABLE copy AS SELECT item FROM bag WHERE owner_id = 1");
        for (String sql : List.of("CREATE TABLE IF NOT EXISTS copy AS SELECT * FROM item",
                "CREATE TABLE IF NOT EXISTS copy AS SELECT no_such_column FROM item")) {
            assertThat(Node.outcome(ours.c, sql)).as(sql).isEqualTo(plainCount(sql)).isEqualTo("updated 0");
            sameTable(sql);
        }
        String again = "CREATE TABLE copy AS SELECT * FROM item";
        assertThat(Node.outcome(ours.c, again)).contains("already exists");
        assertThat(Node.outcome(plain, again)).contains("already exists");
        sameTable(again);
    }

    @Test
    void aPreparedStatementWithoutParametersCreatesAndFillsTheTable() throws SQLException {
        String sql = "CREATE TABLE copy AS SELECT * FROM bag WHERE owner_id = 1";
        Object lastInsert = ours.scalar("SELECT last_insert_rowid()");
        try (PreparedStatement a = plain.prepareStatement(sql); PreparedStatement b = ours.c.prepareStatement(sql)) {
            a.execute();
            assertThat(b.executeUpdate()).isZero();
        }
        sameTable(sql);
        assertThat(ours.scalar("SELECT last_insert_rowid()")).as("unchanged, as in SQLite").isEqualTo(lastInsert)
                .isNotEqualTo(ours.scalar("SELECT max(__corrosion_row_id) FROM copy"));
    }

    @Test
    void aBatchOfItAloneRunsItAndABatchWithOtherStringsIsRefusedWhole() throws SQLException {
        String sql = "CREATE TABLE copy AS SELECT item FROM bag WHERE owner_id = 1";
        try (Statement s = plain.createStatement()) {
            s.execute(sql);
        }
        try (Statement s = ours.c.createStatement()) {
            s.addBatch(sql);
            assertThat(s.executeBatch()).containsExactly(0);
            sameTable(sql);
            s.addBatch("CREATE TABLE copy2 AS SELECT * FROM bag");
            s.addBatch("INSERT INTO bag VALUES (8, 'cap')");
            SQLException e = catchThrowableOfType(SQLException.class, s::executeBatch);
            assertThat(e.getSQLState()).isEqualTo("0A000");
        }
        assertThat(ours.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'copy2'")).isEqualTo(0L);
        assertThat(ours.scalar("SELECT count(*) FROM bag WHERE owner_id = 8")).isEqualTo(0L);
    }

    @Test
    void itRunsWhileAResultSetOfTheConnectionIsOpen() throws SQLException {
        for (Connection c : List.of(plain, ours.c)) {
            try (Statement reading = c.createStatement();
                    java.sql.ResultSet rs = reading.executeQuery("SELECT item FROM bag ORDER BY rowid")) {
                assertThat(rs.next()).isTrue();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE copy AS SELECT * FROM bag WHERE owner_id = 1");
                }
                assertThat(rs.next()).as("the result set goes on").isTrue();
                assertThat(rs.getString(1)).isEqualTo("cup");
            }
        }
        sameTable("a CREATE TABLE ... AS SELECT beside an open result set");
        assertThat(ours.scalar("SELECT count(*) FROM temp.sqlite_master")).as("no TEMP table left").isEqualTo(0L);
    }

    @Test
    void theCopysRowsReplicateToANodeThatRanTheSameMigration() throws SQLException {
        try (Node other = new Node(dir, "other")) {
            other.exec(SCHEMA[0], SCHEMA[1], SCHEMA[2]); // the tables, without rows
            String ctas = "CREATE TABLE copy AS SELECT b.*, i.price FROM bag b JOIN item i ON i.id = b.owner_id";
            ours.exec(ctas);
            other.exec(ctas);
            assertThat(other.rows("SELECT * FROM copy")).isEmpty();
            List<Change> copyChanges = ours.crr.changesSince(0).stream().filter(ch -> ch.table().equals("copy")).toList();
            assertThat(copyChanges).as("the copy's rows are changes of this node").isNotEmpty();
            assertThat(ours.scalar("SELECT count(DISTINCT pk) FROM crsql_changes WHERE \"table\" = 'copy'")).isEqualTo(4L);

            ours.sendTo(other);
            assertThat(other.rows("SELECT * FROM copy ORDER BY owner_id, item"))
                    .isEqualTo(ours.rows("SELECT * FROM copy ORDER BY owner_id, item"))
                    .containsExactly(List.of(1L, "cup", 1.5), List.of(1L, "hat", 1.5), List.of(2L, "hat", 2.25),
                            List.of(3L, "pen", 0.5));

            other.exec("UPDATE copy SET item = 'mug' WHERE item = 'cup'");
            other.sendTo(ours);
            assertThat(ours.rows("SELECT item FROM copy WHERE owner_id = 1 ORDER BY item"))
                    .containsExactly(List.of("hat"), List.of("mug"));
        }
    }

    @Test
    void aQueryThatFailsLeavesNoTableAndNoScratchTable() throws SQLException {
        Map<String, String> states = new LinkedHashMap<>();
        states.put("CREATE TABLE copy AS SELECT no_such_column FROM item", "42000");
        states.put("CREATE TABLE copy AS SELECT * FROM no_such_table", "42000");
        // fails on its rows, once the table is created: SQLite's "integer overflow", SQLITE_ERROR
        states.put("CREATE TABLE copy AS SELECT id, abs(-9223372036854775807 - id) FROM item", "HY000");
        for (Map.Entry<String, String> failing : states.entrySet()) {
            String sql = failing.getKey();
            SQLException e = catchThrowableOfType(SQLException.class, () -> ours.exec(sql));
            assertThat((Throwable) e).as(sql).isNotNull();
            assertThat(e.getSQLState()).as(sql).isEqualTo(failing.getValue());
            assertThat(Node.outcome(plain, sql)).as(sql).startsWith("failed");
            assertThat(ours.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'copy'")).as(sql).isEqualTo(0L);
            assertThat(ours.scalar("SELECT count(*) FROM temp.sqlite_master")).as(sql).isEqualTo(0L);
            assertThat(ours.crr.replicatedTables()).as(sql).doesNotContain("copy");
        }
    }

    @Test
    void inATransactionItIsUndoneByRollbackAndAFailureLeavesTheTransactionGoing() throws SQLException {
        ours.c.setAutoCommit(false);
        ours.exec("INSERT INTO bag VALUES (5, 'box')", "CREATE TABLE copy AS SELECT * FROM bag WHERE owner_id = 5");
        assertThat(ours.rows("SELECT * FROM copy")).containsExactly(List.of(5L, "box"));
        ours.c.rollback();
        ours.c.setAutoCommit(true);
        assertThat(ours.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'copy'")).isEqualTo(0L);
        assertThat(ours.scalar("SELECT count(*) FROM bag WHERE owner_id = 5")).isEqualTo(0L);
        assertThat(ours.crr.replicatedTables()).doesNotContain("copy");
        assertThat(ours.crr.changesSince(0).stream().filter(ch -> ch.table().equals("copy"))).isEmpty();

        ours.c.setAutoCommit(false);
        ours.exec("INSERT INTO bag VALUES (6, 'jar')");
        assertThat((Throwable) catchThrowableOfType(SQLException.class,
                () -> ours.exec("CREATE TABLE copy AS SELECT abs(-9223372036854775807 - owner_id) FROM bag"))).isNotNull();
        ours.exec("CREATE TABLE copy AS SELECT * FROM bag WHERE owner_id = 6");
        ours.c.commit();
        ours.c.setAutoCommit(true);
        assertThat(ours.rows("SELECT * FROM copy")).containsExactly(List.of(6L, "jar"));
        assertThat(ours.crr.replicatedTables()).contains("copy");
    }

    @Test
    void parametersAndOtherStatementsBesideItAreRefusedWithNothingCreated() throws SQLException {
        SQLException parameters = catchThrowableOfType(SQLException.class,
                () -> ours.c.prepareStatement("CREATE TABLE copy AS SELECT * FROM bag WHERE owner_id = ?"));
        assertThat(parameters.getSQLState()).isEqualTo("0A000");
        assertThat(parameters.getMessage()).contains("parameters").contains("INSERT INTO copy SELECT");
        SQLException beside = catchThrowableOfType(SQLException.class, () -> {
            try (Statement s = ours.c.createStatement()) {
                s.executeUpdate("CREATE TABLE copy AS SELECT * FROM bag; INSERT INTO copy VALUES (9, 'x')");
            }
        });
        assertThat(beside.getSQLState()).isEqualTo("0A000");
        SQLException hiddenKey = catchThrowableOfType(SQLException.class,
                () -> ours.exec("CREATE TABLE copy AS SELECT __corrosion_row_id, * FROM bag"));
        assertThat(hiddenKey.getSQLState()).isEqualTo("0A000");
        assertThat(ours.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'copy'")).isEqualTo(0L);
    }

    @Test
    void tempAndLocalTablesAreLeftToSqlite() throws SQLException {
        String temp = "CREATE TEMP TABLE copy AS SELECT * FROM bag";
        execBoth(temp);
        assertThat(ours.rows("PRAGMA temp.table_info(copy)")).isEqualTo(Node.rows(plain, "PRAGMA temp.table_info(copy)"));
        assertThat(ours.rows("SELECT * FROM temp.copy")).isEqualTo(Node.rows(plain, "SELECT * FROM temp.copy"));
        assertThat(ours.crr.replicatedTables()).doesNotContain("copy");
        try (Node local = new Node(dir, "local", "local-tables=copy*")) {
            local.exec(SCHEMA);
            local.exec("CREATE TABLE copy AS SELECT item FROM bag");
            assertThat(local.crr.replicatedTables()).doesNotContain("copy");
            assertThat(local.rows("SELECT name, type FROM pragma_table_xinfo('copy')")).containsExactly(List.of("item", "TEXT"));
        }
    }

    /** The driver's {@code copy} has plain SQLite's columns, declared types and rows, in rowid order. */
    private void sameTable(String why) throws SQLException {
        String columns = "SELECT name, type FROM pragma_table_info('copy') WHERE name <> '__corrosion_row_id'";
        assertThat(ours.rows(columns)).as("columns of %s", why).isEqualTo(Node.rows(plain, columns)).isNotEmpty();
        assertThat(ours.rows("PRAGMA table_info(copy)")).as("PRAGMA table_info of %s", why)
                .isEqualTo(Node.rows(plain, "PRAGMA table_info(copy)"));
        assertThat(ours.rows("SELECT * FROM copy")).as("rows of %s", why).isEqualTo(Node.rows(plain, "SELECT * FROM copy"));
    }

    private void execBoth(String sql) throws SQLException {
        try (Statement s = plain.createStatement()) {
            s.execute(sql);
        }
        ours.exec(sql);
    }
}
