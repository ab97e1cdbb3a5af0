package io.corrosion.jdbc.keys;

import static io.corrosion.jdbc.keys.GeneratedKeysTest.exec;
import static io.corrosion.jdbc.keys.GeneratedKeysTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VACUUM after writes that allocated keys. The allocator's reservation write left sqlite-jdbc's generated-keys query
 * open on the application's connection, and VACUUM there failed with "SQL statements in progress".
 */
class VacuumAfterKeysTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void vacuumRunsAfterStatementsThatAllocatedKeys() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("vacuum.db"))) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (v) values ('a')");
            exec(c, "vacuum");
            try (PreparedStatement ps = c.prepareStatement("insert into t (v) values (?)")) {
                ps.setString(1, "b");
                ps.executeUpdate();
            }
            exec(c, "vacuum");
            exec(c, "delete from t where v = 'a'");
            exec(c, "vacuum");
            assertThat(one(c, "select count(*) from t")).isEqualTo(1);
        }
    }
}
