package io.corrosion.jdbc.node;

import static io.corrosion.jdbc.JdbcRows.column;
import static io.corrosion.jdbc.JdbcRows.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
            assertThat(column(c, "select rowid from doc_fts where doc_fts match 'hello' order by rowid"))
                    .containsExactly("1", "2");
            assertThat(column(c, "select id from doc_box where minx <= 7 and maxx >= 7 order by id"))
                    .containsExactly("1", "2");
        }
        CorrosionDriver.shutdownAll();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("virtual.db"))) {
            assertThat(column(plain, "select name from __corrosion_crr order by name")).containsExactly("doc");
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
