package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a table rebuild in one transaction replicates: only what its copy changed. Values it left as they were keep
 * their clocks, changed ones get the next col_version, rows it left out are deleted, a column it adds with its
 * default is no change (as ALTER TABLE ADD COLUMN); and the old versions stay served from the rebuilt table.
 */
class RebuildCarryTest {
    static final String V1 = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)";
    static final String V2 = "CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT, n INTEGER CHECK (n >= 0),"
            + " flag INTEGER NOT NULL DEFAULT 0, note TEXT)";
    /** Row 1's v in upper case, a note on row 2, row 4 left out. */
    static final String COPY = "INSERT INTO t_new (id, v, n, note) SELECT id, CASE WHEN id = 1 THEN upper(v) ELSE v END, n,"
            + " CASE WHEN id = 2 THEN 'noted' END FROM t WHERE id <> 4";
    static final String ROWS = "SELECT * FROM t ORDER BY 1, 2";
    /** A node's own changes of one db version: key, column, value, col_version, causal length. */
    static final String OWN_CHANGES = "SELECT crsql_internal_pk_part(pk, 0), cid, val, col_version, cl FROM crsql_changes"
            + " WHERE site_id = crsql_site_id() AND db_version = %d ORDER BY 1, 2";
    static final String ALL_CHANGES = "SELECT \"table\", hex(pk), cid, val, col_version, hex(site_id), cl FROM crsql_changes"
            + " ORDER BY 1, 2, 3";
    /**
     * The same without the site: where both nodes' copies made one change (equal value, equal col_version), each keeps
     * its own, as cr-sqlite does for two nodes' equal writes.
     */
    /** The temporary tables a rebuild holds the dropped table in. */
    static final String HELD = "SELECT name FROM pragma_table_list WHERE schema = 'temp' AND name LIKE '\\_\\_corrosion\\_held%' ESCAPE '\\'";
    static final String CHANGES = "SELECT \"table\", hex(pk), cid, val, col_version, cl FROM crsql_changes ORDER BY 1, 2, 3";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void inOneTransaction(Node n, String... sql) throws SQLException {
        n.inTransaction(sql);
    }

    private static void rebuild(Node n, String... before) throws SQLException {
        String[] sql = new String[before.length + 4];
        System.arraycopy(before, 0, sql, 0, before.length);
        System.arraycopy(new String[] {V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t"}, 0, sql, before.length, 4);
        inOneTransaction(n, sql);
    }

    private static Node[] twoNodes(Path dir) throws SQLException {
        Node a = new Node(dir, "a", "node-slot=1").exec(V1);
        Node b = new Node(dir, "b", "node-slot=2").exec(V1);
        a.exec("INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3), (4, 'four', 4)");
        Node.sync(a, b);
        b.exec("UPDATE t SET n = n + 10"); // col_version 2 for n, of b's site
        Node.sync(a, b);
        return new Node[] {a, b};
    }

    @Test
    void aRebuildSendsWhatItsCopyChangedAndNothingElse() throws SQLException {
        Node[] ab = twoNodes(dir);
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a);
        long version = a.crr.dbVersion();
        assertThat(a.rows(String.format(OWN_CHANGES, version))).containsExactly(
                List.of(1L, "v", "ONE", 2L, 1L),
                List.of(2L, "note", "noted", 1L, 1L),
                java.util.Arrays.asList(4L, "-1", null, 2L, 2L));
        assertThat(a.rows("SELECT id, v, n, flag, note FROM t ORDER BY id")).containsExactly(
                java.util.Arrays.asList(1L, "ONE", 11L, 0L, null), List.of(2L, "two", 12L, 0L, "noted"),
                java.util.Arrays.asList(3L, "three", 13L, 0L, null));

        rebuild(b); // the same migration on the other node, then they exchange what is new
        Node.sync(a, b);
        assertThat(b.rows(ROWS)).isEqualTo(a.rows(ROWS));
        assertThat(b.rows(CHANGES)).isEqualTo(a.rows(CHANGES));

        // a new node with the new schema gets every version from a, the old ones from the rebuilt table
        try (Node c = new Node(dir, "c", "node-slot=3")) {
            c.exec(V2.replace("t_new", "t"));
            a.sendTo(c);
            assertThat(c.rows(ROWS)).isEqualTo(a.rows(ROWS));
            assertThat(c.rows(ALL_CHANGES)).isEqualTo(a.rows(ALL_CHANGES));
        }
    }

    @Test
    void writesOfTheRebuildsTransactionBeforeItReplicate() throws SQLException {
        Node[] ab = twoNodes(dir);
        Node a = ab[0];
        Node b = ab[1];
        rebuild(a, "UPDATE t SET n = 99 WHERE id = 3", "INSERT INTO t VALUES (5, 'five', 5)");
        long version = a.crr.dbVersion();
        assertThat(a.rows(String.format(OWN_CHANGES, version))).contains(List.of(3L, "n", 99L, 3L, 1L),
                List.of(5L, "v", "five", 1L, 1L), List.of(5L, "n", 5L, 1L, 1L));
        rebuild(b);
        Node.sync(a, b);
        assertThat(b.rows("SELECT id, n FROM t WHERE id IN (3, 5) ORDER BY id"))
                .containsExactly(List.of(3L, 99L), List.of(5L, 5L));
        assertThat(b.rows(CHANGES)).isEqualTo(a.rows(CHANGES));
    }

    @Test
    void aRolledBackRebuildLeavesTheTableAndItsChangesAsTheyWere() throws SQLException {
        Node a = twoNodes(dir)[0];
        List<List<Object>> rows = a.rows(ROWS);
        List<List<Object>> changes = a.rows(ALL_CHANGES);
        a.c.setAutoCommit(false);
        a.exec(V2, COPY, "DROP TABLE t", "ALTER TABLE t_new RENAME TO t");
        a.c.rollback();
        a.c.setAutoCommit(true);
        assertThat(a.rows(ROWS)).isEqualTo(rows);
        assertThat(a.rows(ALL_CHANGES)).isEqualTo(changes);
        assertThat(a.rows(HELD)).isEmpty();
        a.exec("UPDATE t SET v = 'after' WHERE id = 1");
        assertThat(a.scalar("SELECT col_version FROM crsql_changes WHERE cid = 'v' AND crsql_internal_pk_part(pk, 0) = 1"))
                .isEqualTo(2L);
    }

    /** Values compare byte for byte: a copy that changes only the case of a NOCASE column's values changed them. */
    @Test
    void aChangeACollationCallsEqualIsAChange() throws SQLException {
        String v1 = "CREATE TABLE n (name TEXT PRIMARY KEY, v TEXT COLLATE NOCASE)";
        try (Node a = new Node(dir, "a", "node-slot=1"); Node b = new Node(dir, "b", "node-slot=2")) {
            a.exec(v1);
            b.exec(v1);
            a.exec("INSERT INTO n VALUES ('x', 'abc'), ('y', 'def')");
            Node.sync(a, b);
            inOneTransaction(a, "CREATE TABLE n_new (name TEXT PRIMARY KEY, v TEXT COLLATE NOCASE NOT NULL)",
                    "INSERT INTO n_new SELECT name, CASE name WHEN 'x' THEN upper(v) ELSE v END FROM n", "DROP TABLE n",
                    "ALTER TABLE n_new RENAME TO n");
            a.sendTo(b);
            assertThat(b.rows("SELECT name, v FROM n ORDER BY name")).containsExactly(List.of("x", "ABC"), List.of("y", "def"));
        }
    }

    /**
     * Liquibase's recipe (rename away, create, copy, drop the old one) with the copy as a JDBC batch large enough that
     * the new table's clocks are kept as a range: the drop carries every row's clocks, and the copy sends nothing.
     */
    @Test
    void theRenameAwayRecipeWithABatchCopyKeepsEveryClock() throws SQLException {
        int rows = 5_000;
        try (Node a = new Node(dir, "a", "node-slot=1"); Node b = new Node(dir, "b", "node-slot=2")) {
            a.exec(V1, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " + rows + ")"
                    + " INSERT INTO t (id, v, n) SELECT i, 'row ' || i, i FROM s");
            b.exec(V1);
            a.sendTo(b);
            List<List<Object>> changes = a.rows(ALL_CHANGES);
            a.c.setAutoCommit(false);
            a.exec("ALTER TABLE t RENAME TO t_temporary", V1);
            List<List<Object>> old = a.rows("SELECT id, v, n FROM t_temporary ORDER BY id");
            try (java.sql.PreparedStatement p = a.c.prepareStatement("INSERT INTO t (id, v, n) VALUES (?, ?, ?)")) {
                for (List<Object> row : old) {
                    for (int i = 0; i < 3; i++) {
                        p.setObject(i + 1, row.get(i));
                    }
                    p.addBatch();
                }
                p.executeBatch();
            }
            a.exec("DROP TABLE t_temporary");
            a.c.commit();
            a.c.setAutoCommit(true);
            assertThat(a.scalar("SELECT count(*) FROM t")).isEqualTo((long) rows);
            assertThat(a.rows(ALL_CHANGES)).as("an unchanged copy keeps every clock").isEqualTo(changes);
            b.exec("UPDATE t SET v = 'b' WHERE id = 4999");
            b.sendTo(a);
            assertThat(a.scalar("SELECT v FROM t WHERE id = 4999")).isEqualTo("b");
        }
    }

    /** A DROP in a transaction that created a table, with no rename after it: the held copy goes after the commit. */
    @Test
    void aDropThatNoRenameFollowsLeavesNoCopyBehind() throws SQLException {
        Node a = twoNodes(dir)[0];
        a.c.setAutoCommit(false);
        a.exec("CREATE TABLE other (id INTEGER PRIMARY KEY, v TEXT)", "DROP TABLE t");
        assertThat(a.rows(HELD)).as("held in the transaction").hasSize(2);
        a.c.commit();
        a.c.setAutoCommit(true);
        assertThat(a.rows(HELD)).isEmpty();
        inOneTransaction(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'new')");
        assertThat(a.rows("SELECT id, v FROM t")).containsExactly(List.of(1L, "new"));
    }

    @Test
    void aCompositeKeyTableKeepsItsClocks() throws SQLException {
        String v1 = "CREATE TABLE m (org TEXT NOT NULL, id INTEGER NOT NULL, v TEXT, PRIMARY KEY (org, id))";
        try (Node a = new Node(dir, "a", "node-slot=1"); Node b = new Node(dir, "b", "node-slot=2")) {
            a.exec(v1);
            b.exec(v1);
            a.exec("INSERT INTO m VALUES ('x', 1, 'one'), ('x', 2, 'two'), ('y', 1, 'three')");
            Node.sync(a, b);
            b.exec("UPDATE m SET v = v || '+'");
            Node.sync(a, b);
            List<List<Object>> changes = a.rows(ALL_CHANGES);
            inOneTransaction(a, "CREATE TABLE m_new (org TEXT NOT NULL, id INTEGER NOT NULL, v TEXT NOT NULL,"
                    + " PRIMARY KEY (org, id))", "INSERT INTO m_new SELECT * FROM m", "DROP TABLE m",
                    "ALTER TABLE m_new RENAME TO m");
            assertThat(a.rows(ALL_CHANGES)).as("an unchanged copy").isEqualTo(changes);
            b.exec("UPDATE m SET v = 'b' WHERE org = 'y'"); // col_version 3, above a's carried 2
            b.sendTo(a);
            assertThat(a.rows("SELECT org, id, v FROM m ORDER BY 1, 2")).containsExactly(List.of("x", 1L, "one+"),
                    List.of("x", 2L, "two+"), List.of("y", 1L, "b"));
        }
    }
}
