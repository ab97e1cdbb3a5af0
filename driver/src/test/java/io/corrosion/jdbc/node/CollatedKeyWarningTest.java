package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A replicated table whose key compares with a collation gets a WARN: its rows can differ between nodes for good. */
class CollatedKeyWarningTest {
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(SchemaStatements.class);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private void create(String ddl) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("collated.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate(ddl);
        }
    }

    private long warnings() {
        return logs.at(Level.WARN).size();
    }

    @Test
    void aKeyWithACollationIsWarnedOf() throws SQLException {
        create("create table person (email text primary key collate nocase not null, name text)");
        assertThat(logs.events()).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("Table person", "(email nocase)", "one spelling");
        });
    }

    @Test
    void keysWithoutACollationAreNot() throws SQLException {
        create("create table tag (name text primary key not null, note text collate nocase)");
        create("create table item (id integer primary key, label text collate nocase)");
        create("create table pair (a text not null, b text not null, primary key (a, b)) without rowid");
        assertThat(warnings()).isZero();
    }
}
