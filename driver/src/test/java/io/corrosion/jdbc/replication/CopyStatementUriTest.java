package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Copy statements whose target SQLite reads by its URI rules (SqliteFileNames), or that run in ways the plain forms do
 * not. For each, the file SQLite really wrote (checked with plain sqlite-jdbc 3.54.1.0) must not keep the node's
 * identity, and a copy SQLite made in memory must not make the statement fail.
 */
class CopyStatementUriTest {
    @TempDir
    Path dir;

    private final List<Path> inWorkingDir = new java.util.ArrayList<>();

    @AfterEach
    void shutdown() throws Exception {
        CorrosionDriver.shutdownAll();
        for (Path p : inWorkingDir) {
            Files.deleteIfExists(p);
        }
    }

    private CorrosionConnection node() throws SQLException {
        CorrosionConnection a = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db"))
                .unwrap(CorrosionConnection.class);
        try (Statement s = a.createStatement()) {
            s.execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO kv VALUES (1, 'one')");
        }
        return a;
    }

    /** The local site id (ordinal 0) of a file SQLite wrote, read without the driver; null if it has none. */
    private static String localSite(Path file) throws SQLException {
        // a file: URI with the path percent-encoded, so that sqlite-jdbc takes no '?' in it for its own parameters
        String uri = "file:" + file.toAbsolutePath().toString().replace("%", "%25").replace("?", "%3F")
                .replace("#", "%23");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + uri); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT hex(site_id) FROM crsql_site_id WHERE ordinal = 0")) {
            return rs.next() ? rs.getString(1).toLowerCase() : null;
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** SQLite's "file:" prefix is case-sensitive (memcmp): 'FILE:x' is the plain file name "FILE:x". */
    @Test
    void upperCaseFilePrefixIsAPlainFileNameForSqlite() throws Exception {
        CorrosionConnection a = node();
        String name = "probe-" + UUID.randomUUID() + ".db";
        Path written = Path.of("FILE:" + name); // relative: SQLite writes it in the working directory
        inWorkingDir.add(written);
        inWorkingDir.add(Path.of(name));
        try (Statement s = a.createStatement()) {
            assertThatCode(() -> s.execute("VACUUM INTO 'FILE:" + name + "'"))
                    .as("SQLite wrote FILE:%s; the driver looked for %s", name, name).doesNotThrowAnyException();
        }
        assertThat(Files.exists(written)).as("SQLite wrote the literal name").isTrue();
        assertThat(localSite(written)).as("the copy SQLite wrote keeps the node's site id").isNotEqualTo(hex(a.siteId()));
    }

    /** Query parameter names are case-sensitive in SQLite: MODE=memory is an unknown parameter, the copy is on disk. */
    @Test
    void upperCaseModeParameterIsNotMemory() throws Exception {
        CorrosionConnection a = node();
        Path copy = dir.resolve("q1.db");
        try (Statement s = a.createStatement()) {
            s.execute("VACUUM INTO 'file:" + copy + "?MODE=memory'");
        }
        assertThat(Files.exists(copy)).as("SQLite wrote the copy to disk").isTrue();
        assertThat(localSite(copy)).as("copy on disk keeps the node's site id").isNotEqualTo(hex(a.siteId()));
    }

    /** A fragment after the query: SQLite makes the copy in memory, the driver looks for a file and fails. */
    @Test
    void memoryCopyWithFragmentDoesNotFail() throws Exception {
        CorrosionConnection a = node();
        Path copy = dir.resolve("q2.db");
        try (Statement s = a.createStatement()) {
            assertThatCode(() -> s.execute("VACUUM INTO 'file:" + copy + "?mode=memory#frag'"))
                    .doesNotThrowAnyException();
        }
        assertThat(Files.exists(copy)).as("SQLite wrote no file").isFalse();
    }

    /** Percent-encoded parameter names and values are decoded by SQLite too: an in-memory copy. */
    @Test
    void percentEncodedMemoryModeDoesNotFail() throws Exception {
        CorrosionConnection a = node();
        for (String query : List.of("mode=m%65mory", "mod%65=memory", "vfs=memdb")) {
            Path copy = dir.resolve("enc-" + query.replace('%', '_').replace('=', '_') + ".db");
            try (Statement s = a.createStatement()) {
                assertThatCode(() -> s.execute("VACUUM INTO 'file:" + copy + "?" + query + "'"))
                        .as("?%s", query).doesNotThrowAnyException();
            }
            assertThat(Files.exists(copy)).as("SQLite wrote no file for ?%s", query).isFalse();
        }
    }

