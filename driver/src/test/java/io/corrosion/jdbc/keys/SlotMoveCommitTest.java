package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.ChangesSql;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestAccess;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.node.MergeConnection;
import io.corrosion.jdbc.node.NodeExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node's slot follows the file: when a merged claim of another site for this node's slot makes the node move
 * (the other site's id is lower), the move becomes the node's when the merge's transaction commits. Inside that
 * transaction new keys come from the new slot, as its claim rows say; after a rollback (whole, to a savepoint, or of
 * a merge that failed after the rule ran) the node generates keys in the slot the file still claims for it.
 */
class SlotMoveCommitTest {
    /** Lower than any random site id but for one in 2^120: the node gives its slot to this site. */
    private static final byte[] LOWER = HexFormat.of().parseHex("00000000000000000000000000000001");

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Path file() {
        return dir.resolve("node.db");
    }

    private String url() {
        return "jdbc:corrosion:" + file() + "?bind=127.0.0.1:0&tls.insecure=true";
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url());
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id integer primary key, v text)");
        }
        return c;
    }

    /** The slot of the key the node generates for a new row of t. */
    private static int nextKeySlot(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into t (v) values ('x')", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return IdScheme.slotOf(keys.getLong(1));
            }
        }
    }

    /** The lower site's claim of {@code slot}, winning the merge over the node's own claim. */
    private static List<Change> lowerClaim(int slot) {
        byte[] pk = PackedColumns.pack((long) slot);
        return List.of(new Change(KeysSchema.SLOTS_TABLE, pk, "site_id", LOWER, 9, 1, LOWER, 1, 0),
                new Change(KeysSchema.SLOTS_TABLE, pk, "configured", 0L, 9, 1, LOWER, 1, 1));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The committed claims: site id (hex, lower case) by slot. */
    private Map<Integer, String> committedClaims() throws SQLException {
        Map<Integer, String> claims = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select slot, lower(hex(site_id)) from " + KeysSchema.SLOTS_TABLE)) {
            while (rs.next()) {
                claims.put(rs.getInt(1), rs.getString(2));
            }
        }
        return claims;
    }

    /** Something that merges the lower site's claim on a connection. */
    @FunctionalInterface
    private interface Merge {
        void run() throws SQLException;
    }

    /**
     * Begins a transaction on {@code c} and merges the lower site's claim of the node's {@code slot} in it: returns the
     * slot of the transaction's next key, the one the rule moved the node to.
     */
    private static int mergeInTransaction(Connection c, Merge merge, int slot) throws SQLException {
        c.setAutoCommit(false);
        merge.run();
        int moved = nextKeySlot(c);
        assertThat(moved).as("the transaction's claim names the new slot").isNotEqualTo(slot);
        return moved;
    }

    /** The node generates keys in {@code slot} still, and the file's claims are {@code claims}, as before the merge. */
    private void assertKeeps(Connection c, int slot, Map<Integer, String> claims) throws SQLException {
        assertThat(nextKeySlot(c)).as("the file still claims the old slot").isEqualTo(slot);
        assertThat(committedClaims()).isEqualTo(claims);
    }

    private static String site(Connection c) throws SQLException {
        return HexFormat.of().formatHex(c.unwrap(CorrosionConnection.class).siteId());
    }

    @Test
    void aRolledBackMergeOfAConflictingClaimLeavesTheSlot() throws SQLException {
        try (Connection c = open()) {
            int slot = nextKeySlot(c);
            Map<Integer, String> before = committedClaims();
            assertThat(before).containsEntry(slot, site(c));

            mergeInTransaction(c, () -> execute(c, ChangesSql.insert(lowerClaim(slot))), slot);
            c.rollback();
            c.setAutoCommit(true);

            assertKeeps(c, slot, before);
        }
    }

    @Test
    void aCommittedMergeOfAConflictingClaimMovesTheSlot() throws SQLException {
        try (Connection c = open()) {
            int slot = nextKeySlot(c);
            int moved = mergeInTransaction(c, () -> execute(c, ChangesSql.insert(lowerClaim(slot))), slot);
            c.commit();
            c.setAutoCommit(true);

            assertThat(nextKeySlot(c)).isEqualTo(moved);
            assertThat(committedClaims()).containsEntry(slot, HexFormat.of().formatHex(LOWER))
                    .containsEntry(moved, site(c));
            try (Connection other = DriverManager.getConnection(url())) {
                assertThat(nextKeySlot(other)).as("another connection of the node").isEqualTo(moved);
            }
        }
    }

    @Test
    void aRollbackToASavepointBeforeTheMergeLeavesTheSlot() throws SQLException {
        try (Connection c = open()) {
            int slot = nextKeySlot(c);
            Map<Integer, String> before = committedClaims();
            c.setAutoCommit(false);
            execute(c, "SAVEPOINT before_merge");
            mergeInTransaction(c, () -> execute(c, ChangesSql.insert(lowerClaim(slot))), slot);
            execute(c, "ROLLBACK TO before_merge");
            assertThat(nextKeySlot(c)).as("in the transaction, after the claim was undone").isEqualTo(slot);
            c.commit();
            c.setAutoCommit(true);
            assertKeeps(c, slot, before);
        }
    }

    @Test
    void applyChangesThenAFailedStatementAndARollbackLeaveTheSlot() throws SQLException {
        try (Connection c = open()) {
            int slot = nextKeySlot(c);
            Map<Integer, String> before = committedClaims();

            int moved = mergeInTransaction(c,
                    () -> c.unwrap(CorrosionConnection.class).applyChanges(lowerClaim(slot)), slot);
            assertThatThrownBy(() -> execute(c, "insert into t (id, v) select min(id), 'taken' from t"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
            assertThat(nextKeySlot(c)).as("the failed statement left the claim in the transaction").isEqualTo(moved);
            c.rollback();
            c.setAutoCommit(true);
            assertKeeps(c, slot, before);
        }
    }

    /** The replication agent's apply transaction: its move is the node's when it commits, not when it rolls back. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theAgentsApplyTransactionMovesTheSlotWhenItCommits(boolean commits) throws SQLException {
        try (Connection c = open()) {
            int slot = nextKeySlot(c);
            Map<Integer, String> before = committedClaims();
            int moved;
            NodeExtension node = (NodeExtension) TestAccess.extension(url());
            try (MergeConnection agent = node.openMergeConnection()) {
                agent.beginImmediate();
                agent.apply(lowerClaim(slot)); // runs the rule
                moved = node.keys().claimMerged(agent.connection(), slot).slot(); // the transaction's slot
                assertThat(moved).isNotEqualTo(slot);
                assertThat(node.keys().slot().slot()).as("not the node's before the commit").isEqualTo(slot);
                execute(agent.connection(), commits ? "COMMIT" : "ROLLBACK"); // the agent's bookkeeping failed, or not
            }
            if (commits) {
                assertThat(nextKeySlot(c)).isEqualTo(moved);
            } else {
                assertKeeps(c, slot, before);
            }
        }
    }
}
