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

/** {@code corrosion backup} and {@code corrosion restore}: copies a node can start from, as a new site. */
class BackupCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static CorrosionConnection open(Path file, String settings) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + file + settings).unwrap(CorrosionConnection.class);
    }

    private static List<String> changes(CorrosionConnection c) throws SQLException {
        return c.changesSince(0).stream().map(Change::toString).sorted().toList();
    }

    private CorrosionConnection node(String settings) throws SQLException {
        CorrosionConnection c = open(dir.resolve("node.db"), settings);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO item (name) VALUES ('a'), ('b')");
            s.execute("UPDATE item SET name = 'B' WHERE name = 'b'");
        }
        return c;
    }

    private static long insertedKey(CorrosionConnection c, String name) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO item (name) VALUES ('" + name + "')");
            return s.executeQuery("SELECT id FROM item WHERE name = '" + name + "'").getLong(1);
        }
    }

    @Test
    void copiesARunningNodesFileAsANewSiteWithEveryChange() throws Exception {
        CorrosionConnection running = node("");
        String site = HexFormat.of().formatHex(running.siteId());
        Path copy = dir.resolve("backup.db");
        Cli r = Cli.run("backup", dir.resolve("node.db").toString(), copy.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("runs as a new site").contains(site).doesNotContain("node-slot");
        try (CorrosionConnection restored = open(copy, "")) {
            assertThat(restored.siteId()).isNotEqualTo(running.siteId());
            assertThat(changes(restored)).isEqualTo(changes(running));
        }
    }

    @Test
    void twoNodesRestoredFromOneBackupAreTwoNewSitesEvenAfterTheBackupWasOpened() throws Exception {
        Path backup = dir.resolve("backup.db");
        int formerSlot;
        try (CorrosionConnection running = node("")) {
            formerSlot = (int) ((insertedKey(running, "former") - 1) % 1024);
            assertThat(Cli.run("backup", dir.resolve("node.db").toString(), backup.toString()).exitCode()).isZero();
        }
        try (CorrosionConnection look = open(backup, "")) { // a look inside gives the backup an identity of its own
            assertThat(look.createStatement().executeQuery("SELECT count(*) FROM item").getInt(1)).isEqualTo(3);
        }
        CorrosionDriver.shutdownAll();
        Path first = dir.resolve("first.db");
        Path second = dir.resolve("second.db");
        for (Path node : List.of(first, second)) {
            Cli r = Cli.run("restore", backup.toString(), node.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("Restored", "runs as a new site");
        }
        try (CorrosionConnection a = open(first, ""); CorrosionConnection b = open(second, "")) {
            assertThat(a.siteId()).isNotEqualTo(b.siteId());
            // Each claims a slot other than its predecessor's; not always other than each other's: nodes that never
            // saw each other's claims can pick one slot (1 in 1024), which node-slot rules out (README).
            assertThat(List.of((insertedKey(a, "first") - 1) % 1024, (insertedKey(b, "second") - 1) % 1024))
                    .as("key slots").doesNotContain((long) formerSlot);
        }
    }

    @Test
    void inPlaceTakesTheIdentityOutOfACopyMadeOtherwiseOnce() throws Exception {
        byte[] site;
        try (CorrosionConnection c = node("")) {
            site = c.siteId();
        }
        CorrosionDriver.shutdownAll();
        Path copy = dir.resolve("copied.db");
        Files.copy(dir.resolve("node.db"), copy);
        Cli first = Cli.run("restore", "--in-place", copy.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains(HexFormat.of().formatHex(site));
        Cli again = Cli.run("restore", "--in-place", copy.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("has no node identity");
        try (CorrosionConnection c = open(copy, "")) {
            assertThat(c.siteId()).isNotEqualTo(site);
        }
    }

    @Test
    void aConfiguredSlotIsNamedForTheNodeToBeStartedFromTheCopy() throws Exception {
        node("?node-slot=7").close();
        CorrosionDriver.shutdownAll();
        Cli r = Cli.run("backup", dir.resolve("node.db").toString(), dir.resolve("copy.db").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("node-slot 7 configured");
    }

    @Test
    void refusesWhatWouldLoseSomething() throws Exception {
        node("").close();
        CorrosionDriver.shutdownAll();
        Path existing = dir.resolve("existing.db");
        Files.writeString(existing, "keep me");
        for (String command : List.of("backup", "restore")) {
            Cli taken = Cli.run(command, dir.resolve("node.db").toString(), existing.toString());
            assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(1);
            assertThat(taken.err()).contains("exists already");
            assertThat(Files.readString(existing)).isEqualTo("keep me");
        }

        Cli missing = Cli.run("backup", dir.resolve("nothing.db").toString(), dir.resolve("x.db").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("No database file");
        assertThat(Files.exists(dir.resolve("nothing.db"))).isFalse();

        Cli nowhere = Cli.run("backup", dir.resolve("node.db").toString(), dir.resolve("no/such/dir.db").toString());
        assertThat(nowhere.exitCode()).as(nowhere.toString()).isEqualTo(1);
        assertThat(nowhere.err()).contains("(SQLState ");

        Path copy = dir.resolve("copy.db");
        Files.copy(dir.resolve("node.db"), copy);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement s = other.createStatement()) {
            s.executeQuery("SELECT count(*) FROM crsql_site_id").close(); // as a running node holds its file open
            Cli open = Cli.run("restore", "--in-place", copy.toString());
            assertThat(open.exitCode()).as(open.toString()).isEqualTo(1);
            assertThat(open.err()).contains("open elsewhere", "55006");
            assertThat(s.executeQuery("SELECT count(*) FROM crsql_site_id WHERE ordinal = 0").getInt(1)).isEqualTo(1);
        }

        Path rollback = dir.resolve("rollback.db");
        Files.copy(dir.resolve("node.db"), rollback);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rollback); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
        }
        Cli unsure = Cli.run("restore", "--in-place", rollback.toString());
        assertThat(unsure.exitCode()).as(unsure.toString()).isEqualTo(1);
        assertThat(unsure.err()).contains("journal_mode=delete", "55000");
        Cli renewed = Cli.run("restore", rollback.toString(), dir.resolve("renewed.db").toString());
        assertThat(renewed.exitCode()).as("a new copy in any journal mode: " + renewed).isZero();

        Cli noTarget = Cli.run("restore", dir.resolve("node.db").toString());
        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.err()).contains("Missing DATABASE");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("node.db"));
                Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM crsql_site_id WHERE ordinal = 0").getInt(1)).isEqualTo(1);
        }
    }
}
