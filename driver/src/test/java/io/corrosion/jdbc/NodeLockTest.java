package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node lock in one JVM (the processes: replication/NodeProcessesTest), from a review of it. */
class NodeLockTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /** Whether some process (this JVM included) holds the node lock of {@code file}. */
    private static boolean lockHeld(Path file) throws Exception {
        Path lock = file.resolveSibling(file.getFileName() + "-node.lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this JVM
        }
    }

    /**
     * The first connection to a file in this JVM asks for read-only; a second, read-write connection to the same file
     * shares its database and writes: it takes the node lock (it wrote without it, and another process could then open
     * the file as its node).
     */
    @Test
    void aReadWriteConnectionAfterAReadOnlyFirstTakesTheNodeLock() throws Exception {
        Path file = dir.resolve("x.db");
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        }
        CorrosionDriver.shutdownAll();
        try (Connection ro = DriverManager.getConnection("jdbc:corrosion:" + file + "?open_mode=1");
                Connection rw = DriverManager.getConnection("jdbc:corrosion:" + file)) {
            assertThat(ro.isReadOnly()).isTrue();
            try (Statement s = rw.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO t (id, v) VALUES (1, 'written')")).isEqualTo(1);
            }
            assertThat(lockHeld(file)).as("the JVM that writes the file holds its node lock").isTrue();
        }
        assertThat(lockHeld(file)).as("until it shuts the file down").isTrue();
        CorrosionDriver.shutdownAll();
        assertThat(lockHeld(file)).isFalse();
    }

    /** A file opened read-only on purpose with a file: URI (mode=ro): it failed to open (the driver wrote its marks). */
    @Test
    void aFileUriWithModeRoOpensAndReads() throws Exception {
        Path file = dir.resolve("y.db");
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO t VALUES (1, 'x')");
        }
        CorrosionDriver.shutdownAll();
        try (Connection ro = DriverManager.getConnection("jdbc:corrosion:file:" + file + "?mode=ro");
                Statement s = ro.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(ro.isReadOnly()).isTrue();
        }
        assertThat(lockHeld(file)).as("a JVM that only reads takes no lock").isFalse();
    }
}
