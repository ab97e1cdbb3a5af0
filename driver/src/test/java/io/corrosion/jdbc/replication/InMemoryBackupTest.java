package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A copy of an in-memory corrosion database made through the driver holds its changes, as a new site. */
class InMemoryBackupTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BACKUP TO %s", "VACUUM INTO '%s'"})
    void aCopyOfAnInMemoryDatabase(String form) throws Exception {
        try (CorrosionConnection a = DriverManager.getConnection("jdbc:corrosion::memory:")
                .unwrap(CorrosionConnection.class)) {
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
                for (int i = 0; i < 20; i++) {
                    s.execute("INSERT INTO kv VALUES (" + i + ", 'v')");
                }
                s.execute("UPDATE kv SET v = 'w' WHERE k = 3");
            }
            List<String> changes = a.changesSince(0).stream().map(Change::toString).sorted().toList();
            Path copy = dir.resolve("mem-copy.db");
            try (Statement s = a.createStatement()) {
                s.execute(String.format(form, copy));
            }
            try (CorrosionConnection b = DriverManager.getConnection("jdbc:corrosion:" + copy)
                    .unwrap(CorrosionConnection.class)) {
                assertThat(b.siteId()).isNotEqualTo(a.siteId());
                assertThat(b.changesSince(0).stream().map(Change::toString).sorted().toList()).isEqualTo(changes);
            }
        }
    }
}
