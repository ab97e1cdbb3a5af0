package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The clock-keeping rebuild ({@code Rebuilds}) where it meets the rest of the node: generated keys after a restart, kept
 * changes, merges and other tables' writes in its transaction, tombstones, metadata, triggers, a second connection.
 */
class RebuildEdgeCasesTest extends HandDeliveredNodes {
    static final String V1 = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)";
    static final String V2 = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))";
    static final String COPY = "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t";
    static final String[] REBUILD = {V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t"};
    static final String ROWS = "SELECT id, v, n FROM t ORDER BY id";

    /** A generated key after the rebuild is past every key this node generated before (also a deleted row's). */
    @Test
    void generatedKeyAfterRebuildIsNotADeletedRowsKey() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "INSERT INTO t (v, n) VALUES ('x', 1)", "INSERT INTO t (v, n) VALUES ('y', 2)",
                "INSERT INTO t (v, n) VALUES ('z', 3)");
        long max = (Long) a.scalar("SELECT max(id) FROM t");
        a.exec("DELETE FROM t WHERE id = " + max);
        a.inTransaction(REBUILD);
        a.exec("INSERT INTO t (v, n) VALUES ('new', 4)");
        long fresh = (Long) a.scalar("SELECT id FROM t WHERE v = 'new'");
        assertThat(fresh).as("key after the rebuild (deleted max %d)", max).isGreaterThan(max);
    }

    /** The same after a restart (the counter of t not in memory when the rebuild renames t_new to t). */
    @Test
    void generatedKeyAfterRestartAndRebuildIsNotADeletedRowsKey() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "INSERT INTO t (v, n) VALUES ('x', 1)", "INSERT INTO t (v, n) VALUES ('y', 2)",
                "INSERT INTO t (v, n) VALUES ('z', 3)");
        long max = (Long) a.scalar("SELECT max(id) FROM t");
        a.exec("DELETE FROM t WHERE id = " + max);
        a.close();
        CorrosionDriver.shutdownAll();
        a = node("a", 1);
        a.inTransaction(REBUILD);
        a.exec("INSERT INTO t (v, n) VALUES ('new', 4)");
        long fresh = (Long) a.scalar("SELECT id FROM t WHERE v = 'new'");
        assertThat(fresh).as("key after restart + rebuild (deleted max %d)", max).isGreaterThan(max);
    }

    /** A second connection that wrote t before the rebuild: its writes after the rebuild are captured. */
    @Test
    void secondConnectionWritesAfterRebuildAreCaptured() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        a.exec(V1);
        b.exec(V1);
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)");
        try (Connection second = DriverManager.getConnection(a.url); Statement s = second.createStatement()) {
            s.executeUpdate("UPDATE t SET v = 'uno' WHERE id = 1");
            try (var rs = s.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
            }
            a.inTransaction(REBUILD);
            s.executeUpdate("UPDATE t SET v = 'eins' WHERE id = 1");
            s.executeUpdate("INSERT INTO t VALUES (3, 'three', 3)");
            s.executeUpdate("DELETE FROM t WHERE id = 2");
        }
        delivery.deliverAll(a, b);
        assertThat(b.rows(ROWS)).as("b after sync; a's changes: %s", a.crr.changesSince(0)).isEqualTo(a.rows(ROWS));
        assertThat(a.rows(ROWS)).containsExactly(List.of(1L, "eins", 1L), List.of(3L, "three", 3L));
    }

    /** Changes for t kept on a node without t, then CREATE t and the rebuild in one transaction. */
    @Test
    void keptChangesForTThenCreateAndRebuildInOneTransaction() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        a.exec(V1, "INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)", "DELETE FROM t WHERE id = 3",
                "UPDATE t SET v = 'uno' WHERE id = 1");
        List<Change> kept = deliver(a, b);
        assertThat(kept).as("kept by b").isNotEmpty();
        List<String> all = new ArrayList<>(List.of(V1));
        all.addAll(List.of(REBUILD));
        b.inTransaction(all.toArray(String[]::new));
        b.crr.applyChanges(kept); // as the agent's KeptChanges does once the schema arrived
        assertThat(b.rows(ROWS)).as("b after create+rebuild").isEqualTo(a.rows(ROWS));
        // b must not have made a's rows its own writes
        byte[] siteB = b.crr.siteId();
        List<Change> bOwn = b.crr.changesSince(0).stream().filter(c -> java.util.Arrays.equals(c.siteId(), siteB)).toList();
        assertThat(bOwn).as("b's own changes after create+rebuild with kept changes").isEmpty();
        a.exec("UPDATE t SET v = 'ein' WHERE id = 1", "INSERT INTO t VALUES (3, 'back', 3)");
        delivery.deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
    }

    /** A merge (INSERT INTO crsql_changes) in the rebuild's transaction, before the copy: the remote clock stays. */
    @Test
    void mergeInTheRebuildsTransactionKeepsTheRemoteClock() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        a.exec(V1);
        b.exec(V1);
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)");
        delivery.deliverAll(a, b);
        b.exec("UPDATE t SET v = 'from b' WHERE id = 2");
        byte[] siteB = b.crr.siteId();
        byte[] siteA = a.crr.siteId();
        List<Change> fromB = b.crr.changesSince(0).stream().filter(c -> java.util.Arrays.equals(c.siteId(), siteB))
                .toList();
        assertThat(fromB).hasSize(1);
        Change ch = fromB.get(0);
        a.c.setAutoCommit(false);
        try (var p = a.c.prepareStatement("INSERT INTO crsql_changes (\"table\", pk, cid, val, col_version, db_version,"
                + " site_id, cl, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, ch.table());
            p.setBytes(2, ch.pk());
            p.setString(3, ch.cid());
            p.setObject(4, ch.val());
            p.setLong(5, ch.colVersion());
            p.setLong(6, ch.dbVersion());
            p.setBytes(7, ch.siteId());
            p.setLong(8, ch.cl());
            p.setLong(9, ch.seq());
            p.executeUpdate();
        }
        a.exec("UPDATE t SET v = 'local' WHERE id = 1");
        a.exec(REBUILD);
        a.c.commit();
        a.c.setAutoCommit(true);
        List<List<Object>> site = a.rows("SELECT hex(site_id), col_version, val FROM crsql_changes WHERE cid = 'v' AND"
                + " pk = crsql_pack_columns(2)");
        assertThat(site).as("the merged value keeps b's clock").containsExactly(List.of(
                java.util.HexFormat.of().withUpperCase().formatHex(siteB), ch.colVersion(), "from b"));
        delivery.deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
        // b got only a's update of row 1, nothing of its own back
        long av = a.crr.dbVersion();
        assertThat(a.crr.changesSince(0).stream().filter(c -> java.util.Arrays.equals(c.siteId(), siteA)
                && c.dbVersion() == av).map(Change::cid).toList()).as("a's rebuild version")
                .containsExactly("v");
    }

    /** (db_version, seq) of the rebuild's version unique when the transaction writes other tables too. */
    @Test
    void seqsOfTheRebuildsVersionAreUniqueWithOtherTables() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "CREATE TABLE u (id INTEGER PRIMARY KEY, x TEXT)",
                "INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3), (4, 'four', 4)");
        a.inTransaction("INSERT INTO u VALUES (1, 'before'), (2, 'before2')", V2,
                "INSERT INTO t_new (id, v, n) SELECT id, upper(v), n FROM t WHERE id <> 3", "INSERT INTO u VALUES (3, 'mid')",
                "DROP TABLE t", "ALTER TABLE t_new RENAME TO t", "INSERT INTO u VALUES (4, 'after')",
                "UPDATE t SET n = 40 WHERE id = 4", "INSERT INTO t VALUES (5, 'five', 5)");
        long v = a.crr.dbVersion();
        List<List<Object>> rows = a.rows("SELECT \"table\", hex(pk), cid, seq FROM crsql_changes WHERE db_version = " + v
                + " ORDER BY seq");
        Set<Object> seqs = new HashSet<>();
        rows.forEach(r -> seqs.add(r.get(3)));
        assertThat(seqs).as("seqs of version %d: %s", v, rows).hasSize(rows.size());
        List<Change> byApi = a.crr.changes(a.crr.siteId(), v, v);
        assertThat(byApi).as("changes(site, v, v) vs the view").hasSize(rows.size());
        assertThat(byApi.stream().map(Change::seq).toList()).as("ordered").isSorted();
    }

    /** A table with many tombstones: the rebuild keeps them, and sends nothing. */
    @Test
    void rebuildOfATableWithManyTombstones() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < 60000)"
                + " INSERT INTO t (id, v, n) SELECT x, 'v' || x, x FROM k", "DELETE FROM t WHERE id % 6 <> 0");
        long tombstones = (Long) a.scalar("SELECT count(*) FROM crsql_changes WHERE cid = '-1' AND cl % 2 = 0");
        long before = a.crr.dbVersion();
        a.inTransaction(REBUILD);
        assertThat(a.scalar("SELECT count(*) FROM crsql_changes WHERE cid = '-1' AND cl % 2 = 0")).isEqualTo(tombstones);
        assertThat(a.crr.changesSince(before)).as("an unchanged copy sends nothing").isEmpty();
    }

    /** JDBC metadata after the rebuild: t with the new definition, no t_new, no held tables. */
    @Test
    void metadataAfterRebuild() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "INSERT INTO t VALUES (1, 'one', 1)");
        a.inTransaction("CREATE TABLE t_new (id INTEGER PRIMARY KEY, v VARCHAR(20) NOT NULL, n BIGINT)",
                "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t", "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        List<String> tables = new ArrayList<>();
        try (var rs = a.c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        assertThat(tables).as("tables").contains("t").doesNotContain("t_new")
                .noneMatch(n -> n.startsWith("__corrosion_held"));
        List<String> cols = new ArrayList<>();
        try (var rs = a.c.getMetaData().getColumns(null, null, "t", "%")) {
            while (rs.next()) {
                cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME") + ":" + rs.getString("IS_NULLABLE"));
            }
        }
        assertThat(cols).as("columns").containsExactly("id:INTEGER:YES", "v:VARCHAR:NO", "n:BIGINT:YES");
    }
    private long keyAfterRestartAndRecipe(String... recipe) throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "INSERT INTO t (v, n) VALUES ('x', 1)", "INSERT INTO t (v, n) VALUES ('y', 2)",
                "INSERT INTO t (v, n) VALUES ('z', 3)");
        long max = (Long) a.scalar("SELECT max(id) FROM t");
        a.exec("DELETE FROM t WHERE id = " + max);
        a.close();
        CorrosionDriver.shutdownAll();
        a = node("a", 1);
        a.inTransaction(recipe);
        a.exec("INSERT INTO t (v, n) VALUES ('new', 4)");
        long fresh = (Long) a.scalar("SELECT id FROM t WHERE v = 'new'");
        assertThat(fresh).as("key after restart + recipe (deleted max %d)", max).isGreaterThan(max);
        return fresh;
    }

    /** Liquibase's recipe after a restart: no deleted row's key again. */
    @Test
    void generatedKeyAfterRestartAndLiquibaseRecipe() throws SQLException {
        keyAfterRestartAndRecipe("ALTER TABLE t RENAME TO t_temporary", V2.replace("t_new", "t"),
                "INSERT INTO t (id, v, n) SELECT id, v, n FROM t_temporary", "DROP TABLE t_temporary");
    }

    /** The copy out and back after a restart: no deleted row's key again. */
    @Test
    void generatedKeyAfterRestartAndCopyOutAndBack() throws SQLException {
        keyAfterRestartAndRecipe("CREATE TABLE t_copy (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)",
                "INSERT INTO t_copy (id, v, n) SELECT id, v, n FROM t", "DROP TABLE t", V2.replace("t_new", "t"),
                "INSERT INTO t (id, v, n) SELECT id, v, n FROM t_copy", "DROP TABLE t_copy");
    }

    /** A trigger on another table that inserts into t with a generated key, after t's rebuild. */
    @Test
    void triggerInsertingIntoTAfterRebuild() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        for (Node n : List.of(a, b)) {
            n.exec(V1, "CREATE TABLE u (id INTEGER PRIMARY KEY, x TEXT)",
                    "CREATE TRIGGER u_ins AFTER INSERT ON u BEGIN INSERT INTO t (v, n) VALUES (NEW.x, 1); END");
        }
        a.exec("INSERT INTO u (x) VALUES ('before')");
        // plain SQLite refuses the rename while a trigger names the dropped t: the migration drops it first (12 steps)
        String trigger = "CREATE TRIGGER u_ins AFTER INSERT ON u BEGIN INSERT INTO t (v, n) VALUES (NEW.x, 1); END";
        a.inTransaction("DROP TRIGGER u_ins", V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t", trigger);
        b.inTransaction("DROP TRIGGER u_ins", V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t", trigger);
        a.exec("INSERT INTO u (x) VALUES ('after')");
        List<List<Object>> ids = a.rows("SELECT id, v FROM t ORDER BY id");
        assertThat(ids).as("t").hasSize(2);
        for (List<Object> r : ids) {
            assertThat(((Long) r.get(0) - 1) % 1024).as("slot of %s", r).isEqualTo(1L);
        }
        delivery.deliverAll(a, b);
        // b's trigger fired for the merged u rows too and wrote t rows of its own there (README: not replicated)
        assertThat(b.rows(ROWS)).containsAll(a.rows(ROWS));
    }

    /** Another connection's changes(site, from, to) after the rebuild equals the view. */
    @Test
    void secondConnectionReadsChangesByRangeAfterRebuild() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)", "UPDATE t SET v = 'uno' WHERE id = 1",
                "DELETE FROM t WHERE id = 2");
        try (Connection second = DriverManager.getConnection(a.url)) {
            var crr2 = second.unwrap(io.corrosion.jdbc.CorrosionConnection.class);
            byte[] site = a.crr.siteId();
            List<Change> before = crr2.changes(site, 1, a.crr.dbVersion());
            a.c.setAutoCommit(false);
            a.exec(V2, "INSERT INTO t_new (id, v, n) SELECT id, upper(v), n FROM t", "DROP TABLE t");
            List<Change> during = crr2.changes(site, 1, a.crr.dbVersion());
            a.exec("ALTER TABLE t_new RENAME TO t");
            a.c.commit();
            a.c.setAutoCommit(true);
            long v = a.crr.dbVersion();
            List<Change> range = crr2.changes(site, 1, v);
            List<Change> view = crr2.changesSince(0);
            assertThat(during.toString()).as("a reader during the rebuild sees the committed state").isEqualTo(before.toString());
            assertThat(range.toString()).as("second connection: changes(site,1,%d) vs the view", v).isEqualTo(view.toString());
        }
    }
    /** Two tables rebuilt in one transaction, interleaved; unchanged copies send nothing; a peer converges. */
    @Test
    void twoTablesRebuiltInOneTransaction() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String s1 = "CREATE TABLE s (id INTEGER PRIMARY KEY, w TEXT)";
        for (Node n : List.of(a, b)) {
            n.exec(V1, s1);
        }
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)", "INSERT INTO s VALUES (1, 'a'), (2, 'b')");
        delivery.deliverAll(a, b);
        b.exec("UPDATE t SET v = 'b-upd' WHERE id = 1", "DELETE FROM s WHERE id = 2");
        delivery.deliverAll(a, b);
        long before = a.crr.dbVersion();
        String[] both = {V2, "CREATE TABLE s_new (id INTEGER PRIMARY KEY, w TEXT NOT NULL DEFAULT '')", COPY,
            "INSERT INTO s_new (id, w) SELECT id, w FROM s", "DROP TABLE s", "DROP TABLE t", "ALTER TABLE s_new RENAME TO s",
            "ALTER TABLE t_new RENAME TO t"};
        a.inTransaction(both);
        assertThat(a.crr.changesSince(before)).as("unchanged copies of two tables").isEmpty();
        b.exec("UPDATE t SET n = 20 WHERE id = 2", "UPDATE s SET w = 'b2' WHERE id = 1");
        delivery.deliverAll(a, b);
        b.inTransaction(both);
        delivery.deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS)).contains(List.of(1L, "b-upd", 1L), List.of(2L, "two", 20L));
        assertThat(b.rows("SELECT * FROM s ORDER BY id")).isEqualTo(a.rows("SELECT * FROM s ORDER BY id"))
                .containsExactly(List.of(1L, "b2"));
    }

    /** The same table rebuilt twice in one transaction (two migrations in one Flyway group). */
    @Test
    void tableRebuiltTwiceInOneTransaction() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        for (Node n : List.of(a, b)) {
            n.exec(V1);
        }
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)", "DELETE FROM t WHERE id = 3");
        delivery.deliverAll(a, b);
        b.exec("UPDATE t SET v = 'b-upd' WHERE id = 1");
        delivery.deliverAll(a, b);
        long before = a.crr.dbVersion();
        String[] twice = {V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t",
            "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n INTEGER CHECK (n >= 0))",
            "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t", "DROP TABLE t", "ALTER TABLE t_new RENAME TO t"};
        a.inTransaction(twice);
        assertThat(a.crr.changesSince(before)).as("two unchanged copies send nothing").isEmpty();
        b.exec("UPDATE t SET n = 20 WHERE id = 2", "INSERT INTO t VALUES (3, 'back', 3)");
        delivery.deliverAll(a, b);
        b.inTransaction(twice);
        delivery.deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS)).containsExactly(List.of(1L, "b-upd", 1L),
                List.of(2L, "two", 20L), List.of(3L, "back", 3L));
        assertThat(a.rows(HELD)).as("held copies").isEmpty();
    }

    static final String HELD = "SELECT name FROM pragma_table_list WHERE schema = 'temp' AND name LIKE '__corrosion_held%'";

    /**
     * The restart case with an INSERT into t before the rebuild, which loads t's counter into memory: the key after the
     * rebuild is past the deleted row's too.
     */
    @Test
    void generatedKeyAfterRestartInsertAndRebuildControl() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "INSERT INTO t (v, n) VALUES ('x', 1)", "INSERT INTO t (v, n) VALUES ('y', 2)",
                "INSERT INTO t (v, n) VALUES ('z', 3)");
        long max = (Long) a.scalar("SELECT max(id) FROM t");
        a.exec("DELETE FROM t WHERE id = " + max);
        a.close();
        CorrosionDriver.shutdownAll();
        a = node("a", 1);
        a.exec("INSERT INTO t (v, n) VALUES ('loads the counter', 5)");
        long loaded = (Long) a.scalar("SELECT id FROM t WHERE n = 5");
        a.inTransaction(REBUILD);
        a.exec("INSERT INTO t (v, n) VALUES ('new', 4)");
        long fresh = (Long) a.scalar("SELECT id FROM t WHERE v = 'new'");
        assertThat(fresh).as("key after restart + insert + rebuild (deleted max %d, loaded %d)", max, loaded)
                .isGreaterThan(loaded);
    }
    /** A rebuild whose copy keeps no row (the transaction's only writes are the carry's deletes). */
    @Test
    void rebuildWhoseCopyKeepsNoRow() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        for (Node n : List.of(a, b)) {
            n.exec(V1);
        }
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)");
        delivery.deliverAll(a, b);
        long before = a.crr.dbVersion();
        a.inTransaction(V2, "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t WHERE 0", "DROP TABLE t",
                "ALTER TABLE t_new RENAME TO t");
        assertThat(a.crr.dbVersion()).as("the deletes take a version").isEqualTo(before + 1);
        assertThat(a.crr.changes(a.crr.siteId(), before + 1, before + 1)).as("by range").hasSize(2);
        delivery.deliverAll(a, b);
        assertThat(b.rows(ROWS)).as("b").isEmpty();
    }

    /** T holds only tombstones; the migration's copy is empty but it seeds a row under a deleted key. */
    @Test
    void rebuildOfOnlyTombstonesWithASeedRowUnderADeletedKey() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        for (Node n : List.of(a, b)) {
            n.exec(V1);
        }
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)", "DELETE FROM t");
        delivery.deliverAll(a, b);
        long before = a.crr.dbVersion();
        a.inTransaction(V2, COPY, "INSERT INTO t_new VALUES (1, 'seed', 0)", "DROP TABLE t",
                "ALTER TABLE t_new RENAME TO t");
        List<Change> sent = a.crr.changesSince(before);
        assertThat(sent).as("the seed row: sentinel cl 3 and its values").isNotEmpty()
                .allMatch(c -> c.dbVersion() == before + 1);
        assertThat(a.crr.changes(a.crr.siteId(), before + 1, before + 1).toString()).isEqualTo(sent.toString());
        delivery.deliverAll(a, b);
        assertThat(b.rows(ROWS)).as("b; sent %s", sent).isEqualTo(a.rows(ROWS)).containsExactly(List.of(1L, "seed", 0L));
        assertThat(b.rows("SELECT cl FROM crsql_changes WHERE pk = crsql_pack_columns(2)")).as("row 2 stays deleted")
                .allMatch(r -> ((Long) r.get(0)) % 2 == 0);
    }
}
