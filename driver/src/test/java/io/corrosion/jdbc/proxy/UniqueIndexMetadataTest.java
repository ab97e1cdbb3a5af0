package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.JdbcRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DatabaseMetaData.getIndexInfo} of a replicated table says UNIQUE where the driver enforces it, as sqlite-jdbc
 * says it of a plain file (from a review: schema readers such as Liquibase's diff saw no unique key).
 */
class UniqueIndexMetadataTest {
    private static final String PERSON = "CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT UNIQUE, nick TEXT,"
            + " city TEXT)";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /** NON_UNIQUE per index (the first column's row), as each getter reads it. */
    private static Map<String, String> indexes(Connection c, boolean unique) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, "person", unique, false)) {
            while (rs.next()) {
                out.put(rs.getString("INDEX_NAME"), rs.getBoolean("NON_UNIQUE") + " " + rs.getInt(4) + " "
                        + rs.getObject("NON_UNIQUE") + " " + rs.getObject(4, Boolean.class));
            }
        }
        return out;
    }

    @Test
    void driverEnforcedUniqueIndexesAreReportedUnique() throws SQLException {
        Map<String, String> plain;
        Map<String, String> plainUnique;
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            JdbcRows.exec(p, PERSON, "CREATE UNIQUE INDEX person_nick ON person (nick)",
                    "CREATE INDEX person_city ON person (city)");
            plain = indexes(p, false);
            plainUnique = indexes(p, true);
        }
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("node.db"))) {
            JdbcRows.exec(c, PERSON, "CREATE UNIQUE INDEX person_nick ON person (nick)",
                    "CREATE INDEX person_city ON person (city)");
            Map<String, String> all = indexes(c, false);
            assertThat(all).containsEntry("person_nick", plain.get("person_nick"))
                    .containsEntry("person_city", plain.get("person_city"))
                    .containsEntry("person_nick", "false 0 0 false")
                    .containsEntry("person_city", "true 1 1 true");
            // the UNIQUE constraint's index has the driver's name, not SQLite's automatic one
            assertThat(all.entrySet()).filteredOn(e -> e.getKey().contains("email")).singleElement()
                    .satisfies(e -> assertThat(e.getValue()).isEqualTo(plainUnique.get("sqlite_autoindex_person_1")));
            // sqlite-jdbc lists every index whatever "unique" asks (it is only a hint in JDBC)
            assertThat(indexes(c, true)).isEqualTo(all).hasSize(plainUnique.size());
        }
    }
}
