package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit a deferred foreign key refuses leaves the transaction open. Besides rolling it back, the application may
 * repair it (insert the missing parent) and commit again: the transaction's rows are then one db version, captured
 * whole, whichever way it commits.
 */
class DeferredForeignKeyRetryTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"commit()", "COMMIT", "setAutoCommit(true)"})
    void aRefusedCommitRepairedAndCommittedAgainIsOneVersion(String how) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("fk.db")
                + "?foreign_keys=true")) {
            exec(c, "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)");
            exec(c, "CREATE TABLE pet (id INTEGER PRIMARY KEY,"
                    + " owner_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED, name TEXT)");
            CorrosionConnection cc = c.unwrap(CorrosionConnection.class);
            long before = cc.dbVersion();
            c.setAutoCommit(false);
            exec(c, "INSERT INTO pet VALUES (10, 99, 'owner comes later')");
            assertThatThrownBy(() -> commit(c, how)).isInstanceOf(SQLException.class);
            assertThat(c.getAutoCommit()).isFalse();
            exec(c, "INSERT INTO parent VALUES (99, 'the owner')");
            commit(c, how);
            if (!how.equals("COMMIT")) { // after a COMMIT statement sqlite-jdbc has no transaction to end (see AutoCommitAfterLostTransactionTest)
                c.setAutoCommit(true);
            }
            List<Change> changes = cc.changesSince(before);
            assertThat(changes).extracting(Change::table).as("both rows captured").contains("pet", "parent");
            assertThat(changes).extracting(Change::dbVersion).as("one transaction, one db version").containsOnly(before + 1);
            assertThat(cc.dbVersion()).isEqualTo(before + 1);
        }
    }

    private static void commit(Connection c, String how) throws SQLException {
        switch (how) {
            case "commit()" -> c.commit();
            case "COMMIT" -> exec(c, "COMMIT");
            default -> c.setAutoCommit(true);
        }
    }
}
