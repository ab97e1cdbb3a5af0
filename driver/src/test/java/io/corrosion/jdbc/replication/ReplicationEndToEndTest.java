package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.wire.BroadcastBatch;
import io.corrosion.gossip.wire.BroadcastMessage;
import io.corrosion.gossip.wire.DecodeException;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.WireCodec;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes as applications see them: {@code jdbc:corrosion:} files with {@code bind}/{@code seeds} in one JVM (one agent
 * per file), over real QUIC on loopback.
 */
class ReplicationEndToEndTest {
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY NOT NULL, name TEXT, qty INTEGER)";
    static final String ITEMS = "SELECT id, name, qty FROM item ORDER BY id";

    @TempDir
    Path dir;

    private static final Partition PARTITION = new Partition();
    private final List<QuicNode> nodes = new ArrayList<>();
    /** More URL keys for the nodes a test starts. */
    private String urlExtra = "";
    /**
     * Whether the nodes a test starts claim their key slots (the tests of claims) instead of each having its own
     * {@code node-slot}. Nodes that claim theirs by a hash of their site ids pick one slot 1 run in 1024 (per pair),
     * and settling that writes and broadcasts claims again, and logs, while the other tests count messages and
     * versions.
     */
    private boolean claimSlots;

    @BeforeAll
    static void fastGossip() {
        QuicNode.fastGossip(PARTITION);
    }

    @AfterAll
    static void defaultGossip() {
        QuicNode.defaultGossip();
    }

    private QuicNode node(String name, QuicNode seed, String... schema) throws SQLException {
        QuicNode n = new QuicNode(dir, name, seed == null ? "" : seed.address(),
                urlExtra + (claimSlots ? "" : "&node-slot=" + (nodes.size() + 1)), schema);
        nodes.add(n);
        return n;
    }

    private List<QuicNode> cluster(int size, String... schema) throws SQLException {
        QuicNode first = node("n0", null, schema);
        for (int i = 1; i < size; i++) {
            node("n" + i, first, schema);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (QuicNode n : nodes) {
                if (n.alive() != nodes.size() - 1) {
                    return false;
                }
            }
            return true;
        });
        return nodes;
    }

    @AfterEach
    void shutdown() throws SQLException {
        PARTITION.heal();
        PARTITION.watch(null);
        for (QuicNode n : nodes) {
            n.close();
        }
    }

    private void awaitConverged(List<QuicNode> group) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            QuicNode first = group.get(0);
            for (QuicNode n : group.subList(1, group.size())) {
                assertSame(n.name + " rows vs " + first.name, n.query(ITEMS), first.query(ITEMS));
                assertSame(n.name + " crsql_changes vs " + first.name, n.changes(), first.changes());
            }
        });
    }

    /** Equal lists, or a failure that shows only the rows each side has alone. */
    private static void assertSame(String what, List<List<Object>> actual, List<List<Object>> expected) {
        List<List<Object>> onlyActual = new ArrayList<>(actual);
        onlyActual.removeAll(expected);
        List<List<Object>> onlyExpected = new ArrayList<>(expected);
        onlyExpected.removeAll(actual);
        assertThat(onlyActual).as(what + ": rows only here (the other has " + onlyExpected + ")").isEmpty();
        assertThat(onlyExpected).as(what + ": rows missing here").isEmpty();
        assertThat(actual).as(what).isEqualTo(expected);
    }

    @Test
    void concurrentInsertsConflictingUpdatesDeletesAndReinsertsConverge() throws Exception {
        List<QuicNode> all = cluster(3, ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        QuicNode c = all.get(2);
        a.exec("INSERT INTO item VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");
        awaitConverged(all);

        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            QuicNode n = all.get(k);
            int base = 100 * (k + 1);
            writers.add(new Thread(() -> {
                try (Connection own = DriverManager.getConnection(n.url); Statement s = own.createStatement()) {
                    for (int i = 0; i < 40; i++) {
                        s.executeUpdate("INSERT INTO item VALUES (" + (base + i) + ", '" + n.name + "', " + i + ")");
                    }
                    s.executeUpdate("UPDATE item SET name = 'renamed by " + n.name + "' WHERE id = 1");
                    s.executeUpdate("UPDATE item SET qty = qty + 10 WHERE id = 1");
                } catch (SQLException e) {
                    failures.add(e);
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread t : writers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        b.exec("DELETE FROM item WHERE id = 2");
        c.exec("UPDATE item SET qty = 99 WHERE id = 2");
        a.exec("DELETE FROM item WHERE id = 3");
        a.exec("INSERT INTO item VALUES (3, 'three again', 33)");
        // Row 100 is a's: c deletes it once it has it (before, the DELETE would find nothing and the row would stay).
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(c.query("SELECT count(*) FROM item WHERE id = 100")).containsExactly(List.of(1L)));
        c.exec("DELETE FROM item WHERE id = 100");
        assertThat(c.query("SELECT count(*) FROM item WHERE id = 100")).containsExactly(List.of(0L));

        awaitConverged(all);
        assertThat(a.query("SELECT name, qty FROM item WHERE id = 3")).containsExactly(List.of("three again", 33L));
        assertThat(a.query("SELECT count(*) FROM item WHERE id BETWEEN 100 AND 399")).containsExactly(List.of(119L));
    }

    @Test
    void aTokenFromOneNodeIsAwaitedOnAnother() throws Exception {
        List<QuicNode> all = cluster(2, ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        a.exec("INSERT INTO item VALUES (7, 'seven', 7)");
        String token = a.corrosion.lastCommitToken();
        assertThat(token).matches("[0-9a-f]{32}:\\d+");
        assertThat(a.corrosion.awaitVersion(token, Duration.ZERO)).isTrue();
        assertThat(b.corrosion.awaitVersion(token, Duration.ofSeconds(20))).isTrue();
        assertThat(b.query("SELECT name FROM item WHERE id = 7")).containsExactly(List.of("seven"));

        String future = token.substring(0, 33) + "999999";
        long t0 = System.nanoTime();
        assertThat(b.corrosion.awaitVersion(future, Duration.ofMillis(300))).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThatThrownBy(() -> b.corrosion.awaitVersion("not a token", Duration.ZERO))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
    }

    @Test
    void listenersHearLocalAndRemoteTransactionsAndASlowOneDoesNotHoldUpReplication() throws Exception {
        List<QuicNode> all = cluster(2, ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        AutoCloseable slow = b.corrosion.addChangeListener(event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AutoCloseable handle = b.corrosion.addChangeListener(heard::add);
        b.exec("INSERT INTO item VALUES (1, 'local', 1)");
        for (int i = 2; i <= 20; i++) {
            a.exec("INSERT INTO item VALUES (" + i + ", 'remote', " + i + ")");
        }
        // The stuck listener holds up only the listeners: replication goes on.
        await().atMost(Duration.ofSeconds(20)).until(() -> b.query(ITEMS).size() == 20);
        assertThat(heard).isEmpty();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 20);
        slow.close();
        ChangeEvent local = heard.stream().filter(ChangeEvent::local).findFirst().orElseThrow();
        assertThat(local.tables()).containsExactly("item");
        assertThat(local.rows().get("item")).singleElement()
                .satisfies(pk -> assertThat(io.corrosion.jdbc.crr.PackedColumns.unpack(pk)).containsExactly(1L));
        assertThat(heard.stream().filter(e -> !e.local())).hasSize(19)
                .allSatisfy(e -> assertThat(e.rowsImpacted()).isPositive());
        // the driver's own tables (the slot claims each node replicates) never reach the application
        assertThat(heard).allSatisfy(e -> assertThat(e.tables()).containsExactly("item"));
        handle.close();
        a.exec("INSERT INTO item VALUES (21, 'unheard', 21)");
        await().atMost(Duration.ofSeconds(20)).until(() -> b.query(ITEMS).size() == 21);
        assertThat(heard).hasSize(20);
    }

    /**
     * A node's first versions are its own, from before the application writes: its node slot claim. Peers get them
     * without any write of the application's (by sync; the agent starts from the versions committed when it takes the
     * write lock, not only those some call reported finished).
     */
    @Test
    void aNodesSlotClaimReachesItsPeersBeforeAnyApplicationWrite() throws Exception {
        claimSlots = true;
        List<QuicNode> all = cluster(2, ITEM);
        for (QuicNode n : all) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    n.query("SELECT count(*) FROM __corrosion_node_slots")).as(n.file.toString())
                    .containsExactly(List.of(2L)));
        }
    }

    @Test
    void membersStatsAndTheMBeanShowTheCluster() throws Exception {
        List<QuicNode> all = cluster(3, ITEM);
        QuicNode a = all.get(0);
        a.exec("INSERT INTO item VALUES (1, 'x', 1)");
        await().atMost(Duration.ofSeconds(20)).until(() -> all.get(2).query(ITEMS).size() == 1);
        ObjectName name = AgentMBean.objectName(a.file.toRealPath().toString());
        var server = ManagementFactory.getPlatformMBeanServer();
        // awaited: with fastGossip's 150 ms probe timeout, a pause of the machine can make a member SUSPECT a while
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(a.corrosion.members()).hasSize(2).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MemberStatus.ALIVE);
                assertThat(m.siteId()).hasSize(32);
            });
            assertThat(a.corrosion.replicationStats().orElseThrow().membersAlive()).isEqualTo(2);
            assertThat(server.getAttribute(name, "MembersAlive")).isEqualTo(2);
            assertThat((String[]) server.getAttribute(name, "Members")).hasSize(2)
                    .allSatisfy(line -> assertThat(line).matches("[0-9a-f]{32} \\S+:\\d+ ALIVE \\S+"));
        });
        ReplicationStats stats = a.corrosion.replicationStats().orElseThrow();
        assertThat(stats.changesetsBroadcast()).isPositive();
        assertThat(stats.localVersionsPublished()).isPositive();
        assertThat(stats.walFlushes()).as("synchronous=NORMAL: the WAL flushed before the commit left").isPositive();
        assertThat((Long) server.getAttribute(name, "ChangesetsBroadcast")).isPositive();
        assertThat((Long) server.getAttribute(name, "WalFlushes")).isPositive();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat((Long) server.getAttribute(name, "Checkpoints")).as("the WAL checkpointed since the insert")
                    .isPositive();
            assertThat((Long) server.getAttribute(name, "WalPages")).isPositive();
        });
        assertThat((Long) server.getAttribute(name, "CheckpointMaxMillis"))
                .isLessThanOrEqualTo((Long) server.getAttribute(name, "CheckpointMillis"));
        assertThat((Long) server.getAttribute(name, "WalFlushMaxMillis"))
                .isLessThanOrEqualTo((Long) server.getAttribute(name, "WalFlushMillis"));
        assertThat((String[]) server.getAttribute(name, "SiteVersions"))
                .startsWith(stats.siteId() + " " + a.corrosion.dbVersion() + " 0");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                all.get(2).corrosion.replicationStats().orElseThrow().remoteVersionsApplied()).isPositive());
        ObjectName third = AgentMBean.objectName(all.get(2).file.toRealPath().toString());
        long heldBefore = all.get(2).corrosion.replicationStats().orElseThrow().applyLockMillis();
        long heldJmx = (Long) server.getAttribute(third, "ApplyLockMillis");
        long heldAfter = all.get(2).corrosion.replicationStats().orElseThrow().applyLockMillis();
        assertThat(heldJmx).as("JMX: the apply transactions' hold on the write lock").isBetween(heldBefore, heldAfter);
        long ranBefore = all.get(2).corrosion.replicationStats().orElseThrow().applyLockCpuMillis();
        long ranJmx = (Long) server.getAttribute(third, "ApplyLockCpuMillis");
        ReplicationStats thirdNow = all.get(2).corrosion.replicationStats().orElseThrow();
        assertThat(ranJmx).as("JMX: of that, on a core").isBetween(ranBefore, thirdNow.applyLockCpuMillis());
        assertThat(thirdNow.applyLockCpuMillis()).as("on a core, at most while held").isLessThanOrEqualTo(
                thirdNow.applyLockMillis() + 1);

        CorrosionDriver.shutdown(all.get(1).file.toString());
        assertThat(server.isRegistered(AgentMBean.objectName(all.get(1).file.toRealPath().toString()))).isFalse();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.corrosion.members().stream()
                .anyMatch(m -> m.state().isDown()));
    }

    @Test
    void aStreamOfCommitsLeavesInFewMessagesAndACommitAfterAQuietSpellAlone() throws Exception {
        List<QuicNode> c = cluster(2, ITEM);
        QuicNode a = c.get(0);
        QuicNode b = c.get(1);
        int from = a.port();
        WireCodec codec = new WireCodec(16 << 20);
        List<Integer> frames = new CopyOnWriteArrayList<>(); // changesets per broadcast frame a sends b
        PARTITION.watch((port, to, message) -> {
            if (port == from && to.getPort() == portOf(b)) {
                try {
                    GossipMessage m = codec.decode(message);
                    if (m instanceof BroadcastBatch batch) {
                        frames.add(batch.messages().size());
                    } else if (m instanceof BroadcastMessage) {
                        frames.add(1);
                    }
                } catch (DecodeException e) {
                    throw new AssertionError(e);
                }
            }
        });
        a.exec("INSERT INTO item VALUES (1, 'quiet', 0)");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.query(ITEMS).size() == 1);
        // b may have had the row by sync first: the broadcast comes all the same
        await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty());
        assertThat(frames).containsExactly(1);

        // a steady stream, as an application's: a commit every 2 ms, each its own transaction
        long start = System.nanoTime();
        try (PreparedStatement insert = a.conn.prepareStatement("INSERT INTO item VALUES (?, 'stream', 0)")) {
            for (int i = 2; i <= 41; i++) {
                LockSupport.parkNanos(start + (i - 2) * 2_000_000L - System.nanoTime()); // paces the load
                insert.setInt(1, i);
                insert.executeUpdate();
            }
        }
        long lingers = (System.nanoTime() - start) / Math.max(1, AgentSettings.PUBLISH_LINGER.toNanos());
        await().atMost(Duration.ofSeconds(10)).until(() -> b.query(ITEMS).size() == 41);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().mapToInt(Integer::intValue).sum() >= 41);
        // a publish round per linger at most (the last after the loop), its changesets in one message: without the
        // linger, about one message per commit (17 of them here, as a send in flight gathers a few)
        assertThat(frames.size() - 1).as("messages for 40 commits in %d lingers: %s", lingers, frames)
                .isLessThanOrEqualTo((int) Math.min(lingers + 2, 30));
    }

    private int portOf(QuicNode n) {
        try {
            return n.port();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPartitionHeals() throws Exception {
        List<QuicNode> all = cluster(3, ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        QuicNode c = all.get(2);
        PARTITION.cut(Set.of(a.port()), Set.of(b.port(), c.port()));
        a.exec("INSERT INTO item VALUES (1, 'on the island', 1)");
        b.exec("INSERT INTO item VALUES (2, 'on the mainland', 2)");
        a.exec("UPDATE item SET qty = 5 WHERE id = 1");
        // Asserted while awaited: a failure shows what c has (once, a sync session open at the cut brought it the
        // island's rows too, and waiting for one row said only that the wait timed out).
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(c.query(ITEMS)).containsExactly(List.of(2L, "on the mainland", 2L)));
        assertThat(a.query(ITEMS)).containsExactly(List.of(1L, "on the island", 5L));

        PARTITION.heal();
        awaitConverged(all);
        assertThat(c.query(ITEMS)).hasSize(2);
    }

    @Test
    void mergesAreNotStuckOnTheApplicationsForeignKeys() throws Exception {
        urlExtra = "&foreign_keys=true";
        List<QuicNode> all = cluster(2, "CREATE TABLE parent (id INTEGER PRIMARY KEY NOT NULL, name TEXT)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY NOT NULL, parent_id INTEGER REFERENCES parent (id), name TEXT)");
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        a.exec("INSERT INTO parent VALUES (1, 'parent')");
        await().atMost(Duration.ofSeconds(20)).until(() -> b.query("SELECT id FROM parent").size() == 1);

        // Apart, each write is valid where it is made; merged, the child's parent is gone. Enforced on the agent's
        // merges, the foreign key would refuse them on both nodes, again and again, and replication would stop.
        PARTITION.cut(Set.of(a.port()), Set.of(b.port()));
        a.exec("DELETE FROM parent WHERE id = 1");
        b.exec("INSERT INTO child VALUES (10, 1, 'orphan to be')");
        PARTITION.heal();
        a.exec("INSERT INTO parent VALUES (2, 'after the partition')");

        String both = "SELECT 'parent', id, name FROM parent UNION ALL SELECT 'child', id, name FROM child ORDER BY 1, 2";
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(b.query(both)).isEqualTo(a.query(both)).hasSize(2));
        assertThat(a.query(both)).containsExactly(List.of("child", 10L, "orphan to be"),
                List.of("parent", 2L, "after the partition"));
        assertThat(a.query("SELECT count(*) FROM pragma_foreign_key_check")).containsExactly(List.of(1L));
    }

    @Test
    void aNewNodeJoinsAndCatchesUp() throws Exception {
        List<QuicNode> all = cluster(2, ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        for (int i = 0; i < 300; i++) {
            (i % 2 == 0 ? a : b).exec("INSERT INTO item VALUES (" + i + ", 'row " + i + "', " + i + ")");
        }
        awaitConverged(all);
        a.exec("UPDATE item SET qty = -1 WHERE id < 100");
        b.exec("DELETE FROM item WHERE id >= 290");
        awaitConverged(all);
        QuicNode late = node("late", b, ITEM);
        awaitConverged(nodes);
        assertThat(late.query(ITEMS)).hasSize(290);
        assertThat(late.corrosion.awaitVersion(a.corrosion.lastCommitToken(), Duration.ZERO)).isTrue();
    }

    @Test
    void changesForATableThisNodeLacksWaitForItsMigration() throws Exception {
        QuicNode a = node("a", null, ITEM);
        QuicNode b = node("b", a);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.alive() == 1 && b.alive() == 1);
        a.exec("INSERT INTO item VALUES (1, 'early', 1)");
        String token = a.corrosion.lastCommitToken();
        assertThat(b.corrosion.awaitVersion(token, Duration.ofSeconds(20))).isTrue();
        assertThat(b.corrosion.replicationStats().orElseThrow().pendingChanges()).isPositive();

        b.exec(ITEM);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.query(ITEMS).size() == 1);
        assertThat(b.query(ITEMS)).containsExactly(List.of(1L, "early", 1L));
        assertThat(b.corrosion.replicationStats().orElseThrow().pendingChanges()).isZero();
    }

    /**
     * A rolling upgrade that drops a column and a table: the nodes not upgraded yet go on writing them, and their
     * changes would wait for a schema that never comes back, for good, against the bound of kept changes. They are kept
     * outside it; the rest of each version merges, and a table created again takes the rows written meanwhile.
     */
    @Test
    void changesOfAColumnOrTableThisNodeDroppedAreKeptOutsideTheBound() throws Exception {
        String note = "CREATE TABLE note (id INTEGER PRIMARY KEY NOT NULL, text TEXT)";
        List<QuicNode> all = cluster(2, ITEM, note);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        a.exec("ALTER TABLE item DROP COLUMN qty");
        a.exec("DROP TABLE note");

        b.exec("INSERT INTO item VALUES (1, 'from b', 5)");
        b.exec("UPDATE item SET qty = 6, name = 'b again' WHERE id = 1");
        b.exec("INSERT INTO note VALUES (1, 'not for a')");
        assertThat(a.corrosion.awaitVersion(b.corrosion.lastCommitToken(), Duration.ofSeconds(20))).isTrue();
        assertThat(a.query("SELECT id, name FROM item")).containsExactly(List.of(1L, "b again"));
        assertThat(a.corrosion.replicationStats().orElseThrow().pendingChanges()).isZero();
        // qty's (one or two: the insert's value is gone from b's changes if it was overwritten before they were read)
        // and note's text
        long kept = a.corrosion.replicationStats().orElseThrow().droppedSchemaChanges();
        assertThat(kept).isBetween(2L, 3L);

        a.exec(note);
        b.exec("INSERT INTO note VALUES (2, 'for a again')");
        await().atMost(Duration.ofSeconds(20)).until(() -> a.query("SELECT id, text FROM note").size() == 2);
        assertThat(a.query("SELECT id, text FROM note ORDER BY id")).containsExactly(List.of(1L, "not for a"),
                List.of(2L, "for a again"));
        assertThat(a.corrosion.replicationStats().orElseThrow().pendingChanges()).isZero();
        assertThat(a.corrosion.replicationStats().orElseThrow().droppedSchemaChanges()).as("qty's").isEqualTo(kept - 1);
    }

    @Test
    void aMergedClaimOfThisNodesKeySlotByALowerSiteMovesThisNodeToAnotherSlot() throws Exception {
        String auto = "CREATE TABLE auto (id INTEGER PRIMARY KEY, v TEXT)";
        claimSlots = true; // a configured slot is never given up
        List<QuicNode> all = cluster(2, auto);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        b.exec("INSERT INTO auto (v) VALUES ('before')");
        long slot = (((Number) b.query("SELECT max(id) FROM auto").get(0).get(0)).longValue() - 1) % 1024;
        // a writes a claim of b's slot by a site id below every real one: the lower site keeps the slot. Once b's own
        // claim is on a, that is an update of it (col_version 2), which wins on b; before, it would be a second first
        // claim (col_version 1), which b's claim wins on value.
        await().atMost(Duration.ofSeconds(20)).until(() -> a.query(
                "SELECT 1 FROM __corrosion_node_slots WHERE slot = " + slot).size() == 1);
        a.exec("INSERT OR REPLACE INTO __corrosion_node_slots (slot, site_id, claimed_at) VALUES (" + slot
                + ", zeroblob(16), 1)");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            b.exec("INSERT INTO auto (v) VALUES ('after')");
            long id = ((Number) b.query("SELECT max(id) FROM auto WHERE v = 'after'").get(0).get(0)).longValue();
            assertThat((id - 1) % 1024).isNotEqualTo(slot);
        });
    }

    @Test
    void theAgentOutlivesConnectionsAndStopsWithTheDatabase() throws Exception {
        List<QuicNode> all = cluster(2, ITEM);
        QuicNode a = all.get(0);
        QuicNode b = all.get(1);
        b.conn.close();
        a.exec("INSERT INTO item VALUES (1, 'while b had no connection', 1)");
        String token = a.corrosion.lastCommitToken();
        try (Connection again = DriverManager.getConnection(b.url)) {
            assertThat(again.unwrap(CorrosionConnection.class).awaitVersion(token, Duration.ofSeconds(20))).isTrue();
            assertThat(Rows.query(again, ITEMS)).hasSize(1);
        }
        CorrosionDriver.shutdown(b.file.toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> a.alive() == 0);
    }
}
