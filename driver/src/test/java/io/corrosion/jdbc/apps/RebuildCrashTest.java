package io.corrosion.jdbc.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Second rebuild review: a real child JVM runs a history and a rebuild in one transaction, writes what the changes view
 * and changes(site, from, to) give, and halts without closing (no final journal flush). Opened again, the file must
 * give the same changes: recovery finds the rebuild's version in the rebuilt table's clocks, sends nothing twice.
 */
class RebuildCrashTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    static String dump(CorrosionConnection crr, List<Change> cs) {
        StringBuilder out = new StringBuilder();
        for (Change c : cs) {
            out.append(c.table()).append('/').append(HexFormat.of().formatHex(c.pk())).append('/').append(c.cid()).append('=')
                    .append(c.val()).append(" cv").append(c.colVersion()).append(" db").append(c.dbVersion()).append(" site")
                    .append(HexFormat.of().formatHex(c.siteId()), 0, 6).append(" cl").append(c.cl()).append(" seq")
                    .append(c.seq()).append('\n');
        }
        return out.toString();
    }

    static String state(Connection c) throws Exception {
        CorrosionConnection crr = c.unwrap(CorrosionConnection.class);
        long v = crr.dbVersion();
        return "DBVERSION " + v + "\nVIEW\n" + dump(crr, crr.changesSince(0)) + "RANGE\n"
                + dump(crr, crr.changes(crr.siteId(), 1, v));
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]);
        String mode = args.length > 2 ? args[2] : "";
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + args[0] + "?node-slot=1");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)");
            s.execute("CREATE TABLE u (id INTEGER PRIMARY KEY, x TEXT)");
            for (int i = 1; i <= 40; i++) {
                s.executeUpdate("INSERT INTO t VALUES (" + i + ", 'v" + i + "', " + i + ")");
            }
            s.executeUpdate("UPDATE t SET v = 'upd' WHERE id % 5 = 0");
            s.executeUpdate("DELETE FROM t WHERE id % 7 = 0");
            s.executeUpdate("INSERT INTO u VALUES (1, 'x')");
            c.setAutoCommit(false);
            s.execute("CREATE TABLE t_new (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n INTEGER CHECK (n >= 0))");
            s.executeUpdate("INSERT INTO t_new (id, v, n) SELECT id, CASE WHEN id % 3 = 0 THEN upper(v) ELSE v END, n"
                    + " FROM t WHERE id <> 11");
            s.execute("DROP TABLE t");
            s.execute("ALTER TABLE t_new RENAME TO t");
            s.executeUpdate("INSERT INTO u VALUES (2, 'y')");
            c.commit();
            c.setAutoCommit(true);
            if (mode.equals("after")) {
                s.executeUpdate("UPDATE t SET n = 100 WHERE id = 1");
                s.executeUpdate("DELETE FROM t WHERE id = 2");
            }
        }
        Files.writeString(out, state(c));
        Runtime.getRuntime().halt(0); // no shutdown hook, no last flush
    }

    private void runChild(Path file, Path out, String mode) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RebuildCrashTest.class.getName(), file.toString(),
                out.toString(), mode));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
    }

    private void check(String mode) throws Exception {
        Path file = dir.resolve("n.db");
        Path out = dir.resolve("before-crash.txt");
        runChild(file, out, mode);
        String before = Files.readString(out);
        assertThat(before).as("the child's dump").contains("=V3 ").contains("t/").contains("u/");
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + file + "?node-slot=1")) {
            String after = state(c);
            assertThat(after).as("changes after the crash and restart vs before (child log: %s)",
                    Files.readString(dir.resolve("child.log"))).isEqualTo(before);
            CorrosionConnection crr = c.unwrap(CorrosionConnection.class);
            long v = crr.dbVersion();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE t SET n = 7 WHERE id = 3");
            }
            assertThat(crr.dbVersion()).as("next version not handed out again").isEqualTo(v + 1);
        }
    }

    @Test
    void crashRightAfterTheRebuildsCommit() throws Exception {
        check("");
    }

    @Test
    void crashAfterWritesFollowingTheRebuild() throws Exception {
        check("after");
    }
}
