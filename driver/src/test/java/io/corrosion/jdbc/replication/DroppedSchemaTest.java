package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes of a table or column a node dropped, in rolling upgrades, over real QUIC on loopback: kept outside the bound
 * of kept changes, they are still passed on to nodes that ask, and merge when the node gets the name back (from a review
 * that found them left out and lost).
 */
class DroppedSchemaTest {
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY NOT NULL, name TEXT, qty INTEGER)";

    @TempDir
    Path dir;

    private static final Partition PARTITION = new Partition();
    private final List<QuicNode> nodes = new ArrayList<>();

    @BeforeAll
    static void fastGossip() {
        QuicNode.fastGossip(PARTITION);
    }

    @AfterAll
    static void defaultGossip() {
        QuicNode.defaultGossip();
    }

    private QuicNode node(String name, String seeds, String... schema) throws SQLException {
        QuicNode n = new QuicNode(dir, name, seeds, "&node-slot=" + (nodes.size() + 1), schema);
        nodes.add(n);
        return n;
    }

    private List<QuicNode> cluster(String... schema) throws SQLException {
        QuicNode a = node("a", "", schema);
        QuicNode b = node("b", a.address(), schema);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.alive() == 1 && b.alive() == 1);
        return nodes;
    }

    @AfterEach
    void shutdown() throws SQLException {
        PARTITION.heal();
        for (QuicNode n : nodes) {
            n.close();
        }
    }

    /**
     * Two releases: V2 drops item.qty, V3 adds it back (another type, a new meaning). Node b is upgraded to V3 first and
     * writes qty; node a, still at V2, leaves those changes out. When a is upgraded to
     * V3 it never gets b's qty: the nodes differ for good, though both have the same schema and all versions.
     */
    @Test
    void aColumnDroppedHereAndAddedBackElsewhereKeepsTheValuesWrittenThereMeanwhile() throws Exception {
        List<QuicNode> all = cluster(ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        a.exec("ALTER TABLE item DROP COLUMN qty"); // a at V2
        b.exec("ALTER TABLE item DROP COLUMN qty"); // b at V2
        b.exec("ALTER TABLE item ADD COLUMN qty TEXT"); // b at V3
        b.exec("INSERT INTO item VALUES (1, 'from b at V3', 'seven')");
        assertThat(a.corrosion.awaitVersion(b.corrosion.lastCommitToken(), Duration.ofSeconds(20))).isTrue();

        a.exec("ALTER TABLE item ADD COLUMN qty TEXT"); // a at V3
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(a.query("SELECT id, name, qty FROM item"))
                .as("a, at V3 like b").isEqualTo(b.query("SELECT id, name, qty FROM item")));
    }

    /** The same with a table: V2 drops it, V3 creates it again; rows b wrote at V3 before a's upgrade never reach a. */
    @Test
    void aTableDroppedHereAndCreatedAgainElsewhereKeepsTheRowsWrittenThereMeanwhile() throws Exception {
        String note = "CREATE TABLE note (id INTEGER PRIMARY KEY NOT NULL, text TEXT)";
        List<QuicNode> all = cluster(ITEM, note);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        a.exec("DROP TABLE note"); // a at V2
        b.exec("DROP TABLE note");
        b.exec(note); // b at V3
        b.exec("INSERT INTO note VALUES (1, 'written at V3')");
        assertThat(a.corrosion.awaitVersion(b.corrosion.lastCommitToken(), Duration.ofSeconds(20))).isTrue();

        a.exec(note); // a at V3
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(a.query("SELECT id, text FROM note"))
                .as("a, at V3 like b").isEqualTo(b.query("SELECT id, text FROM note")));
    }

    /**
     * A rebuild that leaves a column out (how SQLite migrations have long dropped columns, and what the README's
     * 'Table rebuilds' describes) drops the column as surely as DROP COLUMN, but it is not recorded: the changes of
     * qty that the node not upgraded yet goes on writing are kept for good, which would fill the bound of kept changes.
     */
    @Test
    void aColumnLeftOutByARebuildIsDroppedToo() throws Exception {
        List<QuicNode> all = cluster(ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        a.conn.setAutoCommit(false);
        a.exec("CREATE TABLE item_new (id INTEGER PRIMARY KEY NOT NULL, name TEXT)");
        a.exec("INSERT INTO item_new (id, name) SELECT id, name FROM item");
        a.exec("DROP TABLE item");
        a.exec("ALTER TABLE item_new RENAME TO item");
        a.conn.commit();
        a.conn.setAutoCommit(true);

        b.exec("INSERT INTO item VALUES (1, 'from b, not upgraded', 5)");
        b.exec("UPDATE item SET qty = 6 WHERE id = 1");
        assertThat(a.corrosion.awaitVersion(b.corrosion.lastCommitToken(), Duration.ofSeconds(20))).isTrue();
        assertThat(a.query("SELECT id, name FROM item")).containsExactly(List.of(1L, "from b, not upgraded"));
        assertThat(a.pending()).as("changes of item.qty kept on a, which dropped it").isZero();
    }

    /**
     * Three nodes; only a has dropped item.qty (a rolling upgrade). b writes qty while c is cut off; c then syncs b's
     * version from a, which left qty out and serves the version without it. c
     * books the version as complete and never gets qty, though c has the column and never dropped anything.
     */
    @Test
    void aNodeThatDroppedNothingGetsTheColumnsAnotherNodeDropped() throws Exception {
        QuicNode a = node("a", "", ITEM);
        QuicNode b = node("b", a.address(), ITEM);
        QuicNode c = node("c", a.address(), ITEM);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.alive() == 2 && b.alive() == 2 && c.alive() == 2);
        a.exec("ALTER TABLE item DROP COLUMN qty");

        PARTITION.cut(java.util.Set.of(c.port()), java.util.Set.of(a.port(), b.port()));
        b.exec("INSERT INTO item VALUES (1, 'from b', 5)");
        String token = b.corrosion.lastCommitToken();
        assertThat(a.corrosion.awaitVersion(token, Duration.ofSeconds(20))).isTrue();

        PARTITION.heal();
        PARTITION.cut(java.util.Set.of(c.port()), java.util.Set.of(b.port())); // c reaches a only
        assertThat(c.corrosion.awaitVersion(token, Duration.ofSeconds(30))).isTrue();
        // c booked the version from a: what a served is all c gets of it
        assertThat(c.query("SELECT id, name, qty FROM item")).as("c, which has qty, like b")
                .isEqualTo(b.query("SELECT id, name, qty FROM item"));
    }
}
