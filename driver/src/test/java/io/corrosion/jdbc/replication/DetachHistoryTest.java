package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * a node whose history has every kind of clock (a clock range partly written out, composite text keys, a keyless
 * table, ALTER TABLE ADD/DROP COLUMN, a primary-key change, deletes, a merged remote change) is copied through the
 * driver. The copy must hold the same changes under the same (site, version, seq); nothing of the former site may
 * stay "local"; and a brand-new node fed from the copy must end equal to one fed from the original.
 */
class DetachHistoryTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static CorrosionConnection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + file).unwrap(CorrosionConnection.class);
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static List<String> text(List<Change> changes) {
        return changes.stream().map(Change::toString).sorted().toList();
    }

    private static final String[] TABLES = {"big", "comp", "nokey", "alt", "pkc"};

    private static List<List<Object>> contents(Connection c) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        for (String t : TABLES) {
            out.add(List.of(t));
            out.addAll(Rows.query(c, "SELECT * FROM " + t + " ORDER BY 1, 2"));
        }
        return out;
    }

    private CorrosionConnection nodeWithHistory() throws SQLException {
        CorrosionConnection a = open(dir.resolve("a.db"));
        exec(a, "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT, w INTEGER)",
                "CREATE TABLE comp (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, PRIMARY KEY (a, b))",
                "CREATE TABLE nokey (x TEXT, y INTEGER)",
                "CREATE TABLE alt (k INTEGER PRIMARY KEY, v TEXT, gone TEXT)",
                "CREATE TABLE pkc (k INTEGER PRIMARY KEY, v TEXT)");
        a.setAutoCommit(false);
        try (PreparedStatement p = a.prepareStatement("INSERT INTO big (v, w) VALUES (?, ?)")) {
            for (int i = 0; i < 5000; i++) {
                p.setString(1, "bulk");
                p.setInt(2, i);
                p.addBatch();
            }
            p.executeBatch();
        }
        a.commit();
        a.setAutoCommit(true);
        exec(a, "UPDATE big SET v = 'changed' WHERE id IN (SELECT id FROM big ORDER BY id LIMIT 3 OFFSET 100)",
                "DELETE FROM big WHERE id = (SELECT id FROM big ORDER BY id LIMIT 1 OFFSET 2000)",
                "INSERT INTO comp VALUES ('x', 1, 'a'), ('x', 2, 'b'), ('y', 1, 'c')",
                "UPDATE comp SET v = 'B' WHERE a = 'x' AND b = 2",
                "DELETE FROM comp WHERE a = 'y'",
                "INSERT INTO nokey VALUES ('p', 1), ('q', 2)",
                "UPDATE nokey SET y = 20 WHERE x = 'q'",
                "INSERT INTO alt VALUES (1, 'one', 'g1'), (2, 'two', 'g2')",
                "ALTER TABLE alt DROP COLUMN gone",
                "ALTER TABLE alt ADD COLUMN extra TEXT DEFAULT 'd'",
                "UPDATE alt SET extra = 'e' WHERE k = 2",
                "INSERT INTO pkc VALUES (1, 'one'), (2, 'two')",
                "UPDATE pkc SET k = 10 WHERE k = 1");
        try (CorrosionConnection r = open(dir.resolve("r.db"))) {
            exec(r, "CREATE TABLE pkc (k INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO pkc VALUES (50, 'remote')");
            assertThat(a.applyChanges(r.changesSince(0))).isPositive();
        }
        return a;
    }

    @Test
    void theCopyHoldsTheSameChangesAndNothingOfTheFormerSiteStaysLocal() throws Exception {
        CorrosionConnection a = nodeWithHistory();
        byte[] site = a.siteId();
        long version = a.dbVersion();
        List<String> all = text(a.changesSince(0));
        List<String> own = text(a.changes(site, 1, version));
        Path copy = dir.resolve("copy.db");
        exec(a, "BACKUP TO " + copy);

        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            for (String t : TABLES) {
                List<String> siteCols = new ArrayList<>();
                for (List<Object> col : Rows.query(raw, "SELECT name FROM pragma_table_info('" + t + "__crsql_clock')"
                        + " WHERE name LIKE '%site'")) {
                    siteCols.add(col.get(0) + " = 0");
                }
                assertThat(Rows.query(raw, "SELECT count(*) FROM \"" + t + "__crsql_clock\" WHERE "
                        + String.join(" OR ", siteCols))).as("clock fields of %s left at ordinal 0", t)
                        .containsExactly(List.of(0L));
            }
            assertThat(Rows.query(raw, "SELECT count(*) FROM __corrosion_log WHERE site = 0"))
                    .containsExactly(List.of(0L));
            assertThat(Rows.query(raw, "SELECT count(*) FROM __corrosion_log_range WHERE site = 0"))
                    .containsExactly(List.of(0L));
            assertThat(Rows.query(raw, "SELECT count(*) FROM __corrosion_clock_range")).containsExactly(List.of(0L));
        }

        try (CorrosionConnection b = open(copy)) {
            assertThat(text(b.changesSince(0))).as("every change, same site/version/seq").isEqualTo(all);
            assertThat(text(b.changes(site, 1, version))).as("the former site's versions").isEqualTo(own);
            assertThat(b.changes(b.siteId(), 1, Long.MAX_VALUE)).as("nothing is the new site's yet").isEmpty();

            try (CorrosionConnection fromCopy = open(dir.resolve("c1.db"));
                    CorrosionConnection fromOriginal = open(dir.resolve("c2.db"))) {
                for (CorrosionConnection n : List.of(fromCopy, fromOriginal)) {
                    exec(n, "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT, w INTEGER)",
                            "CREATE TABLE comp (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, PRIMARY KEY (a, b))",
                            "CREATE TABLE nokey (x TEXT, y INTEGER)",
                            "CREATE TABLE alt (k INTEGER PRIMARY KEY, v TEXT, extra TEXT DEFAULT 'd')",
                            "CREATE TABLE pkc (k INTEGER PRIMARY KEY, v TEXT)");
                }
                fromCopy.applyChanges(b.changes(site, 1, version));
                fromOriginal.applyChanges(a.changes(site, 1, version));
                List<String> got = text(fromCopy.changesSince(0));
                List<String> want = text(fromOriginal.changesSince(0));
                assertThat(got.stream().filter(x -> !want.contains(x)).toList()).as("changes only the node fed from the copy has")
                        .isEqualTo(want.stream().filter(x -> !got.contains(x)).toList());
                assertThat(contents(fromCopy)).isEqualTo(contents(fromOriginal));
            }
            exec(b, "UPDATE big SET w = -1 WHERE id = (SELECT id FROM big ORDER BY id LIMIT 1 OFFSET 4000)",
                    "UPDATE comp SET v = 'new' WHERE a = 'x' AND b = 1");
            assertThat(b.changes(b.siteId(), 1, Long.MAX_VALUE)).as("the new site's first writes only").hasSize(2);
        }
    }

    /** The same history, copied beside the driver while the node runs (its journal unflushed), then detached. */
    @Test
    void anUncleanCopyOfTheSameHistoryHoldsTheSameChanges() throws Exception {
        CorrosionConnection a = nodeWithHistory();
        a.setAutoCommit(false);
        try (PreparedStatement p = a.prepareStatement("INSERT INTO big (v, w) VALUES (?, ?)")) {
            for (int i = 0; i < 5000; i++) {
                p.setString(1, "late");
                p.setInt(2, i);
                p.addBatch();
            }
            p.executeBatch();
        }
        a.commit();
        a.setAutoCommit(true);
        exec(a, "UPDATE big SET v = 'late changed' WHERE id = (SELECT max(id) FROM big)");
        byte[] site = a.siteId();
        long version = a.dbVersion();
        List<String> all = text(a.changesSince(0));
        Path copy = dir.resolve("raw.db");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                Statement s = plain.createStatement()) {
            s.execute("backup to " + copy); // sqlite-jdbc's, beside the driver: a WAL-mode copy, identity and all
        }
        assertThat(CorrosionDriver.forgetNodeIdentity(copy.toString())).isTrue();
        try (CorrosionConnection b = open(copy)) {
            assertThat(text(b.changesSince(0))).isEqualTo(all);
            assertThat(Rows.query(b, "SELECT db_version FROM crsql_db_versions WHERE site_id = x'"
                    + java.util.HexFormat.of().formatHex(site) + "'")).containsExactly(List.of(version));
        }
    }
}
