package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.ChangesSql;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose slot is configured ({@code node-slot}) and a node that claimed the same slot: once their claims meet,
 * the claiming node moves, whatever their site ids, because the configured one never does. Two replicating nodes
 * (their agents have no peers), synced by hand through {@code crsql_changes}.
 */
class ConfiguredSlotTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private String url(String name, String extra) {
        return "jdbc:corrosion:" + dir.resolve(name + ".db") + "?bind=127.0.0.1:0&tls.insecure=true" + extra;
    }

    private static long slotOfNextKey(Connection c) throws SQLException {
        exec(c, "insert into t (v) values ('x')");
        return IdScheme.slotOf(one(c, "select id from t where rowid = last_insert_rowid()"));
    }

    /** Sends one node's changes to another, as a sync tool would. */
    @FunctionalInterface
    private interface Sync {
        void send(Connection from, Connection to) throws SQLException;
    }

    @Test
    void aClaimingNodeMovesOffAConfiguredSlotEvenWithTheLowerSiteId() throws SQLException {
        claimingNodeMovesOffConfiguredSlot(GeneratedKeysTest::send);
    }

    /** Claims merged by an {@code INSERT INTO crsql_changes} of literal rows meet the same rule, after the statement. */
    @Test
    void aClaimMergedByAnInsertIntoCrsqlChangesMeetsTheSameRule() throws SQLException {
        claimingNodeMovesOffConfiguredSlot(ConfiguredSlotTest::sendAsSql);
    }

    /** ... in the application's transaction, when the statement runs in one. */
    @Test
    void aClaimMergedByAnInsertIntoCrsqlChangesInATransactionMeetsTheRuleInIt() throws SQLException {
        claimingNodeMovesOffConfiguredSlot((from, to) -> {
            to.setAutoCommit(false);
            sendAsSql(from, to);
            to.commit();
            to.setAutoCommit(true);
        });
    }

    /**
     * ... when a later statement of the same string fails: the claims merged by the statements before it stay (each
     * committed on its own in auto-commit), and so meet the rule.
     */
    @Test
    void aClaimMergedBeforeAFailingStatementOfTheSameStringMeetsTheRule() throws SQLException {
        claimingNodeMovesOffConfiguredSlot((from, to) -> {
            String merge = changesSqlFor(from, to);
            if (!merge.isEmpty()) {
                assertThatThrownBy(() -> exec(to, merge + "; insert into t (id, v) values ('not a key', 'x')"))
                        .isInstanceOf(SQLException.class);
            }
        });
    }

    /** ... and when a later statement of the same JDBC batch fails. */
    @Test
    void aClaimMergedBeforeAFailingStatementOfTheSameBatchMeetsTheRule() throws SQLException {
        claimingNodeMovesOffConfiguredSlot((from, to) -> {
            String merge = changesSqlFor(from, to);
            if (!merge.isEmpty()) {
                try (Statement s = to.createStatement()) {
                    s.addBatch(merge);
                    s.addBatch("insert into t (id, v) values ('not a key', 'x')");
                    assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class);
                }
            }
        });
    }

    private static void sendAsSql(Connection from, Connection to) throws SQLException {
        String merge = changesSqlFor(from, to);
        if (!merge.isEmpty()) {
            exec(to, merge);
        }
    }

    /** The INSERT INTO crsql_changes that sends {@code from}'s changes to {@code to}; empty if there are none. */
    private static String changesSqlFor(Connection from, Connection to) throws SQLException {
        byte[] theirs = to.unwrap(CorrosionConnection.class).siteId();
        List<Change> out = from.unwrap(CorrosionConnection.class).changesSince(0).stream()
                .filter(ch -> !Arrays.equals(ch.siteId(), theirs)).toList();
        return out.isEmpty() ? "" : ChangesSql.insert(out);
    }

    private void claimingNodeMovesOffConfiguredSlot(Sync sync) throws SQLException {
        Connection a = DriverManager.getConnection(url("a", ""));
        Connection b = DriverManager.getConnection(url("b", ""));
        for (Connection c : List.of(a, b)) {
            exec(c, "create table t (id integer primary key, v text)");
        }
        boolean aLower = SlotClaims.keepsSlot(a.unwrap(CorrosionConnection.class).siteId(),
                b.unwrap(CorrosionConnection.class).siteId());
        Connection claiming = aLower ? a : b;
        String configuredName = aLower ? "b" : "a";
        long slot = slotOfNextKey(claiming);
        CorrosionDriver.shutdown(dir.resolve(configuredName + ".db").toString());
        Connection configured = DriverManager.getConnection(url(configuredName, "&node-slot=" + slot));
        assertThat(slotOfNextKey(configured)).isEqualTo(slot);

        for (int round = 0; round < 2; round++) {
            sync.send(configured, claiming);
            sync.send(claiming, configured);
        }
        assertThat(slotOfNextKey(configured)).as("the configured node keeps its slot").isEqualTo(slot);
        assertThat(slotOfNextKey(claiming)).as("the claiming node, with the lower site id, moves").isNotEqualTo(slot);
    }

    /** A file from a driver before claims said whether they are configured: it opens, and the flag replicates. */
    @Test
    void aClaimsTableWithoutTheConfiguredColumnGetsItAndReplicatesIt() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("old", ""))) {
            exec(c, "create table t (id integer primary key, v text)");
        }
        CorrosionDriver.shutdownAll();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("old.db"));
                Statement s = plain.createStatement()) {
            // What a file of the driver before the column looks like: the CRR's capture as it was, without the column.
            List<String> triggers = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select name from sqlite_master where type = 'trigger'"
                    + " and tbl_name = '" + KeysSchema.SLOTS_TABLE + "'")) {
                while (rs.next()) {
                    triggers.add(rs.getString(1));
                }
            }
            for (String trigger : triggers) {
                s.execute("drop trigger \"" + trigger + "\"");
            }
            s.execute("drop view if exists crsql_changes"); // files of format 9 and older have it: its trigger calls the engine
            s.execute("alter table " + KeysSchema.SLOTS_TABLE + " drop column configured");
        }
        // Opened as a local node: no agent connection whose open would repair the claims table's capture meanwhile.
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("old.db") + "?node-slot=7")) {
            assertThat(one(c, "select count(*) from crsql_changes where \"table\" = '" + KeysSchema.SLOTS_TABLE
                    + "' and cid = 'configured' and val = 1")).isEqualTo(1);
            assertThat(slotOfNextKey(c)).isEqualTo(7);
        }
    }

    /** A file whose internal tables an older driver made, never replicated: it opens and generates keys. */
    @Test
    void aLocalFileFromBeforeTheConfiguredColumnOpens() throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("older.db"));
                Statement s = plain.createStatement()) {
            s.execute("create table " + KeysSchema.SLOTS_TABLE + " (slot INTEGER PRIMARY KEY NOT NULL,"
                    + " site_id BLOB NOT NULL DEFAULT x'', claimed_at INTEGER NOT NULL DEFAULT 0)");
            s.execute("insert into " + KeysSchema.SLOTS_TABLE + " values (3, x'00', 1)");
        }
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("older.db") + "?node-slot=4")) {
            exec(c, "create table t (id integer primary key, v text)");
            assertThat(slotOfNextKey(c)).isEqualTo(4);
            assertThat(one(c, "select count(*) from " + KeysSchema.SLOTS_TABLE + " where configured = 1")).isEqualTo(1);
        }
    }
}
