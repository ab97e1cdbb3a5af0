package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'corrosion backup' and 'corrosion restore' when something fails: no copy that keeps the identity, or half written. */
class BackupRestoreFailuresTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Path node() throws SQLException {
        Path file = dir.resolve("node.db");
        try (CorrosionConnection c = DriverManager.getConnection("jdbc:corrosion:" + file)
                .unwrap(CorrosionConnection.class); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO item (name) VALUES ('a'), ('b')");
        }
        CorrosionDriver.shutdownAll();
        return file;
    }

    private static String localSite(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT hex(site_id) FROM crsql_site_id WHERE ordinal = 0")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void plain(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A text file as the source: exit 1 with a message, and no target left behind. */
    @Test
    void aTextFileIsNoDatabase() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a database, just some text that is long enough to have a header".repeat(10));
        Path target = dir.resolve("copy.db");
        Cli r = Cli.run("backup", text.toString(), target.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).contains("SQLState");
        assertThat(Files.exists(target)).as("no copy left: " + r).isFalse();
        Cli inPlace = Cli.run("restore", "--in-place", text.toString());
        assertThat(inPlace.exitCode()).as(inPlace.toString()).isEqualTo(1);
    }

    /**
     * The copy is made, but its identity cannot be taken out (here: a format newer than this version reads). The
     * command fails, but leaves the copy, with the node's identity, under the name asked for; a rerun then says
     * "exists already", and a newer corrosion starts a twin of the node from it.
     */
    @Test
    void aCopyWhoseIdentityCannotBeTakenOutIsNotLeftBehind() throws Exception {
        Path source = node();
        String site = localSite(source);
        plain(source, "UPDATE crsql_master SET value = 99 WHERE key = 'corrosion_format'");
        Path target = dir.resolve("copy.db");
        Cli r = Cli.run("backup", source.toString(), target.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(Files.exists(target) ? localSite(target) : null)
                .as("copy left at %s after: %s", target, r).isNotEqualTo(site);
    }

    /** A source corrupt past its first pages: VACUUM INTO fails part way. No half-written copy is left. */
    @Test
    void aFailedCopyLeavesNoHalfWrittenFile() throws Exception {
        Path source = node();
        plain(source, "PRAGMA journal_mode=DELETE");
        plain(source, "CREATE TABLE big (x BLOB)");
        plain(source, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
                + " INSERT INTO big SELECT randomblob(3000) FROM n");
        long size = Files.size(source);
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.seek(size - 4096 * 20); // garble pages near the end (the big table's)
            f.write(new byte[4096 * 10]);
            for (int i = 0; i < 4096 * 10; i += 97) {
                f.seek(size - 4096 * 20 + i);
                f.write(0x0d);
            }
        }
        Path target = dir.resolve("copy.db");
        Cli r = Cli.run("backup", source.toString(), target.toString());
        if (r.exitCode() != 0) {
            assertThat(Files.exists(target)).as("half-written copy left after: " + r).isFalse();
        }
    }

    /**
     * The lost node crashed and left its -wal; the operator deleted node.db only. 'restore' refuses to put a copy
     * beside the stale -wal, which SQLite would apply to it; once it is deleted, the restored file holds the backup's
     * rows.
     */
    @Test
    void aStaleWalOfTheLostNodeIsNotPairedWithTheRestoredFile() throws Exception {
        Path source = node();
        Path backup = dir.resolve("backup.db");
        assertThat(Cli.run("backup", source.toString(), backup.toString()).exitCode()).isZero();
        // the lost node wrote on, and its -wal stayed behind
        Path savedWal = dir.resolve("saved-wal");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0");
            s.execute("CREATE TABLE later (x)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
                    + " INSERT INTO later SELECT randomblob(2000) FROM n");
            Files.copy(Path.of(source + "-wal"), savedWal);
        }
        Files.delete(source);
        Files.deleteIfExists(Path.of(source + "-shm"));
        Files.copy(savedWal, Path.of(source + "-wal"), StandardCopyOption.REPLACE_EXISTING);
        Cli refused = Cli.run("restore", backup.toString(), source.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains(source + "-wal exists");
        assertThat(Files.exists(source)).isFalse();
        Files.delete(Path.of(source + "-wal"));
        Cli r = Cli.run("restore", backup.toString(), source.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'later'").getInt(1))
                    .as("a table of the lost node's stale -wal").isZero();
            assertThat(s.executeQuery("SELECT count(*) FROM item").getInt(1)).as("rows of the backup").isEqualTo(2);
            assertThat(s.executeQuery("PRAGMA integrity_check").getString(1)).isEqualTo("ok");
        }
    }

    /** restore --in-place with the copy and a -wal copied with it: the -wal's rows are kept. */
    @Test
    void inPlaceWithAWalCopiedAlong() throws Exception {
        Path source = node();
        String site = localSite(source);
        Path copy = dir.resolve("copied.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = 0");
            s.execute("CREATE TABLE plain_t (x)");
            s.execute("INSERT INTO plain_t VALUES (1), (2), (3)");
            Files.copy(source, copy);
            Files.copy(Path.of(source + "-wal"), Path.of(copy + "-wal"));
        }
        Cli r = Cli.run("restore", "--in-place", copy.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains(site.toLowerCase());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM plain_t").getInt(1)).isEqualTo(3);
        }
        assertThat(localSite(copy)).isNull();
        assertThat(HexFormat.of().formatHex(new byte[0])).isEmpty();
    }
}
