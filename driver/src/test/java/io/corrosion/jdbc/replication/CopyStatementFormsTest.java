package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * copy statements in ordinary spellings, run through the driver, must give a copy without the node's identity.
 * Each form writes the copy to {@code %s}; the copy opened as a node must have a site id of its own.
 */
class CopyStatementFormsTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static CorrosionConnection open(String file) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + file).unwrap(CorrosionConnection.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"prepared", "batch", "executeUpdate"})
    void aCopyMadeThroughOtherStatementApisHasNoNodeIdentity(String api) throws Exception {
        CorrosionConnection a = open(dir.resolve("a.db").toString());
        try (Statement s = a.createStatement()) {
            s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO kv VALUES (1, 'one')");
        }
        String copy = dir.resolve("copy.db").toString();
        String sql = "VACUUM INTO '" + copy + "'";
        switch (api) {
            case "prepared" -> {
                try (var p = a.prepareStatement(sql)) {
                    p.execute();
                }
            }
            case "batch" -> {
                try (Statement s = a.createStatement()) {
                    s.addBatch(sql);
                    s.executeBatch();
                }
            }
            default -> {
                try (Statement s = a.createStatement()) {
                    s.executeUpdate(sql);
                }
            }
        }
        byte[] site = a.siteId();
        try (CorrosionConnection b = open(copy)) {
            assertThat(HexFormat.of().formatHex(b.siteId())).as("copy made through %s", api)
                    .isNotEqualTo(HexFormat.of().formatHex(site));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "VACUUM INTO '%s'",                          // control: recognised
        "VACUUM INTO 'file:%s'",                     // URI filename (SQLite accepts it on a URI-enabled connection)
        "VACUUM INTO '%s' -- nightly backup",        // trailing comment
        "/* nightly */ VACUUM INTO '%s'",            // leading comment
        "VACUUM INTO '%s'; -- done",                 // trailing comment after the semicolon
        "VACUUM\nINTO\n'%s'\n",                      // line breaks
        "BACKUP TO %s",                              // control: recognised
        "backup to '%s'",                            // quoted
        "BACKUP main TO %s",                         // explicit schema
        "BACKUP TO file:%s",                         // URI destination
    })
    void aCopyMadeThroughTheDriverHasNoNodeIdentity(String form) throws Exception {
        CorrosionConnection a = open(dir.resolve("a.db").toString());
        try (Statement s = a.createStatement()) {
            s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO kv VALUES (1, 'one')");
        }
        String copy = dir.resolve("copy.db").toString();
        try (Statement s = a.createStatement()) {
            s.execute(String.format(form, copy));
        }
        byte[] site = a.siteId();
        try (CorrosionConnection b = open(copy)) {
            assertThat(HexFormat.of().formatHex(b.siteId()))
                    .as("site id of the copy made by <%s> (original %s)", form, HexFormat.of().formatHex(site))
                    .isNotEqualTo(HexFormat.of().formatHex(site));
        }
    }

    @Test
    void aCopyWhoseFileNameIsBoundKeepsTheIdentityAndTheDriverWarns() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger copyLog = (Logger) LoggerFactory.getLogger("io.corrosion.jdbc.node.CopyStatements");
        logs.start();
        copyLog.addAppender(logs);
        try {
            CorrosionConnection a = open(dir.resolve("a.db").toString());
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            }
            String copy = dir.resolve("bound.db").toString();
            try (var p = a.prepareStatement("VACUUM INTO ?")) {
                p.setString(1, copy);
                p.execute();
            }
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("keeps this node's identity"));
            try (CorrosionConnection b = open(copy)) {
                assertThat(b.siteId()).as("not followed: the copy is the node's twin").isEqualTo(a.siteId());
            }
        } finally {
            copyLog.detachAppender(logs);
        }
    }
}
