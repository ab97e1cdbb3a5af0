package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the driver's DDL records in __corrosion_dropped_schema (from a review). */
class DroppedNameTest {
    @TempDir
    Path dir;

    private static List<List<Object>> dropped(Node n) throws Exception {
        return n.rows("SELECT tbl, col FROM " + DroppedSchema.TABLE + " ORDER BY tbl, col");
    }

    /** present() compares SQLite's ASCII-only lower(name) with the name DroppedSchema.dropped lower-cased in Java. */
    @Test
    void aNonAsciiColumnDroppedAndAddedBackIsNoLongerDropped() throws Exception {
        try (Node n = new Node(dir, "a")) {
            n.exec("CREATE TABLE thing (id INTEGER PRIMARY KEY NOT NULL, name TEXT, \"ÄGE\" INTEGER)");
            n.exec("ALTER TABLE thing DROP COLUMN \"ÄGE\"");
            System.out.println("PROBE after drop: " + dropped(n));
            n.exec("ALTER TABLE thing ADD COLUMN \"ÄGE\" INTEGER");
            assertThat(dropped(n)).as("after ADD COLUMN back").isEmpty();
        }
    }

    @Test
    void aDropRolledBackLeavesNoDroppedName() throws Exception {
        try (Node n = new Node(dir, "b")) {
            n.exec("CREATE TABLE item (id INTEGER PRIMARY KEY NOT NULL, name TEXT, qty INTEGER)");
            n.exec("CREATE TABLE other (id INTEGER PRIMARY KEY NOT NULL, v TEXT)");
            n.exec("ALTER TABLE other DROP COLUMN v"); // the table of dropped names exists
            n.c.setAutoCommit(false);
            n.exec("ALTER TABLE item DROP COLUMN qty");
            n.exec("DROP TABLE item");
            n.c.rollback();
            n.c.setAutoCommit(true);
            assertThat(dropped(n)).containsExactly(List.of("other", "v"));
            n.exec("INSERT INTO item VALUES (1, 'a', 2)");
            assertThat(n.rows("SELECT id, name, qty FROM item")).containsExactly(List.of(1L, "a", 2L));
        }
    }
}
