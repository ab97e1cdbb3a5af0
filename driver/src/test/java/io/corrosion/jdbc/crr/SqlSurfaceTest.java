package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL surface on an attached raw connection: crsql_site_id(), crsql_db_version(), crsql_changes. */
class SqlSurfaceTest {
    private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT, b INTEGER); SELECT crsql_as_crr('t');";

    @TempDir
    Path dir;

    @Test
    void functionsReportSiteIdAndDbVersion() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 1)");
            assertThat(r.query("SELECT hex(crsql_site_id()), length(crsql_site_id()), crsql_db_version()"))
                    .hasToString("[[" + SqlValues.hex(r.crr.siteId()) + ", 16, 1]]");
        }
    }

    @Test
    void siteIdIsCreatedOncePerFileAndSurvivesReopening() throws SQLException {
        byte[] first;
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            first = r.crr.siteId();
        }
        try (Replica r = new Replica(dir, "a")) {
            assertThat(r.crr.siteId()).isEqualTo(first);
        }
        try (Replica other = new Replica(dir, "b", SCHEMA)) {
            assertThat(other.crr.siteId()).isNotEqualTo(first);
        }
    }

    @Test
    void crsqlChangesAnswersAnyPredicate() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2); DELETE FROM t WHERE id = 2; UPDATE t SET a = 'z' WHERE id = 1;");
            assertThat(r.query("SELECT cid, val FROM crsql_changes WHERE val LIKE 'z%' OR (cl % 2 = 0 AND pk = x'010902') ORDER BY cid"))
                    .hasToString("[[-1, null], [a, z]]");
            assertThat(r.query("SELECT count(*) FROM crsql_changes WHERE site_id = crsql_site_id() AND db_version BETWEEN 2 AND 3"))
                    .hasToString("[[2]]");
            assertThat(r.query("SELECT \"table\", max(seq) FROM crsql_changes GROUP BY 1")).hasToString("[[t, 1]]");
        }
    }

    @Test
    void readsBySiteAndVersionUseTheVersionLogIndex() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            String plan = r.query("EXPLAIN QUERY PLAN SELECT * FROM crsql_changes WHERE site_id = x'00' AND db_version BETWEEN 5 AND 9")
                    .toString();
            assertThat(plan).contains("SEARCH s USING COVERING INDEX crsql_site_id_site_id (site_id=?)")
                    .contains("SEARCH l USING PRIMARY KEY (site=? AND db_version>? AND db_version<?)")
                    .contains("SEARCH x USING PRIMARY KEY (site=? AND db_version=? AND tbl=? AND key=?)")
                    .doesNotContain("SCAN l]").doesNotContain("SCAN c]");
            assertThat(plan.split("SEARCH c USING INTEGER PRIMARY KEY", -1))
                    .as("log arm, range arm and journal arm find clocks by key").hasSize(4);
            assertThat(plan).as("the range arm reads a range of clocks").contains("SEARCH c USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)");
        }
    }

    @Test
    void insertIntoCrsqlChangesMergesSingleRowsMultiRowValuesAndBatches() throws SQLException {
        try (Replica a = new Replica(dir, "a", SCHEMA); Replica b = new Replica(dir, "b", SCHEMA); Replica c = new Replica(dir, "c", SCHEMA)) {
            a.exec("INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2)");
            List<Change> changes = a.changes();
            StringBuilder values = new StringBuilder();
            for (Change ch : changes) {
                values.append(values.length() == 0 ? "" : ", ").append("('t', x'").append(SqlValues.hex(ch.pk())).append("', '")
                        .append(ch.cid()).append("', ").append(ch.val() instanceof String s ? "'" + s + "'" : ch.val()).append(", ")
                        .append(ch.colVersion()).append(", ").append(ch.dbVersion()).append(", x'").append(SqlValues.hex(ch.siteId()))
                        .append("', ").append(ch.cl()).append(", ").append(ch.seq()).append(")");
            }
            b.exec("INSERT INTO crsql_changes (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq) VALUES " + values);
            assertThat(b.query("SELECT * FROM t ORDER BY id")).hasToString("[[1, x, 1], [2, y, 2]]");

            c.conn.setAutoCommit(false);
            try (PreparedStatement p = c.conn.prepareStatement(Change.INSERT_SQL)) {
                for (Change ch : changes) {
                    ch.bind(p);
                    p.addBatch();
                }
                p.executeBatch();
            }
            assertThat(c.scalar("SELECT crsql_rows_impacted()")).isEqualTo(4L);
            c.conn.commit();
            c.conn.setAutoCommit(true);
            assertThat(c.changes()).isEqualTo(a.changes());
            assertThat(b.changes()).isEqualTo(a.changes());
        }
    }

    @Test
    void aFailingMergeStatementRollsBackOnlyItself() throws SQLException {
        try (Replica a = new Replica(dir, "a", SCHEMA); Replica b = new Replica(dir, "b", SCHEMA)) {
            a.exec("INSERT INTO t VALUES (1, 'x', 1)");
            b.conn.setAutoCommit(false);
            b.crr.apply(a.changes());
            try {
                b.exec("INSERT INTO crsql_changes VALUES ('t', x'010902', 'nope', 1, 1, 1, x'" + SqlValues.hex(a.crr.siteId()) + "', 1, 0, '0')");
            } catch (SQLException expected) {
                assertThat(expected.getMessage()).contains("nope");
            }
            b.conn.commit();
            b.conn.setAutoCommit(true);
            assertThat(b.query("SELECT * FROM t")).hasToString("[[1, x, 1]]");
        }
    }

    @Test
    void readOnlyConnectionsAttachAndReadChanges() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA)) {
            r.exec("INSERT INTO t VALUES (1, 'x', 1)");
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setReadOnly(true);
            try (org.sqlite.SQLiteConnection ro = (org.sqlite.SQLiteConnection) config.createConnection(
                    "jdbc:sqlite:" + dir.resolve("a.db")); CrrSession s = CrrEngine.attach(ro)) {
                assertThat(s.siteId()).isEqualTo(r.crr.siteId());
                assertThat(s.changesSince(0)).isEqualTo(r.changes());
            }
        }
    }
}