    /** %3F decodes to '?': SQLite writes "q6?x.db"; the detach must open that file, not "q6". */
    @Test
    void percentEncodedQuestionMarkInPath() throws Exception {
        CorrosionConnection a = node();
        Path written = dir.resolve("q6?x.db");
        try (Statement s = a.createStatement()) {
            s.execute("VACUUM INTO 'file:" + dir.resolve("q6%3Fx.db") + "'");
        }
        assertThat(Files.exists(written)).as("SQLite wrote %s", written).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no stray file made by the detach").doesNotContain("q6");
        }
        assertThat(localSite(written)).as("the copy keeps the node's site id").isNotEqualTo(hex(a.siteId()));
    }

    /** sqlite-jdbc's BACKUP takes "x.db;" as the file name (its parser stops at white space only). */
    @Test
    void backupToWithTrailingSemicolon() throws Exception {
        CorrosionConnection a = node();
        Path written = dir.resolve("semi.db;");
        try (Statement s = a.createStatement()) {
            assertThatCode(() -> s.execute("BACKUP TO " + dir.resolve("semi.db") + ";")).doesNotThrowAnyException();
        }
        assertThat(Files.exists(written)).as("sqlite-jdbc wrote %s", written).isTrue();
        assertThat(localSite(written)).as("the copy keeps the node's site id").isNotEqualTo(hex(a.siteId()));
    }

    /**
     * A copying statement shares its SQL string with others: refused before anything runs (0A000). sqlite-jdbc's
     * execute runs only a string's first statement, and executeUpdate may fail after the copy: the driver could not
     * tell whether the copy was written.
     */
    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO kv VALUES (2, 'two'); VACUUM INTO '%s'",
        "VACUUM INTO '%s'; INSERT INTO kv VALUES (1, 'duplicate key')", "BACKUP TO %s; SELECT 1"})
    void aCopyingStatementSharingItsStringIsRefused(String form) throws Exception {
        CorrosionConnection a = node();
        Path copy = dir.resolve("multi.db");
        for (boolean update : new boolean[] {false, true}) {
            try (Statement s = a.createStatement()) {
                String sql = String.format(form, copy);
                assertThatThrownBy(() -> {
                    if (update) {
                        s.executeUpdate(sql);
                    } else {
                        s.execute(sql);
                    }
                }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            }
        }
        assertThat(Files.exists(copy)).as("nothing copied").isFalse();
        assertThat(Rows.query(a, "SELECT count(*) FROM kv")).as("nothing run").containsExactly(List.of(1L));
    }

    /** executeQuery runs the VACUUM INTO, then sqlite-jdbc throws "query does not return ResultSet". */
    @Test
    void executeQueryOfVacuumInto() throws Exception {
        CorrosionConnection a = node();
        Path copy = dir.resolve("query.db");
        try (Statement s = a.createStatement()) {
            try {
                s.executeQuery("VACUUM INTO '" + copy + "'").close();
            } catch (SQLException expected) {
                // sqlite-jdbc: no result set
            }
        }
        assertThat(Files.exists(copy)).as("the VACUUM ran").isTrue();
        assertThat(localSite(copy)).as("the copy keeps the node's site id").isNotEqualTo(hex(a.siteId()));
    }

    /** SQLite's grammar takes a string as the schema name (VACUUM nm INTO expr, nm: id | STRING | JOIN_KW). */
    @ParameterizedTest
    @ValueSource(strings = {"VACUUM 'main' INTO '%s'", "VACUUM main /* nightly */ INTO '%s'",
        "VACUUM INTO /* nightly */ '%s'", "VACUUM \"main\" INTO '%s'", "VACUUM [main] INTO '%s'"})
    void schemaNameAsAStringOrWithACommentInside(String form) throws Exception {
        CorrosionConnection a = node();
        Path copy = dir.resolve("schema.db");
        try (Statement s = a.createStatement()) {
            s.execute(String.format(form, copy));
        }
        assertThat(Files.exists(copy)).as(form).isTrue();
        assertThat(localSite(copy)).as("copy made by <%s> keeps the node's site id", form)
                .isNotEqualTo(hex(a.siteId()));
    }

    /** %00 ends the path for SQLite ("q11"); Path.of of a NUL throws a RuntimeException out of execute. */
    @Test
    void percentEncodedNulInPath() throws Exception {
        CorrosionConnection a = node();
        Path written = dir.resolve("q11");
        try (Statement s = a.createStatement()) {
            assertThatCode(() -> s.execute("VACUUM INTO 'file:" + dir.resolve("q11%00zz.db") + "'"))
                    .doesNotThrowAnyException();
        }
        assertThat(Files.exists(written)).as("SQLite wrote %s", written).isTrue();
        assertThat(localSite(written)).as("the copy keeps the node's site id").isNotEqualTo(hex(a.siteId()));
    }

}
