package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.JdbcRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables without a primary key get a hidden key on a corrosion file; {@code SELECT *} must not show it. Every query
 * here runs on the driver and on plain sqlite-jdbc (the same tables without the hidden key) and must give the same
 * column labels and rows.
 */
class HiddenKeyStarTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE owner (id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE TABLE bag (owner_id INTEGER, item TEXT)",
        "CREATE TABLE tag (item TEXT, label TEXT)",
        "CREATE TABLE copy (owner_id INTEGER, item TEXT)",
        "INSERT INTO owner VALUES (1, 'ann'), (2, 'bob')",
        "INSERT INTO bag VALUES (1, 'hat'), (1, 'cup'), (2, 'hat'), (3, 'pen')",
        "INSERT INTO tag VALUES ('hat', 'red'), ('cup', 'blue'), ('box', 'none')",
    };

    @TempDir
    Path dir;

    private Connection plain;
    private Connection ours;

    @BeforeEach
    void open() throws SQLException {
        plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
        ours = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("ours.db"));
        execBoth(SCHEMA);
    }

    @AfterEach
    void close() throws SQLException {
        plain.close();
        ours.close();
        CorrosionDriver.shutdownAll();
    }

    @Test
    void theFileReallyHasHiddenKeys() throws SQLException {
        assertThat(JdbcRows.column(ours, "SELECT count(__corrosion_row_id) FROM bag")).containsExactly("4");
    }

    @Test
    void queriesWithStarsAnswerAsPlainSqliteJdbc() throws SQLException {
        sameAnswers(
                "SELECT * FROM bag ORDER BY 1, 2",
                "SELECT b.* FROM bag b ORDER BY 1, 2",
                "SELECT *, 1 AS one FROM bag ORDER BY 1, 2",
                "SELECT DISTINCT * FROM main.bag ORDER BY 1, 2",
                "SELECT * FROM owner JOIN bag ON bag.owner_id = owner.id ORDER BY 1, 4",
                "SELECT * FROM bag LEFT JOIN owner ON bag.owner_id = owner.id ORDER BY 1, 2",
                "SELECT * FROM bag JOIN tag USING (item) ORDER BY 1, 2",
                "SELECT * FROM bag NATURAL JOIN tag ORDER BY 1, 2",
                "SELECT * FROM bag NATURAL LEFT JOIN tag ORDER BY 1, 2",
                "SELECT count(*) FROM bag NATURAL JOIN tag",
                "SELECT * FROM (SELECT * FROM bag) s ORDER BY 1, 2",
                "WITH x AS (SELECT * FROM bag WHERE owner_id = 1) SELECT * FROM x ORDER BY 2",
                "SELECT * FROM bag UNION ALL SELECT * FROM tag ORDER BY 1, 2",
                "SELECT * FROM bag, json_each('[1, 2]') j ORDER BY 1, 2, j.key",
                "SELECT * FROM bag WHERE item IN (SELECT item FROM tag) ORDER BY 1, 2");
    }

    @Test
    void preparedQueriesWithStarsToo() throws SQLException {
        String sql = "SELECT * FROM bag WHERE owner_id = ? ORDER BY item";
        try (PreparedStatement a = plain.prepareStatement(sql); PreparedStatement b = ours.prepareStatement(sql)) {
            for (int owner = 1; owner <= 3; owner++) {
                a.setInt(1, owner);
                b.setInt(1, owner);
                assertThat(rows(b.executeQuery())).isEqualTo(rows(a.executeQuery()));
            }
        }
    }

    @Test
    void insertSelectStarViewsTriggersAndReturningAnswerAsPlainSqliteJdbc() throws SQLException {
        String[] writes = {
            "INSERT INTO copy SELECT * FROM bag WHERE owner_id = 1",
            "CREATE VIEW v AS SELECT * FROM bag",
            "CREATE TRIGGER keep AFTER INSERT ON owner BEGIN INSERT INTO copy SELECT * FROM bag WHERE owner_id = NEW.id; END",
            "INSERT INTO owner VALUES (3, 'cat')",
        };
        execBoth(writes);
        sameAnswers("SELECT * FROM copy ORDER BY 1, 2", "SELECT * FROM v ORDER BY 1, 2");
        sameAnswers(
                "INSERT INTO bag VALUES (4, 'map') RETURNING *",
                "UPDATE bag SET item = 'cap' WHERE item = 'hat' RETURNING *",
                "DELETE FROM bag WHERE owner_id = 3 RETURNING *");
        sameAnswers("SELECT * FROM bag ORDER BY 1, 2");
    }

    @Test
    void rightAndFullJoinsShowTheJoinedValueOfTheirUsingColumns() throws SQLException {
        sameAnswers(
                "SELECT * FROM bag RIGHT JOIN tag USING (item) ORDER BY 1, 2, 3",
                "SELECT * FROM bag FULL JOIN tag USING (item) ORDER BY 1, 2, 3",
                "SELECT * FROM bag NATURAL RIGHT JOIN tag ORDER BY 1, 2, 3",
                "SELECT * FROM bag NATURAL FULL OUTER JOIN tag ORDER BY 1, 2, 3",
                "SELECT * FROM tag FULL JOIN bag USING (item) FULL JOIN copy USING (item) ORDER BY 1, 2, 3, 4",
                "SELECT * FROM owner, bag FULL JOIN tag USING (item) ORDER BY 1, 2, 3, 4, 5",
                "SELECT b.*, t.* FROM bag b FULL JOIN tag t USING (item) ORDER BY 1, 2, 3, 4");
    }

    @Test
    void aStarAfterOtherReturningColumnsListsTheWrittenTable() throws SQLException {
        String[] schema = {"CREATE TABLE label (item TEXT PRIMARY KEY, label TEXT)", "INSERT INTO label VALUES ('hat', 'old')"};
        execBoth(schema);
        sameAnswers(
                "INSERT INTO label SELECT * FROM tag WHERE true ON CONFLICT DO NOTHING RETURNING item, *",
                "INSERT INTO copy SELECT * FROM bag WHERE owner_id = 3 RETURNING owner_id, *",
                "DELETE FROM bag WHERE owner_id = 3 RETURNING owner_id * 2, *");
    }

    @Test
    void isDistinctFromAmongTheResultColumnsIsNoFromClause() throws SQLException {
        sameAnswers("SELECT *, owner_id IS NOT DISTINCT FROM 1 AS first FROM bag ORDER BY 1, 2");
    }

    @Test
    void aTableWithoutTheHiddenKeyIsLeftAsItIs() throws SQLException {
        execBoth("CREATE TEMP TABLE scratch (a, b)", "INSERT INTO scratch VALUES (1, 2)");
        sameAnswers("SELECT * FROM scratch, owner ORDER BY 3");
    }

    @Test
    void aFileWithoutSuchTablesNoticesTheFirstOneEvenFromAnotherConnection() throws SQLException {
        String file = "jdbc:corrosion:" + dir.resolve("fresh.db");
        try (Connection c = DriverManager.getConnection(file); Connection other = DriverManager.getConnection(file)) {
            JdbcRows.exec(c, "CREATE TABLE k (id INTEGER PRIMARY KEY, x TEXT)", "INSERT INTO k VALUES (1, 'a')");
            assertThat(query(c, "SELECT * FROM k")).containsExactly(List.of("id", "x"), List.of("1", "a"));
            JdbcRows.exec(other, "CREATE TABLE later (x TEXT)", "INSERT INTO later VALUES ('b')");
            assertThat(query(c, "SELECT * FROM later")).containsExactly(List.of("x"), List.of("b"));
        }
    }

    @Test
    void aFileWithoutSuchTablesCountsThoseOfAFileItAttaches() throws SQLException {
        String backup = dir.resolve("backup.db").toString();
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + backup)) {
            JdbcRows.exec(c, "CREATE TABLE kept (x TEXT)", "INSERT INTO kept VALUES ('b')");
        }
        // However the ATTACH is written: after comments too.
        List<String> attaches = List.of("ATTACH '%s' AS backup", "/* restore */ -- the backup\n attach '%s' AS backup");
        for (int i = 0; i < attaches.size(); i++) {
            try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("fresh" + i + ".db"))) {
                JdbcRows.exec(c, "CREATE TABLE k (id INTEGER PRIMARY KEY, x TEXT)");
                assertThat(query(c, "SELECT * FROM k")).containsExactly(List.of("id", "x"));
                JdbcRows.exec(c, String.format(attaches.get(i), backup));
                assertThat(query(c, "SELECT * FROM backup.kept")).as(attaches.get(i))
                        .containsExactly(List.of("x"), List.of("b"));
            }
        }
    }

    private void execBoth(String... sql) throws SQLException {
        JdbcRows.exec(plain, sql);
        JdbcRows.exec(ours, sql);
    }

    /** Each query gives the same labels and rows on both drivers. */
    private void sameAnswers(String... queries) throws SQLException {
        for (String sql : queries) {
            assertThat(query(ours, sql)).as(sql).isEqualTo(query(plain, sql));
        }
    }

    /** Column labels, then every row's values, as strings. */
    private static List<List<String>> query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rows(rs);
        }
    }

    private static List<List<String>> rows(ResultSet rs) throws SQLException {
        try (rs) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> out = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            out.add(labels);
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }
}
