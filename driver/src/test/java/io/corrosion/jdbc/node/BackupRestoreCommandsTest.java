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
 * sqlite-jdbc's extended commands: BACKUP TO works (its copy without the node's identity: {@code NodeCopiesTest});
 * RESTORE FROM is refused. It put a live node's file back to the
 * backup, lost the later rows without a trace, and the node's next commits skipped versions its peers held.
 */
class BackupRestoreCommandsTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> values(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from t order by v")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void backupToWritesACopyAndRestoreFromIsRefused() throws SQLException {
        Path backup = dir.resolve("backup.db");
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("live.db"))) {
            exec(c, "create table t (id integer primary key, v text)");
            exec(c, "insert into t (v) values ('one')");
            exec(c, "backup to " + backup);
            exec(c, "insert into t (v) values ('two')");
            SQLException refused = catchThrowableOfType(SQLException.class, () -> exec(c, "restore from " + backup));
            assertThat((Object) refused).isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("0A000");
            assertThat(refused.getMessage()).contains("RESTORE FROM is refused", "put a backup", "empty file");
            assertThat(values(c)).containsExactly("one", "two");
        }
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + backup)) {
            assertThat(values(plain)).containsExactly("one");
        }
    }
}
