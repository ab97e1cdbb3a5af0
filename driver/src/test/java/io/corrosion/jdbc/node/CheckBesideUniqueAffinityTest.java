package io.corrosion.jdbc.node;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A row that breaks a CHECK comparing a column with a value of another type, and collides on a UNIQUE: the CHECK comes
 * first, as in SQLite, which compares with the column's affinity (and collation).
 */
class CheckBesideUniqueAffinityTest extends PlainDifferentialTest {

    private void sameWith(String type, String check, String... writes) throws SQLException {
        same(List.of("CREATE TABLE t (k TEXT PRIMARY KEY, c0 " + type + " CHECK (" + check + "), c1 UNIQUE)"),
                List.of("INSERT INTO t VALUES ('a', 1, 1)"), "SELECT k, c0, typeof(c0), c1 FROM t ORDER BY k", writes);
    }

    @Test
    void numericColumnAgainstText() throws SQLException {
        sameWith("NUMERIC", "c0 <> '2'", "INSERT INTO t VALUES ('b', 2, 1)", "INSERT OR IGNORE INTO t VALUES ('b', '2', 1)",
                "INSERT INTO t VALUES ('c', 3, 2)", "UPDATE t SET c0 = 2.0, c1 = 1 WHERE k = 'c'");
    }

    @Test
    void integerAndRealColumnsAgainstText() throws SQLException {
        sameWith("INTEGER", "c0 <> '2'", "INSERT INTO t VALUES ('b', 2, 1)", "INSERT INTO t VALUES ('c', '2', 1)");
        sameWith("REAL", "c0 <> '2'", "INSERT INTO t VALUES ('b', 2, 1)", "INSERT INTO t VALUES ('c', '2.0', 1)");
    }

    @Test
    void textColumnAgainstANumber() throws SQLException {
        sameWith("TEXT", "c0 <> 2", "INSERT INTO t VALUES ('b', 2, 1)", "INSERT INTO t VALUES ('c', '2', 1)",
                "INSERT INTO t VALUES ('d', x'32', 1)");
    }

    @Test
    void nocaseColumn() throws SQLException {
        sameWith("TEXT COLLATE NOCASE", "c0 <> 'x'", "INSERT INTO t VALUES ('b', 'X', 1)");
    }
}
