package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.insertKey;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restored with its predecessor's configured slot moves its keys ahead: also after the backup was opened to look
 * inside, and never from below 2^31 to beyond it (from a review).
 */
class RestoredSlotTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection open(String name, String query) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db") + (query.isEmpty() ? "" : "?" + query));
    }

    private static long insert(Connection c, String v) throws SQLException {
        return insertKey(c, "t", v);
    }

    /**
     * README: 'restore' takes the identity out "whatever made the backup ... and whoever opened it since: a backup
     * opened through the driver, even to look inside". Looking inside the backup (no node-slot on that URL) consumes
     * the copied-from-slot mark, and the node restored from it with its predecessor's slot then generates again the
     * keys its predecessor generated after the backup.
     */
    @Test
    void aBackupOpenedToLookInsideBeforeItsRestoreStillMovesTheRestoredNodesKeysAhead() throws SQLException {
        java.util.Set<Long> predecessorsKeys = new java.util.HashSet<>();
        try (Connection p = open("p", "node-slot=5")) {
            exec(p, "create table t (id integer primary key, v text)");
            insert(p, "before");
            exec(p, "VACUUM INTO '" + dir.resolve("backup.db") + "'");
            for (int i = 0; i < 3 * KeyAllocator.RESERVE_AHEAD; i++) { // beyond the backup's reservation
                predecessorsKeys.add(insert(p, "after the backup " + i));
            }
        }
        CorrosionDriver.shutdownAll();
        try (Connection look = open("backup", "")) { // an operator checks the backup
            assertThat(one(look, "select count(*) from t")).isEqualTo(1);
        }
        CorrosionDriver.shutdownAll();
        CorrosionDriver.forgetNodeIdentity(dir.resolve("backup.db").toString()); // restore --in-place
        try (Connection r = open("backup", "node-slot=5")) { // the restored node, same configuration
            assertThat(predecessorsKeys).as("the predecessor's keys after the backup")
                    .doesNotContain(insert(r, "restored, not synced"));
        }
    }

    /** Control (passes): the same restore without the look inside. */
    @Test
    void control_noLookInside_theRestoredNodesKeysMoveAhead() throws SQLException {
        java.util.Set<Long> predecessorsKeys = new java.util.HashSet<>();
        try (Connection p = open("p", "node-slot=5")) {
            exec(p, "create table t (id integer primary key, v text)");
            insert(p, "before");
            exec(p, "VACUUM INTO '" + dir.resolve("backup.db") + "'");
            for (int i = 0; i < 3 * KeyAllocator.RESERVE_AHEAD; i++) { // beyond the backup's reservation
                predecessorsKeys.add(insert(p, "after the backup " + i));
            }
        }
        CorrosionDriver.shutdownAll();
        CorrosionDriver.shutdownAll();
        CorrosionDriver.forgetNodeIdentity(dir.resolve("backup.db").toString()); // restore --in-place
        try (Connection r = open("backup", "node-slot=5")) { // the restored node, same configuration
            assertThat(predecessorsKeys).as("the predecessor's keys after the backup")
                    .doesNotContain(insert(r, "restored, not synced"));
        }
    }

    /**
     * An INT key (32-bit) whose counter is close to its end: the restore's +65,536 bump would move it past 2^31 - 1, and
     * the restored node's next insert would fail with 22003 where the predecessor still had keys. As merged keys, the
     * bump never moves a counter from below 2^31 to beyond it.
     */
    @Test
    void theRestoreBumpDoesNotUseUpAnIntKeysRange() throws SQLException {
        long top = (Integer.MAX_VALUE / 1024L - 1_000) * 1024 + 6; // a key in slot 5 about 1,000 keys below the end
        try (Connection p = open("p", "node-slot=5")) {
            exec(p, "create table t (id int primary key, v text)");
            exec(p, "insert into t (id, v) values (" + top + ", 'chosen by the application')");
            long next = insert(p, "generated");
            assertThat(next).isGreaterThan(top).isLessThanOrEqualTo(Integer.MAX_VALUE);
            exec(p, "VACUUM INTO '" + dir.resolve("backup.db") + "'");
        }
        try (Connection r = open("backup", "node-slot=5")) {
            long key = insert(r, "restored");
            assertThat(key).isLessThanOrEqualTo(Integer.MAX_VALUE);
        }
    }
}
