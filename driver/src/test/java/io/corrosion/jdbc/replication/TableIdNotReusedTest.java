package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dropped CRR's id is not given to the next table made a CRR. The journal's entries, the listeners and the agent name a
 * transaction's tables by id: when the id of a dropped table with a TEXT key went to a table with a composite key, the
 * dropped table's keys were read as the new one's (a String cast to the packed key's byte[]), the commit was never
 * delivered and the agent could not read it.
 */
class TableIdNotReusedTest {
    private static final String B = "CREATE TABLE b (x INTEGER NOT NULL, y INTEGER NOT NULL, v, PRIMARY KEY (x, y))";
    /** One transaction: a row of {@code a}, whose key is TEXT, then {@code a} goes and {@code b}, with a composite key, comes. */
    private static final List<String> DROP_AND_MAKE_ANOTHER = List.of("BEGIN", "INSERT INTO a VALUES ('k1', 1)",
            "DROP TABLE a", B, "INSERT INTO b VALUES (1, 2, 'v')", "COMMIT");
    private static final Partition PARTITION = new Partition();

    @TempDir
    Path dir;

    private final List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void fastGossip() {
        QuicNode.fastGossip(PARTITION);
    }

    @AfterAll
    static void defaultGossip() {
        QuicNode.defaultGossip();
    }

    @AfterEach
    void shutdown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        CorrosionDriver.shutdownAll();
    }

    @Test
    void aCommitThatDropsATableAndMakesAnotherIsHeardWithBoth() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db"));
        open.add(c);
        exec(c, "CREATE TABLE a (name TEXT PRIMARY KEY NOT NULL, v)");
        c.unwrap(CorrosionConnection.class).addChangeListener(heard::add);
        exec(c, "INSERT INTO a VALUES ('k0', 0)");
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1); // the listeners know table a now

        for (String sql : DROP_AND_MAKE_ANOTHER) {
            exec(c, sql);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
        assertThat(rows(heard.get(1))).isEqualTo(Map.of("a", List.of(List.of("k1")), "b", List.of(List.of(1L, 2L))));
    }

    @Test
    void theAgentSendsTheNewTablesRowsOfSuchACommit() throws Exception {
        String a = "CREATE TABLE a (name TEXT PRIMARY KEY NOT NULL, v)";
        QuicNode one = new QuicNode(dir, "one", "", "&node-slot=1", a);
        open.add(one);
        QuicNode two = new QuicNode(dir, "two", one.address(), "&node-slot=2", a, B);
        open.add(two);
        await().atMost(Duration.ofSeconds(20)).until(() -> one.alive() == 1 && two.alive() == 1);

        for (String sql : DROP_AND_MAKE_ANOTHER) {
            one.exec(sql);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> !two.query("SELECT x, y, v FROM b").isEmpty());
        assertThat(two.query("SELECT x, y, v FROM b")).containsExactly(List.of(1L, 2L, "v"));
    }

    @Test
    void aFileFromBeforeTheRecordSkipsTheIdsItsLogStillNames() throws Exception {
        String url = "jdbc:corrosion:" + dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "CREATE TABLE a (id INTEGER PRIMARY KEY, v)");
            exec(c, B);
            exec(c, "INSERT INTO b VALUES (1, 2, 'v')");
            exec(c, "DROP TABLE b");
        }
        CorrosionDriver.shutdownAll();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("old.db"))) {
            exec(plain, "DELETE FROM crsql_master WHERE key = 'corrosion_last_table_id'"); // as in a file written before the record
            assertThat(Rows.query(plain, "SELECT DISTINCT tbl FROM __corrosion_log WHERE tbl = 2")).isNotEmpty();
        }
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "CREATE TABLE c (id INTEGER PRIMARY KEY, v)");
            assertThat(Rows.query(c, "SELECT name, tbl FROM __corrosion_crr ORDER BY tbl"))
                    .containsExactly(List.of("a", 1L), List.of("c", 3L));
        }
    }

    /** The event's rows by table, each key unpacked. */
    private static Map<String, List<List<Object>>> rows(ChangeEvent e) {
        Map<String, List<List<Object>>> out = new TreeMap<>();
        e.rows().forEach((table, pks) -> out.put(table, pks.stream().map(PackedColumns::unpack).toList()));
        return out;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
