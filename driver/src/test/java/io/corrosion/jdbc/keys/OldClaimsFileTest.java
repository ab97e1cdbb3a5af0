package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.one;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.CrrEngine;
import io.corrosion.jdbc.crr.CrrSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * A file whose claims table an older driver made a CRR, its capture triggers still in place (ConfiguredSlotTest drops
 * them before dropping the column, so its "old file" has no capture at all), opened by this driver as a replicating
 * node beside a node with a new file: the claims, with {@code configured}, replicate both ways.
 */
class OldClaimsFileTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private String url(String name, String extra) {
        return "jdbc:corrosion:" + dir.resolve(name + ".db") + "?bind=127.0.0.1:0&tls.insecure=true" + extra;
    }

    /** What the driver before ac70910 left: the claims table without configured, a CRR with its capture. */
    private void oldFile(String name) throws SQLException {
        try (SQLiteConnection raw = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name + ".db"))) {
            try (Statement s = raw.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
            CrrSession session = CrrEngine.attach(raw);
            try (Statement s = raw.createStatement()) {
                s.execute("CREATE TABLE " + KeysSchema.SLOTS_TABLE + " (slot INTEGER PRIMARY KEY NOT NULL, "
                        + "site_id BLOB NOT NULL DEFAULT x'', claimed_at INTEGER NOT NULL DEFAULT 0)");
            }
            session.schema().asInternalCrr(KeysSchema.SLOTS_TABLE);
            try (Statement s = raw.createStatement()) {
                s.execute("INSERT INTO " + KeysSchema.SLOTS_TABLE + " VALUES (900, x'" + java.util.HexFormat.of()
                        .formatHex(session.siteId()) + "', 1)");
            }
            session.close();
        }
    }

    @Test
    void anOldFileWithItsClaimsCaptureOpensAndItsConfiguredClaimReplicates() throws SQLException {
        oldFile("old");
        Connection old = DriverManager.getConnection(url("old", "&node-slot=7"));
        Connection fresh = DriverManager.getConnection(url("new", ""));
        for (Connection c : List.of(old, fresh)) {
            exec(c, "create table t (id integer primary key, v text)");
        }
        exec(old, "insert into t (v) values ('x')");
        assertThat(IdScheme.slotOf(one(old, "select id from t"))).isEqualTo(7);
        for (int round = 0; round < 2; round++) {
            send(old, fresh);
            send(fresh, old);
        }
        assertThat(one(fresh, "select count(*) from " + KeysSchema.SLOTS_TABLE + " where slot = 7 and configured = 1"))
                .as("the old file's configured claim reached the new node").isEqualTo(1);
        assertThat(one(fresh, "select count(*) from " + KeysSchema.SLOTS_TABLE + " where slot = 900"))
                .as("the old file's earlier claim reached the new node").isEqualTo(1);
        assertThat(one(old, "select count(*) from t")).isEqualTo(1);
    }
}
