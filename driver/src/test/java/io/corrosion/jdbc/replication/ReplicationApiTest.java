package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.MemberStatus;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.PackedColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user-facing replication APIs where a review found them wrong: a listener that throws an Error, awaitVersion with
 * a timeout too long for nanoseconds and during a shutdown, and a version kept for its schema then merged.
 */
class ReplicationApiTest {
    static final String KV = "CREATE TABLE kv (k TEXT PRIMARY KEY NOT NULL, v TEXT)";
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY NOT NULL, name TEXT, qty INTEGER)";
    static final String OTHER_SITE = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private final List<Path> files = new ArrayList<>();
    private final List<Connection> conns = new ArrayList<>();

    private Connection open(String name, String query) throws SQLException {
        Path file = dir.resolve(name + ".db");
        files.add(file);
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + file + query);
        conns.add(c);
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @AfterEach
    void shutdown() throws SQLException {
        for (Connection c : conns) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closed by a shutdown already
            }
        }
        for (Path f : files) {
            CorrosionDriver.shutdown(f.toString());
        }
    }

    /** A second node seeded with {@code a}'s, once each sees the other alive. */
    private Connection joined(Connection a, String name, String settings) throws SQLException {
        CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
        String seed = ca.replicationStats().orElseThrow().address();
        Connection b = open(name, "?bind=127.0.0.1:0&tls.insecure=true&" + settings + "&seeds=" + seed);
        CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> cb.members().stream()
                .anyMatch(m -> m.state() == MemberStatus.ALIVE) && ca.members().stream()
                .anyMatch(m -> m.state() == MemberStatus.ALIVE));
        return b;
    }

    private static List<String> keysOf(ChangeEvent e, String table) {
        return e.rows().getOrDefault(table, List.of()).stream()
                .map(pk -> String.valueOf(PackedColumns.unpack(pk).get(0))).collect(Collectors.toList());
    }

    /** A listener that throws an Error (AssertionError, StackOverflowError, ...) must not stop the others. */
    @Test
    void anErrorInOneListenerDoesNotStopDeliveryToTheOthers() throws Exception {
        Connection c = open("err", "");
        exec(c, KV);
        CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
        cc.addChangeListener(e -> {
            throw new AssertionError("a listener's failed assertion");
        });
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        cc.addChangeListener(heard::add);
        exec(c, "INSERT INTO kv VALUES ('a', '1')");
        exec(c, "INSERT INTO kv VALUES ('b', '2')");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heard).hasSize(2));
    }

    /** "every transaction committed on this database file from now on": not the ones before it registered. */
    @Test
    void aListenerDoesNotHearCommitsMadeBeforeItRegistered() throws Exception {
        Connection c = open("before", "");
        exec(c, KV);
        exec(c, "INSERT INTO kv VALUES ('before', '1')");
        CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        cc.addChangeListener(heard::add);
        exec(c, "INSERT INTO kv VALUES ('after', '2')");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> heard.stream().anyMatch(e -> keysOf(e, "kv").contains("after")));
        assertThat(heard).as("events heard").allSatisfy(e -> assertThat(keysOf(e, "kv")).doesNotContain("before"));
    }

    /** A timeout too large for nanoseconds ("wait for ever"): a wait, or an SQLException; not an ArithmeticException. */
    @Test
    void aVeryLongTimeoutWaitsAndAnInterruptGives57014() throws Exception {
        Connection c = open("long", "?bind=127.0.0.1:0&tls.insecure=true");
        CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                cc.awaitVersion(OTHER_SITE + ":5", Duration.ofDays(365L * 1000));
                outcome.set(new AssertionError("returned"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> outcome.get() != null
                || waiter.getState() == Thread.State.TIMED_WAITING || waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();
        waiter.join(5_000);
        assertThat(outcome.get()).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("57014"));
    }

    /** A thread in awaitVersion on a database being shut down should not wait out its timeout. */
    @Test
    void awaitVersionEndsWhenTheDatabaseShutsDown() throws Exception {
        Connection c = open("shut", "?bind=127.0.0.1:0&tls.insecure=true");
        CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                outcome.set(cc.awaitVersion(OTHER_SITE + ":5", Duration.ofSeconds(60)));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        long t0 = System.nanoTime();
        CorrosionDriver.shutdown(files.get(0).toString());
        waiter.join(10_000);
        boolean stillWaiting = waiter.isAlive();
        waiter.interrupt();
        assertThat(stillWaiting).as("awaitVersion still blocked %d ms after shutdown",
                (System.nanoTime() - t0) / 1_000_000).isFalse();
    }

    /** A remote version kept for a missing table, merged after the migration: heard once, not twice. */
    @Test
    void aVersionKeptForItsSchemaThenMergedIsHeardOnce() throws Exception {
        Connection a = open("a", "?bind=127.0.0.1:0&tls.insecure=true&sync-interval=500ms");
        exec(a, ITEM);
        Connection b = joined(a, "b", "sync-interval=500ms");
        CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
        CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        cb.addChangeListener(heard::add);
        String siteA = ca.replicationStats().orElseThrow().siteId();

        exec(a, "INSERT INTO item VALUES (1, 'early', 1)");
        assertThat(cb.awaitVersion(ca.lastCommitToken(), Duration.ofSeconds(20))).isTrue();
        exec(b, ITEM);
        await().atMost(Duration.ofSeconds(10)).until(() -> Rows.query(b, "SELECT id FROM item").size() == 1);
        exec(a, "INSERT INTO item VALUES (2, 'marker', 2)");
        long marker = Long.parseLong(ca.lastCommitToken().substring(33));
        await().atMost(Duration.ofSeconds(20)).until(() -> heard.stream()
                .anyMatch(e -> e.siteId().equals(siteA) && e.dbVersion() == marker));

        List<String> fromA = heard.stream().filter(e -> e.siteId().equals(siteA))
                .map(e -> "v" + e.dbVersion() + " " + e.rows().keySet() + " impacted " + e.rowsImpacted())
                .collect(Collectors.toList());
        List<Long> versions = heard.stream().filter(e -> e.siteId().equals(siteA)).map(ChangeEvent::dbVersion)
                .collect(Collectors.toList());
        assertThat(versions).as("versions of site A heard on b: %s", fromA).doesNotHaveDuplicates();
    }

    /**
     * Commits acknowledged just before the database shuts down reach a peer that stays, though this node never comes
     * back: the agent publishes what is committed, and the gossip node hands its versions over (until the peer
     * answers it holds them all) before saying goodbye. Sync is an hour away: only the shutdown can bring them.
     */
    @Test
    void commitsMadeJustBeforeShutdownReachThePeers() throws Exception {
        // handover-timeout: a slow machine may need more than the default 5 s to deliver 300 commits
        Connection a = open("a", "?bind=127.0.0.1:0&tls.insecure=true&sync-interval=1h&handover-timeout=20s");
        exec(a, KV);
        Connection b = joined(a, "b", "sync-interval=1h");
        exec(b, KV);
        CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
        CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
        exec(a, "INSERT INTO kv VALUES ('first', 'x')");
        assertThat(cb.awaitVersion(ca.lastCommitToken(), Duration.ofSeconds(20))).isTrue();

        int commits = 300;
        for (int i = 0; i < commits; i++) {
            exec(a, "INSERT INTO kv VALUES ('k" + i + "', 'v')");
        }
        CorrosionDriver.shutdown(files.get(0).toString());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                ((Number) Rows.query(b, "SELECT count(*) FROM kv").get(0).get(0)).intValue())
                .as("rows of a on b").isEqualTo(commits + 1));
    }
}
