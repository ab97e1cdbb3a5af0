package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void dumpsEveryChangeSinceAVersionAsJsonLines() throws Exception {
        String db = dir.resolve("a.db").toString();
        String site;
        long afterFirst;
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + db); Statement s = c.createStatement()) {
            CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
            s.execute("CREATE TABLE item (id INTEGER NOT NULL, tag TEXT NOT NULL, qty INTEGER, img BLOB,"
                    + " PRIMARY KEY (id, tag))");
            s.executeUpdate("INSERT INTO item VALUES (1, 'x', 5, x'beef')");
            afterFirst = cc.dbVersion();
            s.executeUpdate("UPDATE item SET qty = 6 WHERE id = 1");
            s.executeUpdate("DELETE FROM item WHERE id = 1");
            site = HexFormat.of().formatHex(cc.siteId());
        }
        List<JsonNode> all = lines(Cli.run("changes", "--table", "item", db));
        assertThat(all).isNotEmpty().allSatisfy(change -> {
            assertThat(change.get("table").asText()).isEqualTo("item");
            assertThat(change.get("site_id").asText()).isEqualTo(site);
            assertThat(change.get("pk_values").get(0).asLong()).isEqualTo(1);
            assertThat(change.get("pk_values").get(1).asText()).isEqualTo("x");
        });
        // After the delete only the sentinel is left: cl 2 (deleted), at the delete's db version.
        assertThat(all).singleElement().satisfies(sentinel -> {
            assertThat(sentinel.get("cid").asText()).isEqualTo("-1");
            assertThat(sentinel.get("cl").asLong()).isEqualTo(2);
            assertThat(sentinel.get("db_version").asLong()).isEqualTo(afterFirst + 2);
        });
        assertThat(lines(Cli.run("changes", "--since", Long.toString(afterFirst + 2), db))).isEmpty();
        // a file without bind or seeds keeps its key-slot claim local: only the application's table shows
        assertThat(lines(Cli.run("changes", db))).isNotEmpty()
                .allSatisfy(change -> assertThat(change.get("table").asText()).isEqualTo("item"));
    }

    @Test
    void filtersBySiteAndVersionAndPrintsBlobsAsHex() throws Exception {
        String db = dir.resolve("b.db").toString();
        String site;
        long first;
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE doc (id INTEGER PRIMARY KEY, body BLOB)");
            for (int i = 1; i <= 3; i++) {
                s.executeUpdate("INSERT INTO doc VALUES (" + i + ", x'0" + i + "')");
            }
            CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
            site = HexFormat.of().formatHex(cc.siteId());
            first = cc.dbVersion() - 2;
        }
        List<JsonNode> since1 = lines(Cli.run("changes", "-s", Long.toString(first), "--site", site, db));
        assertThat(since1).extracting(n -> n.get("db_version").asLong())
                .containsExactly(first + 1, first + 2); // one change each: the body (an insert with columns has no sentinel)
        assertThat(since1).extracting(n -> n.get("val").get("blob").asText()).containsExactly("02", "03");
        assertThat(lines(Cli.run("changes", "--limit", "1", db))).hasSize(1);
        assertThat(lines(Cli.run("changes", "--site", "00".repeat(16), db))).isEmpty();
    }

    @Test
    void badArgumentsAreRefused() {
        String db = dir.resolve("c.db").toString();
        Cli.run("sql", "--create", db, "CREATE TABLE t (id INTEGER PRIMARY KEY)");
        Cli negative = Cli.run("changes", "--since", "-1", db);
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("--since must be 0 or more, not -1");
        Cli notANumber = Cli.run("changes", "--since", "ten", db);
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("Invalid value for option '--since': 'ten' is not a long");
        Cli badSite = Cli.run("changes", "--site", "xyz", db);
        assertThat(badSite.exitCode()).isEqualTo(2);
        assertThat(badSite.err()).contains("--site wants a site id of 32 hex digits, not 'xyz'");
        Cli badLimit = Cli.run("changes", "--limit", "0", db);
        assertThat(badLimit.exitCode()).isEqualTo(2);
        Cli missing = Cli.run("changes", dir.resolve("nope.db").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no database file");
    }

    private static List<JsonNode> lines(Cli r) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }
}
