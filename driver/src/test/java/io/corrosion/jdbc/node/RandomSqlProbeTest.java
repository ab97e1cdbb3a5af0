package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.JdbcRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random statements ({@link RandomSql}) on plain sqlite-jdbc and on a node, each on a WAL file of its own: every
 * statement must succeed on both or fail on both, with the same update count, and the tables must hold the same rows
 * after it; then the node's changes must give a second node the same rows. A statement the node refuses as unsupported
 * (SQLState 0A000) is left out on both. A failure names the seed and lists the statements; {@code -Dfuzz.trace=true}
 * prints every statement with both outcomes.
 *
 * <p>The default run checks 20 fixed sequences. More: {@code mvn -B -pl driver -am test -Dtest=RandomSqlProbeTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.seed=1000 -Dfuzz.seqs=500}.
 */
class RandomSqlProbeTest {
    private static final int STATEMENTS = 30;
    private static final boolean TRACE = Boolean.getBoolean("fuzz.trace");

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    static Stream<Long> seeds() {
        long first = Long.getLong("fuzz.seed", 1);
        return LongStream.range(first, first + Long.getLong("fuzz.seqs", 20)).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aNodeRunsRandomStatementsAsSqliteDoes(long seed) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(seed), () -> "seed " + seed + " hangs");
    }

    private void run(long seed) throws SQLException {
        RandomSql sql = new RandomSql(seed);
        List<String> ran = new ArrayList<>(sql.schema);
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(seed + "-plain.db")
                + "?journal_mode=WAL"); Node a = new Node(dir, seed + "-a"); Node b = new Node(dir, seed + "-b")) {
            JdbcRows.exec(plain, sql.schema.toArray(String[]::new));
            a.exec(sql.schema.toArray(String[]::new));
            for (int i = 0; i < STATEMENTS; i++) {
                String statement = sql.next();
                String onNode = outcome(a.c, statement);
                if (onNode.startsWith("refused")) {
                    trace(seed, i, statement, onNode, "(left out)");
                    continue;
                }
                String onPlain = outcome(plain, statement);
                trace(seed, i, statement, onNode, onPlain);
                ran.add(statement);
                String context = "seed " + seed + ", statement " + i + ": " + statement + "\nafter:\n"
                        + String.join(";\n", ran);
                assertThat(onNode).as("outcome, %s", context).isEqualTo(onPlain);
                for (String query : sql.queries()) {
                    assertThat(Node.rows(a.c, query)).as("%s, %s", query, context).isEqualTo(Node.rows(plain, query));
                }
            }
            endTransaction(a.c);
            endTransaction(plain);
            // the second node gets the tables and indexes as they ended (ADD COLUMN), not the triggers: they would
            // fire again for the merged rows
            b.exec(JdbcRows.column(plain, "SELECT sql FROM sqlite_master WHERE type IN ('table', 'index')"
                    + " AND sql IS NOT NULL ORDER BY rowid").toArray(String[]::new));
            a.sendTo(b);
            for (String query : sql.queries()) {
                assertThat(b.rows(query)).as("second node, %s, seed %d after:\n%s", query, seed, String.join(";\n", ran))
                        .isEqualTo(Node.rows(plain, query));
            }
        }
    }

    /**
     * "ok N" with the rows a statement that writes rows wrote itself (SQLite's {@code changes()}), "ok" for another, "failed" (the message
     * differs between the two too often to compare) or, for the node, "refused" for SQLState 0A000.
     */
    private static String outcome(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            boolean rows = sql.startsWith("INSERT") || sql.startsWith("UPDATE") || sql.startsWith("DELETE")
                    || sql.startsWith("REPLACE");
            long count = s.executeUpdate(sql);
            if (!c.isWrapperFor(CorrosionConnection.class)) { // plain sqlite-jdbc counts its triggers' rows too
                try (ResultSet rs = s.executeQuery("SELECT changes()")) {
                    rs.next();
                    count = rs.getLong(1);
                }
            }
            return rows && !sql.contains(";") ? "ok " + count : "ok";
        } catch (SQLException e) {
            return "0A000".equals(e.getSQLState()) ? "refused " + e.getMessage() : "failed";
        }
    }

    private static void endTransaction(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            } catch (SQLException noTransaction) {
                // none open: SQL's BEGIN is the only way one opens here
            }
        }
    }

    private static void trace(long seed, int i, String statement, String onNode, String onPlain) {
        if (TRACE) {
            System.out.printf("seed %d #%d %s%n  node: %s%n  plain: %s%n", seed, i, statement, onNode, onPlain);
        }
    }
}
