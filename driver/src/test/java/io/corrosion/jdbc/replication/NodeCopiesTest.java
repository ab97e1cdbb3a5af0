package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of a node's file made to run as a node loses the node's identity ({@link NodeCopies}): through the driver's
 * {@code BACKUP TO} and {@code VACUUM INTO}, or {@link CorrosionDriver#forgetNodeIdentity} for a copy made otherwise.
 * The copy then holds every change under the same site ids and versions as the original, its own former site's among
 * them as a remote site's, and the node started from it is a new site in a new key slot.
 */
class NodeCopiesTest {
    /** Keys per slot stride ({@code IdScheme.SLOTS}): a generated key's slot is {@code (key - 1) % 1024}. */
    private static final int SLOTS = 1024;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static CorrosionConnection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + file).unwrap(CorrosionConnection.class);
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> text(List<Change> changes) {
        return changes.stream().map(Change::toString).sorted().toList();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static long lastGeneratedKey(Connection c, String value) throws SQLException {
        return (Long) Rows.query(c, "SELECT max(id) FROM g WHERE v = '" + value + "'").get(0).get(0);
    }

    /** A node with local writes of every kind (row by row, a bulk batch, a delete) and a remote site's change merged. */
    private CorrosionConnection nodeWithHistory() throws SQLException {
        CorrosionConnection a = open(dir.resolve("a.db"));
        exec(a, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
        exec(a, "CREATE TABLE g (id INTEGER PRIMARY KEY, v TEXT)");
        exec(a, "INSERT INTO kv VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        exec(a, "UPDATE kv SET v = 'TWO' WHERE k = 2");
        exec(a, "DELETE FROM kv WHERE k = 3");
        a.setAutoCommit(false);
        try (PreparedStatement p = a.prepareStatement("INSERT INTO g (v) VALUES (?)")) {
            for (int i = 0; i < 200; i++) {
                p.setString(1, "bulk");
                p.addBatch();
            }
            p.executeBatch();
        }
        a.commit();
        a.setAutoCommit(true);
        exec(a, "UPDATE g SET v = 'changed' WHERE id = (SELECT min(id) FROM g)");
        try (CorrosionConnection r = open(dir.resolve("r.db"))) {
            exec(r, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            exec(r, "INSERT INTO kv VALUES (10, 'remote')");
            assertThat(a.applyChanges(r.changesSince(0))).isPositive();
        }
        return a;
    }

    @Test
    void aBackupThroughTheDriverKeepsEveryChangeAndStartsAsANewSiteInANewSlot() throws Exception {
        CorrosionConnection a = nodeWithHistory();
        byte[] site = a.siteId();
        long version = a.dbVersion();
        List<String> changes = text(a.changesSince(0));
        List<List<Object>> versions = Rows.query(a, "SELECT hex(site_id), db_version FROM crsql_db_versions ORDER BY 1");
        List<String> ownVersions = text(a.changes(site, 1, version));
        int slot = (int) ((lastGeneratedKey(a, "bulk") - 1) % SLOTS);
        Path copy = dir.resolve("backup.db");
        exec(a, "BACKUP TO " + copy);

        try (CorrosionConnection b = open(copy)) {
            assertThat(b.siteId()).isNotEqualTo(site);
            assertThat(text(b.changesSince(0))).isEqualTo(changes);
            assertThat(Rows.query(b, "SELECT hex(site_id), db_version FROM crsql_db_versions ORDER BY 1"))
                    .isEqualTo(versions);
            assertThat(text(b.changes(site, 1, version))).as("the former site's versions, read as sync reads them")
                    .isEqualTo(ownVersions);
            assertThat(b.dbVersion()).isZero();
            assertThat(Rows.query(b, "SELECT k, v FROM kv ORDER BY k"))
                    .isEqualTo(Rows.query(a, "SELECT k, v FROM kv ORDER BY k"));

            exec(b, "INSERT INTO g (v) VALUES ('after')");
            assertThat(b.dbVersion()).isEqualTo(1);
            String newSite = hex(b.siteId());
            assertThat(b.changesSince(0)).filteredOn(c -> c.dbVersion() == 1 && hex(c.siteId()).equals(newSite))
                    .isNotEmpty();
            assertThat((lastGeneratedKey(b, "after") - 1) % SLOTS).as("a slot of its own").isNotEqualTo(slot);
        }
    }

    @Test
    void vacuumIntoThroughTheDriverDetachesItsCopyToo() throws Exception {
        CorrosionConnection a = nodeWithHistory();
        Path copy = dir.resolve("it's a copy.db");
        exec(a, "VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
        assertThat(CorrosionDriver.forgetNodeIdentity(copy.toString())).as("done already").isFalse();
        try (CorrosionConnection b = open(copy)) {
            assertThat(b.siteId()).isNotEqualTo(a.siteId());
            assertThat(text(b.changesSince(0))).isEqualTo(text(a.changesSince(0)));
        }
    }

    @Test
    void aCopyMadeBesideTheDriverHasItsUnflushedLogRecoveredBeforeItsSiteIsDetached() throws Exception {
        CorrosionConnection a = nodeWithHistory();
        for (int i = 20; i < 40; i++) {
            exec(a, "INSERT INTO kv VALUES (" + i + ", 'late')"); // in the journal: the log gets them within seconds
        }
        Path copy = dir.resolve("raw-copy.db");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                Statement s = plain.createStatement()) {
            s.execute("backup to " + copy); // sqlite-jdbc's, beside the driver: a WAL-mode copy, identity and all
        }
        byte[] site = a.siteId();
        long version = a.dbVersion();
        List<String> ownVersions = text(a.changes(site, 1, version));

        assertThat(CorrosionDriver.forgetNodeIdentity(copy.toString())).isTrue();
        try (CorrosionConnection b = open(copy)) {
            assertThat(b.siteId()).isNotEqualTo(site);
            assertThat(text(b.changes(site, 1, version))).isEqualTo(ownVersions);
            assertThat(Rows.query(b, "SELECT db_version FROM crsql_db_versions WHERE site_id = x'" + hex(site) + "'"))
                    .containsExactly(List.of(version));
        }
    }

    @Test
    void onlyACopyThatNothingHasOpenLosesItsIdentity() throws Exception {
        CorrosionConnection a = nodeWithHistory();
        byte[] site = a.siteId();
        assertThatThrownBy(() -> CorrosionDriver.forgetNodeIdentity(dir.resolve("a.db").toString()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55006"));
        assertThatThrownBy(() -> CorrosionDriver.forgetNodeIdentity(dir.resolve("none.db").toString()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("58030"));
        assertThat(Files.exists(dir.resolve("none.db"))).isFalse();
        assertThat(a.siteId()).isEqualTo(site);

        Path plain = dir.resolve("plain.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain)) {
            exec(c, "CREATE TABLE t (x)");
            exec(c, "INSERT INTO t VALUES (1)");
        }
        assertThat(CorrosionDriver.forgetNodeIdentity(plain.toString())).as("not a corrosion database").isFalse();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain)) {
            assertThat(Rows.query(c, "SELECT name FROM sqlite_master")).containsExactly(List.of("t"));
        }
    }
}
