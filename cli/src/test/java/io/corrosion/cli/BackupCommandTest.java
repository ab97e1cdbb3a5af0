package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static CorrosionConnection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + file).unwrap(CorrosionConnection.class);
    }

    private static List<String> changes(CorrosionConnection c) throws SQLException {
        return c.changesSince(0).stream().map(Change::toString).sorted().toList();
    }

    private CorrosionConnection node() throws SQLException {
        CorrosionConnection c = open(dir.resolve("node.db"));
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO item (name) VALUES ('a'), ('b')");
            s.execute("UPDATE item SET name = 'B' WHERE name = 'b'");
        }
        return c;
    }

    @Test
    void copiesARunningNodesFileAsANewSiteWithEveryChange() throws Exception {
        CorrosionConnection running = node();
        String site = HexFormat.of().formatHex(running.siteId());
        Path copy = dir.resolve("backup.db");
        Cli r = Cli.run("backup", dir.resolve("node.db").toString(), copy.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("runs as a new site").contains(site);
        try (CorrosionConnection restored = open(copy)) {
            assertThat(restored.siteId()).isNotEqualTo(running.siteId());
            assertThat(changes(restored)).isEqualTo(changes(running));
        }
    }

    @Test
    void inPlaceTakesTheIdentityOutOfACopyMadeOtherwiseOnce() throws Exception {
        byte[] site;
        try (CorrosionConnection c = node()) {
            site = c.siteId();
        }
        CorrosionDriver.shutdownAll();
        Path copy = dir.resolve("copied.db");
        Files.copy(dir.resolve("node.db"), copy);
        Cli first = Cli.run("backup", "--in-place", copy.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains(HexFormat.of().formatHex(site));
        Cli again = Cli.run("backup", "--in-place", copy.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("has no node identity");
        try (CorrosionConnection c = open(copy)) {
            assertThat(c.siteId()).isNotEqualTo(site);
        }
    }

    @Test
    void refusesWhatWouldLoseSomething() throws Exception {
        node().close();
        CorrosionDriver.shutdownAll();
        Path existing = dir.resolve("existing.db");
        Files.writeString(existing, "keep me");
        Cli taken = Cli.run("backup", dir.resolve("node.db").toString(), existing.toString());
        assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(1);
        assertThat(taken.err()).contains("exists already");
        assertThat(Files.readString(existing)).isEqualTo("keep me");

        Cli missing = Cli.run("backup", dir.resolve("nothing.db").toString(), dir.resolve("x.db").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no database file");
        assertThat(Files.exists(dir.resolve("nothing.db"))).isFalse();

        Path copy = dir.resolve("copy.db");
        Files.copy(dir.resolve("node.db"), copy);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement s = other.createStatement()) {
            s.executeQuery("SELECT count(*) FROM crsql_site_id").close(); // as a running node holds its file open
            Cli open = Cli.run("backup", "--in-place", copy.toString());
            assertThat(open.exitCode()).as(open.toString()).isEqualTo(1);
            assertThat(open.err()).contains("open elsewhere", "55006");
            assertThat(s.executeQuery("SELECT count(*) FROM crsql_site_id WHERE ordinal = 0").getInt(1)).isEqualTo(1);
        }

        Cli noTarget = Cli.run("backup", dir.resolve("node.db").toString());
        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.err()).contains("Missing TARGET");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("node.db"));
                Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM crsql_site_id WHERE ordinal = 0").getInt(1)).isEqualTo(1);
        }
    }
}
