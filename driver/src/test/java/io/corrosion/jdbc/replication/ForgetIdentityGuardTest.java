package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * forgetNodeIdentity refuses a file another connection has open (outside this JVM's driver registry, as another
 * process's would be; open, idle, as a running node's between writes): in WAL mode SQLite's locks show it (55006); in
 * the rollback-journal modes an idle connection holds no lock, so such a file is refused whoever has it open (55000),
 * and its identity stays.
 */
class ForgetIdentityGuardTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"WAL", "DELETE", "TRUNCATE", "PERSIST"})
    void aFileOpenElsewhereIsRefused(String journalMode) throws Exception {
        Path file = dir.resolve("node.db");
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + file + "?journal_mode=" + journalMode);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO kv VALUES (1, 'one')");
        }
        CorrosionDriver.shutdown(file.toString());
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = other.createStatement()) {
            try (var rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next(); // TRUNCATE and PERSIST are settings of a connection: a new one says delete
                assertThat(rs.getString(1)).isEqualToIgnoringCase(journalMode.equals("WAL") ? "wal" : "delete");
            }
            s.executeQuery("SELECT count(*) FROM kv").close(); // open and used, now idle: a node between writes
            assertThatThrownBy(() -> CorrosionDriver.forgetNodeIdentity(file.toString()))
                    .as("journal_mode=%s, another connection has the file open", journalMode)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                            .isEqualTo(journalMode.equals("WAL") ? "55006" : "55000"));
            try (var rs = s.executeQuery("SELECT count(*) FROM crsql_site_id WHERE ordinal = 0")) {
                assertThat(rs.getInt(1)).as("the identity stays").isEqualTo(1);
            }
        }
    }
}
