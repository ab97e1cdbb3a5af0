package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SQLite's "table rebuild" migration (lang_altertable.html section 7: CREATE TABLE t_new; INSERT INTO t_new
 * SELECT ... FROM t; DROP TABLE t; ALTER TABLE t_new RENAME TO t), run by EVERY node as its own migration, at
 * different moments relative to writes and to replication. Nodes are connected by hand, as the agent connects them
 * ({@link HandDelivery}). In one transaction (as Flyway and Liquibase run a migration) the rebuilt table keeps the old
 * one's clocks ({@code Rebuilds}), so writes made around it converge.
 */
class RebuildMigrationTest extends HandDeliveredNodes {
    static final String V1 = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)";
    /** The rebuilt table: same columns, plus a CHECK (a constraint ALTER TABLE cannot add). */
    static final String V2 = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))";
    static final String ROWS = "SELECT id, v, n FROM t ORDER BY id";

    private void deliverAll(Node... nodes) throws SQLException {
        assertThat(delivery.deliverAll(nodes)).as("changes the nodes cannot take").isEmpty();
    }

    /** The rebuild, in one transaction (what Flyway and Liquibase do on SQLite) or statement by statement. */
    static void rebuild(Node n, boolean oneTransaction) throws SQLException {
        rebuild(n, oneTransaction, V2, "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t");
    }

    static void rebuild(Node n, boolean oneTransaction, String create, String copy) throws SQLException {
        String[] recipe = {create, copy, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t"};
        if (oneTransaction) {
            n.inTransaction(recipe);
        } else {
            n.exec(recipe);
        }
    }

    /** Two nodes with rows 1..3, each column written several times (col_version > 1), in sync. */
    private Node[] twoNodesWithHistory() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        a.exec(V1);
        b.exec(V1);
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");
        deliverAll(a, b);
        b.exec("UPDATE t SET v = v || '+', n = n + 10");
        deliverAll(a, b);
        a.exec("UPDATE t SET v = v || '+', n = n + 10");
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
        return new Node[] {a, b};
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Baseline: no writes while nodes migrate; both rebuild, then write. Rows converge. */
    @Test
    void quietClusterEveryNodeRebuildsThenWritesConverge() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a, true);
        rebuild(b, true);
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS)).hasSize(3);
        a.exec("UPDATE t SET v = 'a-after' WHERE id = 1");
        b.exec("UPDATE t SET n = 99 WHERE id = 2", "DELETE FROM t WHERE id = 3");
        deliverAll(a, b);
        assertThat(a.rows(ROWS)).isEqualTo(b.rows(ROWS))
                .containsExactly(List.of(1L, "a-after", 21L), List.of(2L, "two++", 99L));
    }

    /**
     * Every node ran the same rebuild on the same rows and has every change: crsql_changes are equal (README
     * "Guarantees"), since an unchanged copy keeps every clock. Before the clocks were carried, each node re-inserted
     * every row under its own site at col_version 1, and those ties merged as no-ops: the changes differed.
     */
    @Test
    void crsqlChangesConvergeAfterEveryNodeRebuilt() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        rebuild(ab[0], true);
        rebuild(ab[1], true);
        deliverAll(ab);
        assertThat(changes(ab[1])).isEqualTo(changes(ab[0]));
    }

    /** Same, with merge-equal-values=true on both nodes: the larger site id wins the ties. */
    @Test
    void crsqlChangesConvergeAfterEveryNodeRebuiltWithMergeEqualValues() throws SQLException {
        Node a = node("a", 1, "merge-equal-values=true");
        Node b = node("b", 2, "merge-equal-values=true");
        a.exec(V1);
        b.exec(V1);
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)");
        deliverAll(a, b);
        rebuild(a, true);
        rebuild(b, true);
        deliverAll(a, b);
        assertThat(changes(b)).isEqualTo(changes(a));
    }

    /**
     * A migrated a while before B; A's application then updates rows. Its update has the next col_version
     * after the old clocks, so it wins on B (not migrated) and stays after B migrates. (With clocks started again at
     * col_version 1, it tied with B's or lost outright, for good.)
     */
    @Test
    void updateOnMigratedNodeReachesNodeNotMigratedYet() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a, true);
        a.exec("UPDATE t SET v = 'A after its migration' WHERE id = 1"); // 'A...' < 'one++': loses a value tie
        a.exec("UPDATE t SET n = 5 WHERE id = 2"); // 5 < 12: loses a value tie
        deliver(a, b);
        assertThat(b.rows(ROWS)).as("B, not migrated yet, after A's update")
                .contains(List.of(1L, "A after its migration", 21L), List.of(2L, "two++", 5L));
        rebuild(b, true);
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).as("B after its own migration").isEqualTo(a.rows(ROWS));
        assertThat(a.rows(ROWS)).contains(List.of(1L, "A after its migration", 21L), List.of(2L, "two++", 5L));
    }

    /**
     * A migrated first; B (not yet migrated) updates, which reaches A (col_version 3). Then B migrates and
     * updates the same column again: col_version 4, which A takes. (With B's clocks started again at 1, A dropped it.)
     */
    @Test
    void updateOnLaterMigratedNodeReachesEarlierMigratedNode() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a, true);
        b.exec("UPDATE t SET v = 'B before its migration' WHERE id = 1");
        deliverAll(a, b);
        assertThat(a.rows(ROWS)).isEqualTo(b.rows(ROWS));
        rebuild(b, true);
        b.exec("UPDATE t SET v = 'B after its migration' WHERE id = 1");
        deliverAll(a, b);
        assertThat(a.rows("SELECT v FROM t WHERE id = 1")).as("A").containsExactly(List.of("B after its migration"));
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
    }

    /**
     * A row deleted and inserted again before the migration has causal length 3 on every node. A rebuilds
     * and deletes it: causal length 4, which B (not migrated, at 3) takes, and keeps after its own rebuild.
     */
    @Test
    void deleteOnMigratedNodeOfReinsertedRowReachesNodeNotMigratedYet() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        a.exec("DELETE FROM t WHERE id = 3");
        deliverAll(a, b);
        b.exec("INSERT INTO t VALUES (3, 'three again', 3)");
        deliverAll(a, b);
        rebuild(a, true);
        a.exec("DELETE FROM t WHERE id = 3");
        deliver(a, b);
        assertThat(b.rows("SELECT id FROM t WHERE id = 3")).as("B, not migrated yet, after A's delete").isEmpty();
        rebuild(b, true);
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
    }

    /**
     * Rolling upgrade, both nodes migrating one after the other within a moment: an update B made just before its
     * own migration is still in flight when A rebuilds. It reaches A after A's rebuild with a col_version above A's
     * carried clock, and both nodes end with it. (With clocks started again, the two re-inserts tied and the nodes
     * differed for good.)
     */
    @Test
    void updateInFlightDuringRollingRebuildConverges() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        b.exec("UPDATE t SET v = 'b-update' WHERE id = 1"); // 'b-update' < 'one++'
        rebuild(a, true); // B's update not here yet
        rebuild(b, true);
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).as("B vs A").isEqualTo(a.rows(ROWS));
        assertThat(a.rows("SELECT v FROM t WHERE id = 1")).containsExactly(List.of("b-update"));
    }

    /**
     * Rolling upgrade: B deletes a row just before its migration; A rebuilds before the delete reaches it. A's
     * copy keeps the row's clocks (nothing to send), B's keeps the tombstone: the delete wins on both.
     */
    @Test
    void deleteInFlightDuringRollingRebuildStaysDeleted() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        b.exec("DELETE FROM t WHERE id = 2");
        rebuild(a, true); // B's delete not here yet
        rebuild(b, true);
        deliverAll(a, b);
        assertThat(a.rows("SELECT id FROM t ORDER BY id")).as("A").containsExactly(List.of(1L), List.of(3L));
        assertThat(b.rows("SELECT id FROM t ORDER BY id")).as("B").containsExactly(List.of(1L), List.of(3L));
    }

    /**
     * A third node C, partitioned (or just slow), updated row 2 concurrently with B's delete of it. A and B both
     * migrated meanwhile and kept the row's tombstone (causal length 2): C's update (causal length 1) does not bring
     * the row back on any node.
     */
    @Test
    void concurrentUpdateFromStaleNodeDoesNotResurrectRowDeletedBeforeRebuild() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        Node c = node("c", 3);
        c.exec(V1);
        deliverAll(a, b, c);
        assertThat(c.rows(ROWS)).isEqualTo(a.rows(ROWS));
        // partition: C alone
        c.exec("UPDATE t SET n = 1000 WHERE id = 2");
        b.exec("DELETE FROM t WHERE id = 2");
        deliverAll(a, b);
        rebuild(a, true);
        rebuild(b, true);
        deliverAll(a, b);
        // heal
        deliverAll(a, b, c);
        assertThat(a.rows("SELECT id FROM t ORDER BY id")).as("A").containsExactly(List.of(1L), List.of(3L));
        assertThat(b.rows("SELECT id FROM t ORDER BY id")).as("B").containsExactly(List.of(1L), List.of(3L));
        assertThat(c.rows("SELECT id FROM t ORDER BY id")).as("C").containsExactly(List.of(1L), List.of(3L));
    }

    /**
     * The rebuild makes n NOT NULL (copying NULLs as 0). B, not migrated yet, writes v and sets n to NULL in one
     * transaction; A's table refuses that version (the agent: WARN, not booked, offered again by sync). B's own
     * rebuild then changes n to 0 (a new version) and keeps v's clock in the old one, which A now takes.
     */
    @Test
    void updateFromNodeNotMigratedYetThatTheRebuiltTableRefusesIsNotLost() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        String create = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER NOT NULL DEFAULT 0)";
        String copy = "INSERT INTO t_new (id, v, n) SELECT id, v, coalesce(n, 0) FROM t";
        rebuild(a, true, create, copy);
        b.exec("UPDATE t SET v = 'b-v', n = NULL WHERE id = 1"); // 'b-v' < 'one++': loses a value tie
        delivery.refusals.clear();
        deliver(b, a);
        assertThat(delivery.refusals).as("A refuses B's NULL while B has not migrated").hasSize(1);
        rebuild(b, true, create, copy);
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
        assertThat(a.rows("SELECT v, n FROM t WHERE id = 1")).containsExactly(List.of("b-v", 0L));
    }

    /**
     * Generated keys after the rebuild: a key deleted before the rebuild is not generated again (a node that has not
     * migrated keeps its tombstone, which would swallow a new row with that key), also after a restart, and keys stay
     * unique across nodes.
     */
    @Test
    void generatedKeysAfterRebuildAreNewAndUniqueAcrossNodes() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        a.exec(V1);
        b.exec(V1);
        a.exec("INSERT INTO t (v, n) VALUES ('a1', 1), ('a2', 2), ('a3', 3)");
        b.exec("INSERT INTO t (v, n) VALUES ('b1', 1), ('b2', 2), ('b3', 3)");
        long deletedA = (Long) a.scalar("SELECT max(id) FROM t");
        long deletedB = (Long) b.scalar("SELECT max(id) FROM t");
        a.exec("DELETE FROM t WHERE id = " + deletedA);
        b.exec("DELETE FROM t WHERE id = " + deletedB);
        deliverAll(a, b);
        rebuild(a, true);
        rebuild(b, false);
        a.exec("INSERT INTO t (v, n) VALUES ('a4', 4)");
        b.exec("INSERT INTO t (v, n) VALUES ('b4', 4)");
        // restart A: its counter comes from the file
        String urlA = a.url;
        a.close();
        CorrosionDriver.shutdown(urlA);
        Node a2 = new Node(dir, "a", "node-slot=1");
        a2.exec("INSERT INTO t (v, n) VALUES ('a5', 5)");
        deliverAll(a2, b);
        List<List<Object>> ids = a2.rows("SELECT id FROM t ORDER BY id");
        assertThat(b.rows(ROWS)).isEqualTo(a2.rows(ROWS)).hasSize(7);
        assertThat(ids).doesNotContain(List.of(deletedA), List.of(deletedB));
        assertThat(a2.scalar("SELECT count(DISTINCT id) FROM t")).isEqualTo(7L);
    }

    /**
     * The rebuild drops column n. B (not migrated) writes v and n in one transaction; A takes v, keeps n (the agent;
     * by hand, the version does not merge at all). After B migrates too, all rows are equal.
     */
    @Test
    void rebuildDroppingAColumnConverges() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        String create = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT)";
        String copy = "INSERT INTO t_new (id, v) SELECT id, v FROM t";
        rebuild(a, true, create, copy);
        b.exec("UPDATE t SET v = 'b-v' WHERE id = 1");
        b.exec("UPDATE t SET n = 500 WHERE id = 2");
        List<Change> kept = deliver(b, a);
        assertThat(kept).extracting(Change::cid).containsOnly("n");
        rebuild(b, true, create, copy);
        deliverAll(a, b);
        assertThat(b.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"))
                .contains(List.of(1L, "b-v"));
    }

    /**
     * A table without a primary key (Hibernate's bags and element collections) gets a hidden key filled with
     * node-private keys. Its rebuild copies the rows into t_new, where each gets a new hidden key of the node that
     * copies it: every node's rebuild adds a copy of every row to the cluster, and the old rows stay on the nodes
     * that have not migrated. Expected: still one row per row.
     */
    @Test
    void rebuildOfKeylessTableKeepsOneCopyOfEachRow() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String v1 = "CREATE TABLE t (owner_id INTEGER, item TEXT)";
        a.exec(v1);
        b.exec(v1);
        a.exec("INSERT INTO t VALUES (1, 'x'), (1, 'y'), (2, 'z')");
        deliverAll(a, b);
        String create = "CREATE TABLE t_new (owner_id INTEGER NOT NULL, item TEXT NOT NULL)";
        String copy = "INSERT INTO t_new (owner_id, item) SELECT owner_id, item FROM t";
        rebuild(a, true, create, copy);
        deliver(a, b);
        assertThat(b.rows("SELECT owner_id, item FROM t ORDER BY 1, 2")).as("B, not migrated yet")
                .containsExactly(List.of(1L, "x"), List.of(1L, "y"), List.of(2L, "z"));
        rebuild(b, true, create, copy);
        deliverAll(a, b);
        for (Node n : List.of(a, b)) {
            assertThat(n.rows("SELECT owner_id, item FROM t ORDER BY 1, 2")).as(n.url)
                    .containsExactly(List.of(1L, "x"), List.of(1L, "y"), List.of(2L, "z"));
        }
    }

    /**
     * The same, with a row deleted before the rebuild. A's copy hands out the hidden keys again from the start of
     * t_new's counter, the key of the deleted row included: on B (not migrated), that key's tombstone swallows the row
     * A put under it, and the other keys now carry other rows' values, which tie with B's and merge by value.
     */
    @Test
    void rebuildOfKeylessTableAfterADeleteLosesNoRowOnNodeNotMigratedYet() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String v1 = "CREATE TABLE t (owner_id INTEGER, item TEXT)";
        a.exec(v1);
        b.exec(v1);
        a.exec("INSERT INTO t VALUES (1, 'x'), (1, 'y'), (2, 'z')");
        a.exec("DELETE FROM t WHERE item = 'x'");
        deliverAll(a, b);
        rebuild(a, true, "CREATE TABLE t_new (owner_id INTEGER NOT NULL, item TEXT NOT NULL)",
                "INSERT INTO t_new (owner_id, item) SELECT owner_id, item FROM t");
        deliver(a, b);
        assertThat(a.rows("SELECT owner_id, item FROM t ORDER BY 1, 2")).as("A")
                .containsExactly(List.of(1L, "y"), List.of(2L, "z"));
        assertThat(b.rows("SELECT owner_id, item FROM t ORDER BY 1, 2")).as("B, not migrated yet")
                .containsExactly(List.of(1L, "y"), List.of(2L, "z"));
    }

    /**
     * A UNIQUE column in the rebuilt table: the driver makes it a plain index named after t_new plus checks. After the
     * rename the index keeps t_new's name; the next rebuild (same recipe, a later migration) creates t_new's UNIQUE
     * index under that same name, which exists already (on t), and DROP TABLE t then takes it with it. Expected: the
     * column stays unique for local writes after every rebuild (SQLState 23505), naming table t.
     */
    @Test
    void uniqueColumnStaysUniqueAfterRepeatedRebuilds() throws SQLException {
        Node a = node("a", 1);
        a.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT)");
        a.exec("INSERT INTO t VALUES (1, 'a@x'), (2, 'b@x')");
        String create = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, email TEXT UNIQUE, n INTEGER DEFAULT 0)";
        String copy = "INSERT INTO t_new (id, email) SELECT id, email FROM t";
        List<String> errors = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            rebuild(a, true, create, round == 1 ? copy : "INSERT INTO t_new (id, email, n) SELECT id, email, n FROM t");
            try {
                a.exec("INSERT INTO t (id, email) VALUES (" + (10 + round) + ", 'a@x')");
                errors.add("round " + round + ": duplicate accepted");
            } catch (SQLException e) {
                errors.add("round " + round + ": " + e.getSQLState() + " " + e.getMessage());
            }
        }
        errors.add("schema after round 2: " + a.rows("SELECT type, name, tbl_name FROM sqlite_master"
                + " WHERE name LIKE '%unique%'"));
        assertThat(errors.subList(0, 2)).as("a duplicate email after each rebuild (%s)", errors.get(2))
                .allSatisfy(e -> assertThat(e).contains("23505").contains("UNIQUE constraint failed: t.email"));
    }

    private static List<List<Object>> changes(Node n) throws SQLException {
        return n.rows("SELECT \"table\", hex(pk), cid, val, col_version, hex(site_id), cl FROM crsql_changes"
                + " ORDER BY \"table\", pk, cid");
    }
}
