package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual tables (FTS5, R*Tree) and their shadow tables stay local: the module owns their rows and storage. A reopen
 * used to make the shadow tables CRRs, as tables made without the driver, and the JVM then crashed in SQLite.
 */
class VirtualTablesTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private String url() {
        return "jdbc:corrosion:" + dir.resolve("virtual.db");
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void fullTextAndRTreeTablesWorkAcrossAReopenAndNoneOfTheirTablesReplicates() throws SQLException {
        try (Connection c = DriverManager.getConnection(url())) {
            exec(c, "create table doc (id integer primary key, body text)");
            exec(c, "create virtual table doc_fts using fts5 (body)");
            exec(c, "create virtual table doc_box using rtree (id, minx, maxx)");
            exec(c, "insert into doc_fts (rowid, body) values (1, 'hello world')");
            exec(c, "insert into doc_box values (1, 0, 10)");
        }
        CorrosionDriver.shutdownAll();
        try (Connection c = DriverManager.getConnection(url())) {
            exec(c, "insert into doc_fts (rowid, body) values (2, 'hello again')");
            exec(c, "insert into doc_box values (2, 5, 20)");
            assertThat(strings(c, "select rowid from doc_fts where doc_fts match 'hello' order by rowid"))
                    .containsExactly("1", "2");
            assertThat(strings(c, "select id from doc_box where minx <= 7 and maxx >= 7 order by id"))
                    .containsExactly("1", "2");
        }
        CorrosionDriver.shutdownAll();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("virtual.db"))) {
            assertThat(strings(plain, "select name from __corrosion_crr order by name")).containsExactly("doc");
        }
    }

    @Test
    void aVirtualTableOrItsStorageCannotBeMadeACrr() throws SQLException {
        try (Connection c = DriverManager.getConnection(url())) {
            exec(c, "create virtual table doc_fts using fts5 (body)");
            for (String table : List.of("doc_fts", "doc_fts_data")) {
                SQLException refused = catchThrowableOfType(SQLException.class,
                        () -> exec(c, "select crsql_as_crr('" + table + "')"));
                assertThat((Object) refused).as(table).isNotNull();
                assertThat(refused.getSQLState()).isEqualTo("0A000");
                assertThat(refused.getMessage()).contains("is a virtual table", "ORDINARY_TABLE");
            }
        }
    }
}
