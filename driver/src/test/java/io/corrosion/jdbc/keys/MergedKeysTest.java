package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.insertKey;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.one;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of other nodes whose keys lie in this node's slot move its counter past them when they merge, in the merge's
 * transaction: the node never generates those keys again. Such rows come from a node restored with its predecessor's
 * configured slot, from two nodes that shared a slot, or from keys another node's application chose. Nodes synced by
 * hand through the CRR API.
 */
class MergedKeysTest {
    private static final String DDL = "create table t (id integer primary key, v text)";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection open(String name, int slot) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db") + "?node-slot=" + slot);
    }

    private static long insert(Connection c, String v) throws SQLException {
        return insertKey(c, "t", v);
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, v from t order by id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + "=" + rs.getString(2));
            }
        }
        return rows;
    }

    /** The node has generated a key in the table, so its counter is in memory when the rows merge. */
    @Test
    void aNodeGeneratesNoKeyThatAMergedRowHoldsInItsSlot() throws SQLException {
        try (Connection a = open("a", 3); Connection b = open("b", 7)) {
            exec(a, DDL);
            exec(b, DDL);
            assertThat(insert(b, "b0")).isEqualTo(8);
            exec(a, "insert into t (id, v) values (1032, 'a1'), (2056, 'a2')"); // slot 7, counters 1 and 2
            send(a, b);

            long mine = insert(b, "b1");
            // An upsert on a generated key that a merged row holds would overwrite that row instead of adding one.
            exec(b, "insert into t (v) values ('b upsert') on conflict (id) do update set v = excluded.v");

            assertThat(mine).isEqualTo(3 * 1024 + 8);
            assertThat(rows(b)).containsExactly("8=b0", "1032=a1", "2056=a2", "3080=b1", "4104=b upsert");
        }
    }

    @Test
    void keysOfOtherSlotsLeaveTheCounterWhereItWas() throws SQLException {
        try (Connection a = open("a", 3); Connection b = open("b", 7)) {
            exec(a, DDL);
            exec(b, DDL);
            insert(a, "a0");
            insert(a, "a1");
            send(a, b);
            assertThat(insert(b, "b")).isEqualTo(8);
        }
    }

    /**
     * The counter moves in the merge's transaction: a restart reads it from the file. The node had generated a key
     * before, so the restart reads its persisted counter and does not look at the table's keys.
     */
    @Test
    void theCounterAMergeMovedIsReadBackAfterARestart() throws SQLException {
        long far = 100 * 1024 + 8; // slot 7, counter 100: far beyond what b's first key reserved
        try (Connection a = open("a", 2); Connection b = open("b", 7)) {
            exec(a, DDL);
            exec(b, DDL);
            assertThat(insert(b, "b0")).isEqualTo(8);
            exec(a, "insert into t (id, v) values (" + far + ", 'chosen by a''s application')");
            send(a, b);
        }
        CorrosionDriver.shutdownAll();
        try (Connection b = open("b", 7)) {
            long next = insert(b, "b1");
            // A restart starts at the end of the persisted reservation; without the merge's it is b's first (65).
            assertThat(next).isGreaterThan(far);
            assertThat(IdScheme.slotOf(next)).isEqualTo(7);
            assertThat(rows(b)).containsExactly("8=b0", far + "=chosen by a's application", next + "=b1");
        }
    }

    /**
     * The case that made this necessary: a node restored from a backup, with its predecessor's configured slot, gets the
     * rows its predecessor generated after the backup; its next keys come after them.
     */
    @Test
    void aRestoredNodeWithItsPredecessorsSlotSkipsTheKeysThePredecessorGeneratedAfterTheBackup() throws SQLException {
        int after = (int) (3 * KeyAllocator.RESERVE_AHEAD); // beyond the reservation the backup holds
        try (Connection p = open("p", 5)) {
            exec(p, DDL);
            insert(p, "before");
            exec(p, "VACUUM INTO '" + dir.resolve("restored.db") + "'");
            for (int i = 0; i < after; i++) {
                insert(p, "after " + i);
            }
            long predecessorsLast = one(p, "select max(id) from t");
            try (Connection r = open("restored", 5)) {
                assertThat(rows(r)).containsExactly("6=before");
                send(p, r);
                long next = insert(r, "restored");
                assertThat(next).isGreaterThan(predecessorsLast);
                assertThat(IdScheme.slotOf(next)).isEqualTo(5);
                assertThat(one(r, "select count(*) from t")).isEqualTo(after + 2L);
            }
        }
    }

    /**
     * A node restored with its predecessor's configured slot writes before its peers' rows reach it: its keys start
     * ahead of those its predecessor generated after the backup, in a table that had a counter in the backup and in one
     * created after it. A node restored with another slot keeps its counters.
     */
    @Test
    void aRestoredNodeWithItsPredecessorsSlotGeneratesNoneOfItsKeysBeforeItHasSynced() throws SQLException {
        int after = (int) (3 * KeyAllocator.RESERVE_AHEAD);
        try (Connection p = open("p", 5)) {
            exec(p, DDL);
            insert(p, "before");
            exec(p, "VACUUM INTO '" + dir.resolve("same.db") + "'");
            exec(p, "VACUUM INTO '" + dir.resolve("other.db") + "'");
            exec(p, "create table later (id integer primary key, v text)");
            for (int i = 0; i < after; i++) {
                insert(p, "after " + i);
                exec(p, "insert into later (v) values ('after " + i + "')");
            }
            long predecessorsLast = one(p, "select max(id) from t");
            long predecessorsLastLater = one(p, "select max(id) from later");
            try (Connection r = open("same", 5)) {
                long first = insert(r, "restored, not synced");
                assertThat(first).isGreaterThan(predecessorsLast);
                exec(r, "create table later (id integer primary key, v text)");
                exec(r, "insert into later (v) values ('restored')");
                assertThat(one(r, "select max(id) from later")).isGreaterThan(predecessorsLastLater);
                send(p, r);
                assertThat(one(r, "select count(*) from t")).isEqualTo(after + 2L);
                assertThat(one(r, "select count(*) from later")).isEqualTo(after + 1L);
            }
            try (Connection o = open("other", 6)) {
                // where the backup's reservation ended (slot 6), not moved ahead
                assertThat(insert(o, "restored elsewhere")).isEqualTo((KeyAllocator.RESERVE_AHEAD + 1) * 1024 + 7);
            }
        }
    }
}
