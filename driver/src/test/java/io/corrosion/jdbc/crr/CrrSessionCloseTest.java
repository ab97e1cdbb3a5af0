package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** A session closed after its connection (a crash, a pool evicting a broken connection) closes quietly. */
class CrrSessionCloseTest {
    @TempDir
    Path dir;

    @Test
    void closingASessionAfterItsConnectionDoesNotTouchTheFreedHandle() throws Exception {
        SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
        CrrSession session = CrrEngine.attach(c);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, v TEXT)");
        }
        session.schema().asCrr("t");
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (1, 'x')");
        }
        c.close();
        session.close(); // removing sqlite-jdbc's commit hook here crashed the JVM (SIGSEGV)
        assertThat(session.isClosed()).isTrue();
    }
}
