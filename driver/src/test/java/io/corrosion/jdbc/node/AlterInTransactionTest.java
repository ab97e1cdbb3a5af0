package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALTER TABLE ADD/DROP COLUMN and then an INSERT without a column list into that table, in one transaction (a
 * migration that changes a table and fills it): as in plain SQLite. The key rewrite read the table's columns as
 * committed, from before the ALTER (found by a randomized differential test): "table lg has 3 columns but 2 values were
 * supplied" on a table without a primary key, "table __corrosion_rows has 3 values for 4 columns" (HY000) on an
 * INTEGER PRIMARY KEY table.
 */
class AlterInTransactionTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static int run(Connection c, String create, String alter, String insert) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(create);
            s.execute("BEGIN");
            s.execute(alter);
            int n = s.executeUpdate(insert);
            s.execute("COMMIT");
            return n;
        }
    }

    private void check(String create, String alter, String insert, String table) throws SQLException {
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain" + System.nanoTime() + ".db"))) {
            assertThat(run(p, create, alter, insert)).isEqualTo(1);
        }
        try (Node a = new Node(dir, "a" + System.nanoTime())) {
            assertThat(run(a.c, create, alter, insert)).isEqualTo(1);
            assertThat(a.rows("SELECT * FROM " + table)).hasSize(1);
        }
    }

    @Test
    void hiddenKeyTableInsertWithoutColumnListAfterDropColumn() throws SQLException {
        check("CREATE TABLE lg (src TEXT, k, v)", "ALTER TABLE lg DROP COLUMN v", "INSERT INTO lg VALUES ('', 'A')", "lg");
    }

    @Test
    void integerKeyTableInsertSelectWithoutColumnListAfterDropColumn() throws SQLException {
        check("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c)", "ALTER TABLE t DROP COLUMN a",
                "INSERT INTO t SELECT 1, 'x', 'y'", "t");
    }

    @Test
    void integerKeyTableInsertSelectWithoutColumnListAfterAddColumn() throws SQLException {
        check("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c)", "ALTER TABLE t ADD COLUMN d",
                "INSERT INTO t SELECT 1, 'x', 'y', 'z', 'w'", "t");
    }
}
