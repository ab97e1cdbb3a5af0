package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DatabaseMetaData result set answers {@code getStatement()} as sqlite-jdbc's does, with a statement (the driver's,
 * on the driver's connection) that closes it; the driver answered null, on which code that closes
 * {@code rs.getStatement()} after a metadata call fails with a NullPointerException.
 */
class MetaDataResultSetStatementTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static List<ResultSet> listings(DatabaseMetaData md) throws SQLException {
        return List.of(md.getTables(null, null, "%", null), md.getColumns(null, null, "t", "%"),
                md.getColumns(null, null, "%", "%"),
                md.getPrimaryKeys(null, null, "t"), md.getIndexInfo(null, null, "t", false, false),
                md.getImportedKeys(null, null, "t"), md.getTableTypes(), md.getSchemas(), md.getTypeInfo(),
                md.getVersionColumns(null, null, "t"));
    }

    private static void statementsOfListings(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            s.executeUpdate("CREATE TABLE big (id BIGINT PRIMARY KEY, v TEXT)"); // its declared key type is restored
            for (ResultSet rs : listings(c.getMetaData())) {
                Statement statement = rs.getStatement();
                assertThat(statement).as("%s: statement of a metadata result set", url).isNotNull();
                assertThat(statement.getConnection()).as(url).isSameAs(c);
                statement.close();
                assertThat(rs.isClosed()).as("%s: closing the statement closes the result set", url).isTrue();
            }
        }
    }

    @Test
    void metaDataResultSetsHaveAStatementOnTheApplicationsConnection() throws SQLException {
        statementsOfListings("jdbc:sqlite:" + dir.resolve("plain.db"));
        statementsOfListings("jdbc:corrosion:" + dir.resolve("corrosion.db"));
    }
}
