package io.corrosion.jdbc.node;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A randomized differential probe of schemas that change: per seed, a sequence of statements over several tables
 * ({@link ProbeSequence}: CREATE/DROP/ALTER TABLE, indexes, views with INSTEAD OF triggers, triggers that write other
 * tables, STRICT and WITHOUT ROWID tables, writes with conflict clauses and UPSERTs, transactions and savepoints,
 * strings of several statements) runs on plain sqlite-jdbc and on a node ({@link ProbeRun}); each statement's outcome,
 * then every table, then the tables of a second node the node's changes were sent to must be the same. A seed
 * reproduces exactly. {@link RandomSqlProbeTest} is the simpler one: one table, writes only.
 *
 * <p>The default build runs seeds 1 to 12 of 30 statements. A campaign:
 *
 * <pre>
 * mvn -B -o -pl driver test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=RandomSchemaProbeTest \
 *     -Dfuzz.seed=7000 -Dfuzz.seqs=100 [-Dfuzz.length=50] [-Dfuzz.trace=true] [-Dfuzz.known=all] [-Dfuzz.timeout=60]
 * </pre>
 *
 * Each seed has a watchdog ({@code fuzz.timeout} seconds): a hung one fails with its seed. {@code -Dfuzz.replay=FILE}
 * runs the statements of FILE (one a line, as a failure lists them) instead, and with {@code -Dfuzz.minimize=true}
 * cuts them down to the fewest that still fail the same way ({@link ProbeMinimizer}). A failure
 * prints the seed, the statement and every statement before it with both outcomes; {@code fuzz.trace} prints them as
 * they run. Statements the node refuses ({@code 0A000}) are not run on plain SQLite. Known differences are steered
 * clear of unless {@code fuzz.known} names them ({@link ProbeKnown}).
 */
class RandomSchemaProbeTest extends PlainDifferentialTest {
    private static final Duration WATCHDOG = Duration.ofSeconds(Long.getLong("fuzz.timeout", 60));

    @Test
    void randomSchemasAndStatementsBehaveAsOnPlainSqliteAndReplicate() throws Exception {
        long first = Long.getLong("fuzz.seed", 1); // the default build: seeds 1 to 12, 2 to 5 s
        long[] seeds = LongStream.range(first, first + Integer.getInteger("fuzz.seqs", 12)).toArray();
        int length = Integer.getInteger("fuzz.length", 30);
        boolean trace = Boolean.getBoolean("fuzz.trace");
        String file = System.getProperty("fuzz.replay");
        List<String> replay = file == null ? null : Files.readAllLines(Path.of(file)).stream().filter(l -> !l.isBlank()).toList();
        if (replay != null && Boolean.getBoolean("fuzz.minimize")) {
            new ProbeMinimizer(dir).minimize(replay);
            return;
        }
        List<String> failures = new ArrayList<>();
        for (long seed : seeds) {
            Path sub = Files.createDirectories(dir.resolve("seed" + seed));
            try {
                assertTimeoutPreemptively(WATCHDOG, () -> new ProbeRun(sub, seed, length, trace, replay).run(),
                        () -> "random schema probe, seed " + seed + " hung (watchdog " + WATCHDOG + "); replay: -Dfuzz.seed="
                                + seed + " -Dfuzz.seqs=1 -Dfuzz.trace=true");
            } catch (AssertionError e) {
                failures.add(e.getMessage());
                System.out.println(e.getMessage() + "\n");
            } catch (Exception e) {
                failures.add("random schema probe, seed " + seed + ": " + e);
                System.out.println("random schema probe, seed " + seed + ": " + e + "\n");
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + seeds.length + " seeds failed:\n\n" + String.join("\n\n", failures));
        }
    }
}
