package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The clock-keeping table rebuild ({@code Rebuilds}) across recipes (rename, Liquibase's rename away, a copy out and
 * back), key shapes, clock ranges, savepoints, restarts and copies that change rows; nodes connected by hand
 * ({@link HandDelivery}).
 */
class RebuildRecipesTest extends HandDeliveredNodes {
    static final String V1 = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)";
    static final String V2 = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))";
    static final String COPY = "INSERT INTO t_new (id, v, n) SELECT id, v, n FROM t";
    static final String ROWS = "SELECT id, v, n FROM t ORDER BY id";
    /** Held copies (sqlite_temp_master hides internal tables from the application: SchemaReads). */
    static final String HELD = "SELECT name FROM pragma_table_list WHERE schema = 'temp' AND name LIKE '__corrosion_held%'"
            + " ORDER BY name";

    private void deliverAll(Node... nodes) throws SQLException {
        delivery.deliverAll(nodes);
    }

    private static void inTx(Node n, String... sql) throws SQLException {
        n.inTransaction(sql);
    }

    private static void rebuild(Node n, String create, String copy) throws SQLException {
        inTx(n, create, copy, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
    }

    private static List<List<Object>> changes(Node n) throws SQLException {
        return n.rows("SELECT \"table\", hex(pk), cid, val, col_version, db_version, hex(site_id), cl, seq FROM crsql_changes"
                + " ORDER BY \"table\", pk, cid");
    }

    private static List<List<Object>> changesNoVersions(Node n) throws SQLException {
        return n.rows("SELECT \"table\", hex(pk), cid, val, col_version, hex(site_id), cl FROM crsql_changes"
                + " ORDER BY \"table\", pk, cid");
    }

    /** This node's own changes above {@code dbv}. */
    private static List<String> newLocal(Node n, long dbv) throws SQLException {
        byte[] self = n.crr.siteId();
        return show(n.crr.changesSince(dbv).stream().filter(c -> Arrays.equals(c.siteId(), self)).toList());
    }

    private static List<String> show(List<Change> cs) {
        return cs.stream().map(c -> c.table() + "/" + HexFormat.of().formatHex(c.pk()) + "/" + c.cid() + "=" + c.val()
                + " cv" + c.colVersion() + " db" + c.dbVersion() + " seq" + c.seq() + " cl" + c.cl()).toList();
    }

    private Node[] twoNodesWithHistory() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        a.exec(V1);
        b.exec(V1);
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3), (4, 'four', 4)");
        deliverAll(a, b);
        b.exec("UPDATE t SET v = v || '+', n = n + 10");
        b.exec("DELETE FROM t WHERE id = 4");
        deliverAll(a, b);
        a.exec("UPDATE t SET v = v || '+' WHERE id <= 2");
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
        return new Node[] {a, b};
    }

    // ---- 1. changes(site, from, to) of recent local versions, straight after the rebuild ---------------------

    /**
     * The agent and sync read a node's own recent versions with changes(site, from, to), which takes the journal's
     * entries (by table id) while they are in memory. After the rebuild the rows of those versions live in the rebuilt
     * table under another id. the same changes as the view gives.
     */
    @Test
    void ownRecentVersionsReadByRangeAfterRebuild() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1);
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2)");
        a.exec("UPDATE t SET v = 'uno' WHERE id = 1");
        a.exec("DELETE FROM t WHERE id = 2");
        long before = a.crr.dbVersion();
        byte[] siteA = a.crr.siteId();
        List<Change> fromViewBefore = a.crr.changes(siteA, 1, before);
        rebuild(a, V2, COPY);
        List<Change> byRange = a.crr.changes(siteA, 1, before);
        List<Change> fromView = a.crr.changesSince(0).stream()
                .filter(c -> Arrays.equals(c.siteId(), siteA) && c.dbVersion() <= before).toList();
        assertThat(fromView).as("view after the rebuild").hasSize(fromViewBefore.size());
        assertThat(show(byRange)).as("changes(site, 1, %d) after the rebuild", before).isEqualTo(show(fromView));
    }

    // ---- 2. held temp tables when no rename follows ------------------------------------------------------------

    /** A migration that creates one table and drops another (no rebuild): the held copy must not outlive the tx. */
    @Test
    void dropOfOtherTableInTxThatCreatedOneLeavesNoHeldCopy() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1, "CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT)");
        a.exec("WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < 2000)"
                + " INSERT INTO big (id, payload) SELECT x, hex(randomblob(100)) FROM k");
        a.c.setAutoCommit(false);
        a.exec("CREATE TABLE other (id INTEGER PRIMARY KEY, x TEXT)", "DROP TABLE big");
        List<List<Object>> inTx = a.rows(HELD);
        assertThat(inTx).as("held in the tx; temp: %s", a.rows("SELECT type, name FROM sqlite_temp_master")).isNotEmpty();
        a.c.commit();
        a.c.setAutoCommit(true);
        List<List<Object>> after = a.rows(HELD);
        List<List<Object>> heldRows = after.isEmpty() ? List.of()
                : a.rows("SELECT count(*) FROM temp.\"" + after.get(0).get(0) + "\"");
        assertThat(after).as("held copies after commit (in the tx: %s; rows held: %s)", inTx, heldRows).isEmpty();
    }

    /** Rails-style: copy to a temporary table, DROP t, CREATE t again, copy back, drop the temporary table. */
    @Test
    void dropThenCreateSameNameLeavesNoHeldCopyAndConverges() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        String[] recipe = {
            "CREATE TABLE altered_t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)",
            "INSERT INTO altered_t (id, v, n) SELECT id, v, n FROM t",
            "DROP TABLE t",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))",
            "INSERT INTO t (id, v, n) SELECT id, v, n FROM altered_t",
            "DROP TABLE altered_t"
        };
        inTx(a, recipe);
        assertThat(a.rows(HELD)).as("held copies after commit").isEmpty();
        inTx(b, recipe);
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS)).hasSize(3);
    }

    /**
     * The DROP t / CREATE t recipe (Rails' copy_table, and any tool that does not rename) in one transaction: the
     * clocks are held at the DROP but never carried. A row deleted before the migration comes back when a stale node's
     * update of it arrives (the rename recipe keeps the tombstone: RebuildMigrationTest).
     */
    @Test
    void dropThenCreateRecipeKeepsTombstones() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        Node c = node("c", 3);
        c.exec(V1);
        deliverAll(a, b, c);
        c.exec("UPDATE t SET n = 1000 WHERE id = 2");
        b.exec("DELETE FROM t WHERE id = 2");
        deliverAll(a, b);
        String[] recipe = {
            "CREATE TABLE altered_t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)",
            "INSERT INTO altered_t (id, v, n) SELECT id, v, n FROM t",
            "DROP TABLE t",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))",
            "INSERT INTO t (id, v, n) SELECT id, v, n FROM altered_t",
            "DROP TABLE altered_t"
        };
        inTx(a, recipe);
        inTx(b, recipe);
        deliverAll(a, b, c);
        for (Node n : List.of(a, b, c)) {
            assertThat(n.rows("SELECT id FROM t ORDER BY id")).as(n.url).containsExactly(List.of(1L), List.of(3L));
        }
    }

    /**
     * Liquibase's SQLite recipe for changes ALTER TABLE cannot make (SQLiteDatabase.getAlterTableSqls): RENAME t TO
     * t_temporary, CREATE TABLE t, copy, DROP t_temporary, in the changeset's transaction. Expected, as for the
     * rename recipe: the unchanged copy keeps the clocks (nothing new to send) and the tombstone stays.
     */
    @Test
    void liquibaseRenameAwayRecipeKeepsClocks() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        List<List<Object>> before = changesNoVersions(a);
        long dbv = a.crr.dbVersion();
        inTx(a, "ALTER TABLE t RENAME TO t_temporary",
                "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0))",
                "INSERT INTO t (id, v, n) SELECT id, v, n FROM t_temporary", "DROP TABLE t_temporary");
        assertThat(newLocal(a, dbv)).as("new local changes").isEmpty();
        assertThat(changesNoVersions(a)).isEqualTo(before);
        assertThat(a.rows(HELD)).as("held copies after commit").isEmpty();
    }

    // ---- 3. rollbacks --------------------------------------------------------------------------------------------

    @Test
    void rollbackOfRebuildRestoresEverything() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        List<List<Object>> changesBefore = changes(a);
        List<List<Object>> rowsBefore = a.rows(ROWS);
        a.c.setAutoCommit(false);
        a.exec(V2, "INSERT INTO t_new (id, v, n) SELECT id, upper(v), n FROM t WHERE id <> 2", "DROP TABLE t",
                "ALTER TABLE t_new RENAME TO t");
        a.c.rollback();
        a.c.setAutoCommit(true);
        assertThat(a.rows(ROWS)).isEqualTo(rowsBefore);
        assertThat(changes(a)).isEqualTo(changesBefore);
        assertThat(a.rows(HELD)).isEmpty();
        assertThat(a.rows("SELECT name FROM sqlite_master WHERE name LIKE 't_new%'")).isEmpty();
        a.exec("UPDATE t SET v = 'after rollback' WHERE id = 1");
        deliverAll(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
    }

    /**
     * A DROP undone by ROLLBACK TO a savepoint leaves a stale held entry; the rename-away recipe (t -> t_old, t_new ->
     * t, DROP t_old) then renames a table to t in the same transaction. the migration works.
     */
    @Test
    void savepointRolledBackDropThenRenameRecipe() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        a.c.setAutoCommit(false);
        a.exec(V2, COPY, "SAVEPOINT s", "DROP TABLE t", "ROLLBACK TO s", "RELEASE s");
        a.exec("ALTER TABLE t RENAME TO t_old", "ALTER TABLE t_new RENAME TO t", "DROP TABLE t_old");
        a.c.commit();
        a.c.setAutoCommit(true);
        assertThat(a.rows(ROWS)).hasSize(3);
    }

    /** A savepoint around the rename only, rolled back, then the rename again: the clocks are still carried. */
    @Test
    void savepointRolledBackRenameThenRenameAgain() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        List<List<Object>> changesBefore = changes(a);
        a.c.setAutoCommit(false);
        a.exec(V2, COPY, "DROP TABLE t", "SAVEPOINT s", "ALTER TABLE t_new RENAME TO t", "ROLLBACK TO s", "RELEASE s");
        a.exec("ALTER TABLE t_new RENAME TO t");
        a.c.commit();
        a.c.setAutoCommit(true);
        assertThat(changes(a)).isEqualTo(changesBefore);
        assertThat(a.rows(HELD)).isEmpty();
    }

    /** A savepoint around the whole rebuild, rolled back, then the rebuild again: works, and keeps the clocks. */
    @Test
    void savepointRolledBackRebuildThenRebuildAgain() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        List<List<Object>> changesBefore = changes(a);
        a.c.setAutoCommit(false);
        a.exec("SAVEPOINT s", V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t", "ROLLBACK TO s", "RELEASE s");
        a.exec(V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        a.c.commit();
        a.c.setAutoCommit(true);
        assertThat(a.rows(HELD)).isEmpty();
        assertThat(changes(a)).isEqualTo(changesBefore);
    }

    // ---- 4. key shapes, ranges ----------------------------------------------------------------------------------

    @Test
    void compositeKeyRebuildKeepsClocksAndConverges() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String v1 = "CREATE TABLE t (k TEXT NOT NULL, j INTEGER NOT NULL, v TEXT, PRIMARY KEY (k, j))";
        for (Node n : List.of(a, b)) {
            n.exec(v1);
        }
        a.exec("INSERT INTO t VALUES ('x', 1, 'a'), ('x', 2, 'b'), ('y', 1, 'c'), ('z', 300, 'd')");
        deliverAll(a, b);
        b.exec("UPDATE t SET v = v || '!' WHERE j = 1", "DELETE FROM t WHERE k = 'z'");
        deliverAll(a, b);
        List<List<Object>> before = changes(a);
        String create = "CREATE TABLE t_new (k TEXT NOT NULL, j INTEGER NOT NULL, v TEXT CHECK (length(v) < 99),"
                + " PRIMARY KEY (k, j))";
        String copy = "INSERT INTO t_new (k, j, v) SELECT k, j, v FROM t";
        long dbv = a.crr.dbVersion();
        rebuild(a, create, copy);
        assertThat(changes(a)).as("unchanged copy keeps every clock").isEqualTo(before);
        assertThat(newLocal(a, dbv)).as("nothing new to send").isEmpty();
        rebuild(b, create, "INSERT INTO t_new (k, j, v) SELECT k, j, upper(v) FROM t WHERE k <> 'y'");
        deliverAll(a, b);
        String rows = "SELECT k, j, v FROM t ORDER BY k, j";
        assertThat(a.rows(rows)).isEqualTo(b.rows(rows)).containsExactly(List.of("x", 1L, "A!"), List.of("x", 2L, "B"));
        assertThat(changesNoVersions(a)).isEqualTo(changesNoVersions(b));
    }

    @Test
    void rangedClocksAfterLargeBatchKeptByRebuild() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        a.exec(V1);
        b.exec(V1);
        a.c.setAutoCommit(false);
        try (PreparedStatement p = a.c.prepareStatement("INSERT INTO t (v, n) VALUES (?, ?)")) {
            for (int i = 0; i < 5000; i++) {
                p.setString(1, "r" + i);
                p.setInt(2, i);
                p.addBatch();
            }
            p.executeBatch();
        }
        a.c.commit();
        a.c.setAutoCommit(true);
        assertThat((Long) a.scalar("SELECT count(*) FROM __corrosion_clock_range")).as("ranged").isPositive();
        a.exec("UPDATE t SET v = 'changed' WHERE n % 1000 = 7");
        deliverAll(a, b);
        List<List<Object>> before = changes(a);
        long dbv = a.crr.dbVersion();
        rebuild(a, V2, COPY);
        assertThat(newLocal(a, dbv)).as("nothing new to send").isEmpty();
        assertThat(changes(a)).isEqualTo(before);
        rebuild(b, V2, COPY);
        a.exec("UPDATE t SET n = -0 WHERE n = 4999");
        deliverAll(a, b);
        assertThat(changes(b)).isEqualTo(changes(a));
    }

    @Test
    void keyOnlyTableRebuild() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String v1 = "CREATE TABLE t (id TEXT NOT NULL PRIMARY KEY)";
        a.exec(v1);
        b.exec(v1);
        a.exec("INSERT INTO t VALUES ('a'), ('b'), ('c')");
        a.exec("DELETE FROM t WHERE id = 'b'");
        deliverAll(a, b);
        List<List<Object>> before = changes(a);
        long dbv = a.crr.dbVersion();
        String create = "CREATE TABLE t_new (id TEXT NOT NULL PRIMARY KEY CHECK (length(id) < 10))";
        rebuild(a, create, "INSERT INTO t_new SELECT id FROM t");
        assertThat(changes(a)).isEqualTo(before);
        assertThat(newLocal(a, dbv)).isEmpty();
        rebuild(b, create, "INSERT INTO t_new SELECT id FROM t WHERE id <> 'c'");
        deliverAll(a, b);
        assertThat(a.rows("SELECT id FROM t ORDER BY id")).isEqualTo(b.rows("SELECT id FROM t ORDER BY id"))
                .containsExactly(List.of("a"));
    }

    /** The copy made by the application with a large JDBC batch (clock ranges in t_new): still nothing to send. */
    @Test
    void copyByLargeJdbcBatchKeepsClocks() throws SQLException {
        Node a = node("a", 1);
        a.exec(V1);
        a.exec("WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < 5000)"
                + " INSERT INTO t (id, v, n) SELECT x, 'row ' || x, x FROM k");
        a.exec("UPDATE t SET v = 'changed' WHERE id = 17", "DELETE FROM t WHERE id = 4000");
        List<List<Object>> before = changes(a);
        long dbv = a.crr.dbVersion();
        a.c.setAutoCommit(false);
        a.exec(V2);
        List<List<Object>> rows = a.rows(ROWS);
        try (PreparedStatement p = a.c.prepareStatement("INSERT INTO t_new (id, v, n) VALUES (?, ?, ?)")) {
            for (List<Object> r : rows) {
                p.setLong(1, (Long) r.get(0));
                p.setString(2, (String) r.get(1));
                p.setLong(3, (Long) r.get(2));
                p.addBatch();
            }
            p.executeBatch();
        }
        a.exec("DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        a.c.commit();
        a.c.setAutoCommit(true);
        assertThat(newLocal(a, dbv)).as("nothing new").isEmpty();
        assertThat(changes(a)).isEqualTo(before);
    }

    /** The rebuild's own version read by changes(site, v, v) (journal) equals the view's. */
    @Test
    void rebuildVersionReadByRangeEqualsView() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        rebuild(a, "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER, w INTEGER DEFAULT 1)",
                "INSERT INTO t_new (id, v, n) SELECT id, upper(v), n FROM t WHERE id <> 3");
        long v = a.crr.dbVersion();
        byte[] self = a.crr.siteId();
        List<Change> view = a.crr.changesSince(v - 1).stream().filter(c -> Arrays.equals(c.siteId(), self)).toList();
        assertThat(view).isNotEmpty();
        assertThat(show(a.crr.changes(self, v, v))).isEqualTo(show(view));
    }

    // ---- 5. copies that change values -----------------------------------------------------------------------------

    /** The new column is COLLATE NOCASE and the copy upper-cases it: the values changed. */
    @Test
    void upperCaseCopyIntoNocaseColumnIsAChange() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a, "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT COLLATE NOCASE, n INTEGER)",
                "INSERT INTO t_new (id, v, n) SELECT id, upper(v), n FROM t");
        deliver(a, b);
        assertThat(b.rows("SELECT v FROM t ORDER BY id")).as("B, not migrated")
                .isEqualTo(a.rows("SELECT v FROM t ORDER BY id"));
    }

    /** upper(v), a filter, a new column, a dropped column: B (not migrated) follows A, then migrates; all converge. */
    @Test
    void transformingCopyConverges() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        String create = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, w INTEGER DEFAULT 7)";
        String copy = "INSERT INTO t_new (id, v) SELECT id, upper(v) FROM t WHERE id <> 2";
        rebuild(a, create, copy);
        rebuild(b, create, copy);
        deliverAll(a, b);
        assertThat(b.rows("SELECT * FROM t ORDER BY id")).isEqualTo(a.rows("SELECT * FROM t ORDER BY id"))
                .containsExactly(List.of(1L, "ONE++", 7L), List.of(3L, "THREE+", 7L));
        // both nodes made the same change independently: as two equal UPDATEs in cr-sqlite, the site ids differ
        String noSite = "SELECT \"table\", hex(pk), cid, val, col_version, cl FROM crsql_changes ORDER BY 1, 2, 3";
        assertThat(b.rows(noSite)).isEqualTo(a.rows(noSite));
    }

    /** upper(v) and a filter, same columns: B (not migrated) takes A's changes and its delete. Control for NOCASE. */
    @Test
    void upperCaseAndFilterReachNodeNotMigrated() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a, V2, "INSERT INTO t_new (id, v, n) SELECT id, upper(v), n FROM t WHERE id <> 2");
        deliver(a, b);
        assertThat(b.rows(ROWS)).as("B, not migrated").isEqualTo(a.rows(ROWS))
                .containsExactly(List.of(1L, "ONE++", 11L), List.of(3L, "THREE+", 13L));
    }

    /** Writes to t in the rebuild's transaction, before the copy: B (not migrated) gets them. */
    @Test
    void writesBeforeRebuildInSameTxReplicate() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        inTx(a, "UPDATE t SET v = 'in-tx' WHERE id = 1", "INSERT INTO t VALUES (10, 'ten', 10)",
                "DELETE FROM t WHERE id = 3", V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        deliver(a, b);
        assertThat(b.rows(ROWS)).as("B, not migrated").isEqualTo(a.rows(ROWS))
                .containsExactly(List.of(1L, "in-tx", 11L), List.of(2L, "two++", 12L), List.of(10L, "ten", 10L));
        rebuild(b, V2, COPY);
        deliverAll(a, b);
        assertThat(changesNoVersions(b)).isEqualTo(changesNoVersions(a));
    }

    /** Writes to t_new after the copy and before the rename (the migration fixes some rows). */
    @Test
    void writesToNewTableBeforeRenameReplicate() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        inTx(a, V2, COPY, "UPDATE t_new SET n = 0 WHERE id = 2", "DELETE FROM t_new WHERE id = 3",
                "INSERT INTO t_new VALUES (4, 'four again', 4)", "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        deliver(a, b);
        assertThat(b.rows(ROWS)).as("B, not migrated").isEqualTo(a.rows(ROWS));
    }

    // ---- 6. restart, third node -----------------------------------------------------------------------------------

    @Test
    void restartedRebuiltNodeServesOldVersionsAndNewNodeGetsSameState() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        byte[] siteB = b.crr.siteId();
        byte[] siteA = a.crr.siteId();
        List<Change> bOld = a.crr.changes(siteB, 1, b.crr.dbVersion());
        List<Change> aOld = a.crr.changes(siteA, 1, a.crr.dbVersion());
        long aBefore = a.crr.dbVersion();
        rebuild(a, V2, COPY);
        rebuild(b, V2, COPY);
        deliverAll(a, b);
        String url = a.url;
        a.close();
        CorrosionDriver.shutdown(url);
        Node a2 = node("a", 1);
        assertThat(show(a2.crr.changes(siteB, 1, b.crr.dbVersion()))).as("B's versions from restarted A")
                .isEqualTo(show(bOld));
        assertThat(show(a2.crr.changes(siteA, 1, aBefore))).as("A's own old versions").isEqualTo(show(aOld));
        Node c = node("c", 3);
        c.exec(V1);
        rebuild(c, V2, COPY);
        deliver(a2, c);
        assertThat(c.rows(ROWS)).isEqualTo(a2.rows(ROWS));
        assertThat(changes(c)).isEqualTo(changes(a2));
    }

    /** Flyway group mode: two migrations rebuilding t in one transaction, each changing values. */
    @Test
    void twoSuccessiveRebuildsOfSameTableInOneTransaction() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        inTx(a, V2, "INSERT INTO t_new (id, v, n) SELECT id, v || '1', n FROM t", "DROP TABLE t",
                "ALTER TABLE t_new RENAME TO t",
                V2, "INSERT INTO t_new (id, v, n) SELECT id, v || '2', n FROM t WHERE id <> 3", "DROP TABLE t",
                "ALTER TABLE t_new RENAME TO t");
        assertThat(a.rows("SELECT col_version FROM crsql_changes WHERE pk = x'010901' AND cid = 'v'"))
                .as("two updates in one tx: +2").containsExactly(List.of(5L));
        deliver(a, b);
        assertThat(b.rows(ROWS)).as("B, not migrated").isEqualTo(a.rows(ROWS))
                .containsExactly(List.of(1L, "one++12", 11L), List.of(2L, "two++12", 12L));
    }

    // ---- 7. several tables, names ------------------------------------------------------------------------------------

    @Test
    void twoRebuildsInOneTransaction() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        for (Node n : List.of(a, b)) {
            n.exec("CREATE TABLE u (id TEXT NOT NULL PRIMARY KEY, x INTEGER)");
        }
        a.exec("INSERT INTO u VALUES ('p', 1), ('q', 2)");
        b.exec("UPDATE t SET n = 50 WHERE id = 3");
        deliverAll(a, b);
        List<List<Object>> before = changes(a);
        long dbv = a.crr.dbVersion();
        inTx(a, V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t",
                "CREATE TABLE u_new (id TEXT NOT NULL PRIMARY KEY, x INTEGER CHECK (x > 0))",
                "INSERT INTO u_new SELECT id, x FROM u", "DROP TABLE u", "ALTER TABLE u_new RENAME TO u");
        assertThat(changes(a)).isEqualTo(before);
        assertThat(newLocal(a, dbv)).isEmpty();
        assertThat(a.rows(HELD)).isEmpty();
    }

    /** Both drops first, then both renames (interleaved rebuilds). */
    @Test
    void twoInterleavedRebuildsInOneTransaction() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        a.exec("CREATE TABLE u (id TEXT NOT NULL PRIMARY KEY, x INTEGER)");
        a.exec("INSERT INTO u VALUES ('p', 1), ('q', 2)");
        a.exec("DELETE FROM u WHERE id = 'q'");
        List<List<Object>> before = changes(a);
        long dbv = a.crr.dbVersion();
        inTx(a, V2, "CREATE TABLE u_new (id TEXT NOT NULL PRIMARY KEY, x INTEGER CHECK (x > 0))", COPY,
                "INSERT INTO u_new SELECT id, x FROM u", "DROP TABLE t", "DROP TABLE u", "ALTER TABLE u_new RENAME TO u",
                "ALTER TABLE t_new RENAME TO t");
        assertThat(changes(a)).isEqualTo(before);
        assertThat(newLocal(a, dbv)).isEmpty();
    }

    @Test
    void oddCaseAndQuotedNames() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String v1 = "CREATE TABLE \"My T\" (\"I d\" TEXT NOT NULL PRIMARY KEY, \"Va\"\"l\" TEXT, Other INTEGER)";
        a.exec(v1);
        b.exec(v1);
        a.exec("INSERT INTO \"My T\" VALUES ('k1', 'x', 1), ('k2', 'y', 2)");
        a.exec("DELETE FROM \"MY T\" WHERE \"I d\" = 'k2'");
        deliverAll(a, b);
        List<List<Object>> before = changes(a);
        long dbv = a.crr.dbVersion();
        inTx(a, "CREATE TABLE \"My T new\" (\"I d\" TEXT NOT NULL PRIMARY KEY, \"va\"\"L\" TEXT, other INTEGER DEFAULT 0)",
                "INSERT INTO \"My T new\" SELECT * FROM \"My T\"", "DROP TABLE \"my t\"",
                "ALTER TABLE \"My T new\" RENAME TO \"MY T\"");
        assertThat(newLocal(a, dbv)).as("nothing new").isEmpty();
        assertThat(changesNoVersions(a)).as("same clocks (table name may differ in case)")
                .hasSize(before.size());
    }

    /** BLOB (UUID) primary key, and schema-qualified names in the recipe. */
    @Test
    void blobKeyAndSchemaQualifiedNames() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String v1 = "CREATE TABLE t (id BLOB NOT NULL PRIMARY KEY, v TEXT)";
        a.exec(v1);
        b.exec(v1);
        a.exec("INSERT INTO t VALUES (x'0102', 'a'), (x'ff00ff', 'b'), (x'', 'c')");
        a.exec("DELETE FROM t WHERE id = x'ff00ff'");
        deliverAll(a, b);
        b.exec("UPDATE t SET v = 'b-upd' WHERE id = x'0102'");
        deliverAll(a, b);
        List<List<Object>> before = changes(a);
        long dbv = a.crr.dbVersion();
        inTx(a, "CREATE TABLE main.t_new (id BLOB NOT NULL PRIMARY KEY, v TEXT CHECK (length(v) < 50))",
                "INSERT INTO main.t_new SELECT id, v FROM main.t", "DROP TABLE main.t", "ALTER TABLE main.t_new RENAME TO t");
        assertThat(newLocal(a, dbv)).isEmpty();
        assertThat(changes(a)).isEqualTo(before);
    }

    /**
     * Keyless (Hibernate bag) table, every node runs the same rebuild before hearing of the others' (a deploy that
     * migrates all nodes at startup). one row per row.
     */
    @Test
    void keylessTableRebuiltConcurrentlyOnEveryNodeKeepsOneCopyOfEachRow() throws SQLException {
        Node a = node("a", 1);
        Node b = node("b", 2);
        String v1 = "CREATE TABLE t (owner_id INTEGER, item TEXT)";
        a.exec(v1);
        b.exec(v1);
        a.exec("INSERT INTO t VALUES (1, 'x'), (1, 'y'), (2, 'z')");
        deliverAll(a, b);
        for (Node n : List.of(a, b)) {
            inTx(n, "CREATE TABLE t_new (owner_id INTEGER NOT NULL, item TEXT NOT NULL)",
                    "INSERT INTO t_new SELECT * FROM t", "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        }
        deliverAll(a, b);
        for (Node n : List.of(a, b)) {
            assertThat(n.rows("SELECT owner_id, item FROM t ORDER BY 1, 2")).as(n.url)
                    .containsExactly(List.of(1L, "x"), List.of(1L, "y"), List.of(2L, "z"));
        }
    }

    /** A merged row of another site, then the rebuild changes it: the next col_version, and B takes it. */
    @Test
    void changedValueOfRemoteWrittenColumnWinsOnOtherNode() throws SQLException {
        Node[] ab = twoNodesWithHistory();
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a, V2, "INSERT INTO t_new (id, v, n) SELECT id, v, n - 10 FROM t");
        deliver(a, b);
        assertThat(b.rows("SELECT n FROM t ORDER BY id")).containsExactly(List.of(1L), List.of(2L), List.of(3L));
    }
}
