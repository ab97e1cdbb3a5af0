package io.corrosion.jdbc.crr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.corrosion.jdbc.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Randomized differential run against the real cr-sqlite (needs node and the extension, so not part of the
 * suite): {@code java ... DifferentialMain <oracle dir> <first seed> <count> [out dir]}. Each seed's scenario
 * runs through oracle.mjs and through this engine (alternating SQL and API delivery); any difference is written
 * to the out dir with the scenario and both outputs.
 *
 * <p>oracle.mjs orders a sync's rows by {@code db_version, seq} only; rows of different sites can tie there and
 * their order decides which of two equal-causal-length changes a node keeps. ScenarioRunner breaks ties by
 * {@code "table", pk, cid}; for a fair comparison point the oracle dir at a copy of oracle.mjs whose sync read
 * ends {@code ORDER BY db_version, seq, "table", pk, cid} (the recorded rnd-seed-* fixtures are seeds whose
 * outputs do not depend on it).
 */
public final class DifferentialMain {
    private DifferentialMain() {}

    public static void main(String[] args) throws Exception {
        Path oracle = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        Path out = Path.of(args.length > 3 ? args[3] : "/tmp/crr-diff");
        Files.createDirectories(out);
        int diffs = 0;
        for (long seed = first; seed < first + count; seed++) {
            ObjectNode scenario = RandomScenario.generate(seed);
            Path work = Files.createTempDirectory("crr-diff");
            Path in = work.resolve("scenario.json");
            Files.writeString(in, ScenarioRunner.JSON.writeValueAsString(scenario));
            Process p = new ProcessBuilder("node", "oracle.mjs").directory(oracle.toFile())
                    .redirectInput(in.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.out.println("seed " + seed + ": oracle failed");
                continue;
            }
            JsonNode expected = ScenarioRunner.JSON.readTree(stdout);
            ScenarioRunner.Delivery delivery = seed % 2 == 0 ? ScenarioRunner.Delivery.SQL : ScenarioRunner.Delivery.API;
            JsonNode actual = ScenarioRunner.run(scenario, work, delivery);
            String e = ScenarioRunner.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ScenarioRunner.canonical(expected));
            String a = ScenarioRunner.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ScenarioRunner.canonical(actual));
            if (!e.equals(a)) {
                diffs++;
                Path d = out.resolve("seed-" + seed);
                Files.createDirectories(d);
                Files.writeString(d.resolve("scenario.json"), ScenarioRunner.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(scenario));
                Files.writeString(d.resolve("expected.json"), e);
                Files.writeString(d.resolve("actual.json"), a);
                System.out.println("seed " + seed + " (" + delivery + "): DIFFERENT -> " + d);
            }
            TestFiles.deleteTree(work);
        }
        System.out.println("seeds " + first + ".." + (first + count - 1) + ": " + diffs + " with differences");
    }
}
