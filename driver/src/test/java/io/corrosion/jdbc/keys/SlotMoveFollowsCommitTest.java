package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.ChangesSql;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.PackedColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's slot follows the file: when the application merges a claim of another site for the node's slot and the
 * rule moves the node, its transaction generates keys in the new slot at once, and the node's other connections after
 * it commits; if it rolls back, the node stays in its slot, whose claim the file still holds. Before, the node moved
 * at once and stayed moved after a rollback, generating keys in a slot no claim in the file gave it.
 */
class SlotMoveFollowsCommitTest {
    /** All zeros: lower than any random site id, so the node gives the slot up. */
    private static final byte[] LOWER = new byte[16];

    @TempDir
    Path dir;

    private final List<Connection> conns = new ArrayList<>();
    private Connection c;
    private Connection other;
    private long slot;
    private int rows;

    @BeforeEach
    void node() throws SQLException {
        c = open();
        other = open();
        exec(c, "create table t (id integer primary key, v text)");
        slot = slotOfNextKey(c);
    }

    @AfterEach
    void shutdown() throws SQLException {
        for (Connection conn : conns) {
            conn.close();
        }
        CorrosionDriver.shutdownAll();
    }

    @Test
    void aMoveThatRollsBackLeavesTheNodeInItsSlot() throws SQLException {
        c.setAutoCommit(false);
        exec(c, ChangesSql.insert(lowerClaim()));
        long moved = slotOfNextKey(c);
        assertThat(moved).as("the transaction's keys come from the slot its claim names").isNotEqualTo(slot);
        c.rollback();
        c.setAutoCommit(true);
        assertThat(slotOfNextKey(c)).as("after the rollback").isEqualTo(slot);
        assertThat(slotOfNextKey(other)).isEqualTo(slot);
        assertThat(claimedSlots()).as("the node's claims in the file").containsExactly(slot);
    }

    @Test
    void aMoveThatCommitsMovesEveryConnection() throws SQLException {
        c.setAutoCommit(false);
        exec(c, ChangesSql.insert(lowerClaim()));
        long moved = slotOfNextKey(c);
        c.commit();
        c.setAutoCommit(true);
        assertThat(moved).isNotEqualTo(slot);
        assertThat(slotOfNextKey(c)).isEqualTo(moved);
        assertThat(slotOfNextKey(other)).isEqualTo(moved);
        assertThat(claimedSlots()).containsExactly(moved);
    }

    @Test
    void applyChangesInATransactionThatRollsBackLeavesTheNodeInItsSlot() throws SQLException {
        c.setAutoCommit(false);
        c.unwrap(CorrosionConnection.class).applyChanges(lowerClaim());
        c.rollback();
        c.setAutoCommit(true);
        assertThat(slotOfNextKey(c)).isEqualTo(slot);
        assertThat(slotOfNextKey(other)).isEqualTo(slot);
        assertThat(claimedSlots()).containsExactly(slot);
    }

    /** A claim of the node's slot by {@link #LOWER}, winning the merge. */
    private List<Change> lowerClaim() {
        byte[] key = PackedColumns.pack(slot);
        return List.of(new Change(KeysSchema.SLOTS_TABLE, key, "site_id", LOWER, 9, 1, LOWER, 1, 0),
                new Change(KeysSchema.SLOTS_TABLE, key, "configured", 0L, 9, 1, LOWER, 1, 1));
    }

    /** The slots the file says this node claims. */
    private List<Long> claimedSlots() throws SQLException {
        List<Long> slots = new ArrayList<>();
        try (PreparedStatement p = other.prepareStatement("select slot from " + KeysSchema.SLOTS_TABLE
                + " where site_id = ? order by slot")) {
            p.setBytes(1, other.unwrap(CorrosionConnection.class).siteId());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    slots.add(rs.getLong(1));
                }
            }
        }
        return slots;
    }

    private long slotOfNextKey(Connection conn) throws SQLException {
        String v = "row " + rows++;
        exec(conn, "insert into t (v) values ('" + v + "')");
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("select id from t where v = '" + v + "'")) {
            rs.next();
            return IdScheme.slotOf(rs.getLong(1));
        }
    }

    private Connection open() throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("node.db")
                + "?bind=127.0.0.1:0&tls.insecure=true"); // the claims replicate (a CRR) once the file does
        conns.add(conn);
        return conn;
    }

    private static void exec(Connection conn, String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }
}
