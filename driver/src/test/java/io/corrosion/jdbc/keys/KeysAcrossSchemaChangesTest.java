package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated keys across schema changes: a renamed table keeps its key counter, so the key of a deleted row is never
 * generated again under the new name (another node may hold that row, or its tombstone, and a new row with its key
 * would merge into it); a table created or renamed in the open transaction gets keys in that transaction.
 */
class KeysAcrossSchemaChangesTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("rename.db") + "?node-slot=5");
    }

    /** Inserts three rows into {@code t}, deletes the highest and renames the table to {@code u}; returns that key. */
    private long deleteHighestAndRename(Connection c) throws SQLException {
        exec(c, "create table t (id integer primary key, v text)");
        exec(c, "insert into t (v) values ('a'), ('b'), ('c')");
        long deleted = one(c, "select max(id) from t");
        exec(c, "delete from t where id = " + deleted);
        exec(c, "alter table t rename to u");
        return deleted;
    }

    @Test
    void aRenamedTableGoesOnFromItsCounter() throws SQLException {
        try (Connection c = open()) {
            long deleted = deleteHighestAndRename(c);
            exec(c, "insert into u (v) values ('d')");
            assertThat(one(c, "select max(id) from u")).isGreaterThan(deleted);
        }
    }

    @Test
    void aRenamedTableGoesOnFromItsCounterAfterARestart() throws SQLException {
        long deleted;
        try (Connection c = open()) {
            deleted = deleteHighestAndRename(c);
        }
        CorrosionDriver.shutdownAll();
        try (Connection c = open()) {
            exec(c, "insert into u (v) values ('d')");
            assertThat(one(c, "select max(id) from u")).isGreaterThan(deleted);
        }
    }

    @Test
    void aTableRenamedInsideATransactionGoesOnFromItsCounter() throws SQLException {
        try (Connection c = open()) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (v) values ('a'), ('b'), ('c')");
            long deleted = one(c, "select max(id) from t");
            c.setAutoCommit(false);
            exec(c, "delete from t where id = " + deleted);
            exec(c, "alter table t rename to u");
            exec(c, "insert into u (v) values ('d')");
            c.commit();
            assertThat(one(c, "select max(id) from u")).isGreaterThan(deleted);
        }
    }

    @Test
    void aTableCreatedInTheOpenTransactionGetsKeysInIt() throws SQLException {
        try (Connection c = open()) {
            c.setAutoCommit(false);
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (v) values ('a')");
            c.commit();
            assertThat(IdScheme.slotOf(one(c, "select id from t"))).isEqualTo(5);
        }
    }
}
