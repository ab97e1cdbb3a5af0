package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.jdbc.node.DroppedSchema;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes of dropped names kept outside the bound: counts, counters and names (from a review). */
class DroppedKeptChangesTest {
    private static final String PERSON = "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT, age INTEGER)";

    @TempDir
    Path dir;

    private final List<StoreNode> nodes = new ArrayList<>();

    private StoreNode node(String name, String... tables) throws SQLException {
        StoreNode n = StoreNode.withCrrs(dir.resolve(name + ".db"), tables);
        nodes.add(n);
        return n;
    }

    @AfterEach
    void close() throws SQLException {
        for (StoreNode n : nodes) {
            n.close();
        }
    }

    private static void dropped(StoreNode n, String tbl, String col) throws SQLException {
        n.exec("CREATE TABLE IF NOT EXISTS " + DroppedSchema.TABLE
                + " (tbl TEXT NOT NULL, col TEXT NOT NULL, PRIMARY KEY (tbl, col)) WITHOUT ROWID");
        // as the driver's DDL writes it: lower-cased by SQLite
        n.exec("INSERT INTO " + DroppedSchema.TABLE + " VALUES (lower('" + tbl + "'), lower('" + col + "'))");
    }

    private static long keptRows(StoreNode n) throws SQLException {
        return (Long) n.rows("SELECT count(*) FROM " + ReplicationSchema.PENDING).get(0).get(0);
    }

    /**
     * Kept changes of a dropped column (its table exists) are counted once, on arrival, and stay where they are at
     * later schema changes: they cannot merge before the column is back.
     */
    @Test
    void keptChangesOfADroppedColumnAreCountedOnceAndStayPut() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT)");
        dropped(b, "person", "age");
        int id = 0;
        for (int v = 0; v < 100; v++) {
            StringBuilder sql = new StringBuilder("INSERT INTO person VALUES ");
            for (int r = 0; r < 10; r++) {
                id++;
                sql.append(r == 0 ? "" : ", ").append("(").append(id).append(", 'n', ").append(id).append(")");
            }
            a.exec(sql.toString());
        }
        assertThat(b.store.apply(a.publish())).containsOnly(ApplyOutcome.NEW);
        assertThat(keptRows(b)).isEqualTo(1_000);
        assertThat(b.pending.count()).isZero();
        for (int i = 0; i < 3; i++) {
            b.exec("CREATE TABLE unrelated_" + i + " (x)");
            assertThat(b.store.mergeKeptChanges()).isZero();
        }
        assertThat(keptRows(b)).isEqualTo(1_000);
        assertThat(b.pending.kept()).isEqualTo(1_000);
        assertThat(b.pending.count()).isZero();
        assertThat(b.counters.changesOfDroppedSchema.sum()).isEqualTo(1_000);
        assertThat(b.counters.changesKeptForSchema.sum()).isEqualTo(1_000);
    }

    /**
     * A dropped column with a non-ASCII capital: names are lower-cased as SQLite does (ASCII only) wherever they are
     * compared, so its kept changes stay uncounted after a restart (they were counted again when Java lower-cased all of
     * Unicode and SQL did not).
     */
    @Test
    void aDroppedNonAsciiColumnStaysOutsideTheBoundAfterARestart() throws SQLException {
        String t = "CREATE TABLE thing (id INTEGER PRIMARY KEY NOT NULL, name TEXT, \"ÄGE\" INTEGER)";
        StoreNode a = node("a", t);
        StoreNode b = node("b", "CREATE TABLE thing (id INTEGER PRIMARY KEY NOT NULL, name TEXT)");
        dropped(b, "thing", "ÄGE");
        for (int i = 1; i <= 20; i++) {
            a.exec("INSERT INTO thing VALUES (" + i + ", 'n', " + i + ")");
        }
        assertThat(b.store.apply(a.publish())).containsOnly(ApplyOutcome.NEW);
        assertThat(keptRows(b)).isEqualTo(20);
        assertThat(b.pending.count()).as("kept outside the bound on arrival").isZero();
        b.restart();
        assertThat(b.pending.count()).as("after a restart").isZero();
    }

    /** A change kept under a dropped column merges when the column comes back, over a restart. */
    @Test
    void keptUnderADroppedColumnMergesWhenItComesBackAfterARestart() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT)");
        dropped(b, "person", "age");
        a.exec("INSERT INTO person VALUES (1, 'Ada', 36)");
        assertThat(b.store.apply(a.publish())).containsOnly(ApplyOutcome.NEW);
        b.restart();
        assertThat(b.pending.kept()).isEqualTo(1);
        assertThat(b.pending.count()).isZero();
        b.store.mergeKeptChanges();
        b.exec("DELETE FROM " + DroppedSchema.TABLE);
        b.crr.schema().beginAlter("person");
        b.exec("ALTER TABLE person ADD COLUMN age INTEGER");
        b.crr.schema().commitAlter("person");
        assertThat(b.store.mergeKeptChanges()).isEqualTo(1);
        assertThat(b.rows("SELECT id, name, age FROM person")).containsExactly(List.of(1L, "Ada", 36L));
        assertThat(b.pending.kept()).isZero();
        assertThat(b.pending.count()).isZero();
    }
}
