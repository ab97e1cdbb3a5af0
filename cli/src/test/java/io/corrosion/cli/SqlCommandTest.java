package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void createsACrrWritesAndPrintsRowsAsATable() throws Exception {
        String db = dir.resolve("app.db").toString();
        Cli r = Cli.run("sql", "--create", db, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, price REAL, img BLOB)",
                "INSERT INTO item (name, price, img) VALUES ('apple', 1.5, x'cafe'), ('pear', NULL, NULL)",
                "SELECT name, price, img FROM item ORDER BY name");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                0 rows changed
                2 rows changed
                name  | price | img
                ------+-------+--------
                apple | 1.5   | x'cafe'
                pear  | NULL  | NULL
                (2 rows)
                """);
        // The table is a CRR: its changes are in crsql_changes, ready to replicate.
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + db);
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM crsql_changes WHERE \"table\" = 'item'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(6); // 2 rows x 3 columns
        }
    }

    @Test
    void printsJsonLinesWithTypedValues() throws Exception {
        String db = dir.resolve("app.db").toString();
        Cli.run("sql", "--create", db, "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, r REAL, b BLOB)",
                "INSERT INTO t VALUES (1, '12', 0.25, x'00ff')");
        Cli r = Cli.run("sql", "-f", "json", db, "SELECT id, s, r, b, NULL AS n FROM t");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode row = new ObjectMapper().readTree(r.out().strip());
        assertThat(row.get("id").isIntegralNumber()).isTrue();
        assertThat(row.get("id").asLong()).isEqualTo(1);
        assertThat(row.get("s").isTextual()).isTrue();
        assertThat(row.get("s").asText()).isEqualTo("12");
        assertThat(row.get("r").asDouble()).isEqualTo(0.25);
        assertThat(row.get("b").get("blob").asText()).isEqualTo("00ff");
        assertThat(row.get("n").isNull()).isTrue();
    }

    @Test
    void aFailingStatementPrintsTheErrorWithItsSqlStateAndExits1() throws Exception {
        String db = dir.resolve("app.db").toString();
        Cli.run("sql", "--create", db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        Cli syntax = Cli.run("sql", db, "SELEC 1");
        assertThat(syntax.exitCode()).as(syntax.toString()).isEqualTo(1);
        assertThat(syntax.err()).startsWith("error: ").contains("(SQLState 42000)");

        Cli constraint = Cli.run("sql", db, "INSERT INTO t (id, v) VALUES (1, 'a')", "INSERT INTO t (id, v) VALUES (1, 'b')");
        assertThat(constraint.exitCode()).isEqualTo(1);
        assertThat(constraint.out()).isEqualTo("1 row changed\n");
        assertThat(constraint.err()).contains("(SQLState 23505)");
        assertThat(Cli.run("sql", db, "SELECT v FROM t").out()).contains("a\n(1 row)");
    }

    @Test
    void aMissingFileIsNotCreatedByATypoAndBadPropertiesAreNamed() {
        Path missing = dir.resolve("typo.db");
        Cli r = Cli.run("sql", missing.toString(), "SELECT 1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: no database file " + missing + " (add --create to make one)\n");
        assertThat(Files.exists(missing)).isFalse();
        Cli missingUrl = Cli.run("sql", "jdbc:corrosion:" + missing + "?busy_timeout=1000", "SELECT 1");
        assertThat(missingUrl.exitCode()).as("a URL to a missing file").isEqualTo(1);
        assertThat(missingUrl.err()).contains("no database file");
        assertThat(Files.exists(missing)).isFalse();
        Cli memory = Cli.run("sql", ":memory:", "SELECT 1 AS one");
        assertThat(memory.exitCode()).as(memory.toString()).isZero();

        Cli badKey = Cli.run("sql", "--create", "-P", "fanuot=3", dir.resolve("x.db").toString(), "SELECT 1");
        assertThat(badKey.exitCode()).isEqualTo(1);
        assertThat(badKey.err()).contains("fanuot").contains("(SQLState 08001)");

        Cli notOurs = Cli.run("sql", "jdbc:sqlite:" + dir.resolve("x.db"), "SELECT 1");
        assertThat(notOurs.exitCode()).isEqualTo(1);
        assertThat(notOurs.err()).contains("not a jdbc:corrosion: URL");

        Cli noSql = Cli.run("sql", dir.resolve("x.db").toString());
        assertThat(noSql.exitCode()).isEqualTo(2);
        assertThat(noSql.err()).contains("Missing required parameter: 'SQL'");

        Cli badFormat = Cli.run("sql", "-f", "xml", dir.resolve("x.db").toString(), "SELECT 1");
        assertThat(badFormat.exitCode()).isEqualTo(2);
        assertThat(badFormat.err()).contains("Invalid value for option '--format'");
    }

    @Test
    void aUrlWithKeysWorksAsTheDatabase() {
        String url = "jdbc:corrosion:" + dir.resolve("u.db") + "?busy_timeout=1000";
        Cli r = Cli.run("sql", "--create", url, "CREATE TABLE t (id INTEGER PRIMARY KEY)", "SELECT count(*) AS n FROM t");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).endsWith("n\n-\n0\n(1 row)\n");
        assertThat(List.of(r.err())).containsExactly("");
    }
}
