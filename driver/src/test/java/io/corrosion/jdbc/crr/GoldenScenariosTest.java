package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every scenario recorded from the real cr-sqlite extension (Corrosion's build) through this engine — on raw
 * connections and through {@code jdbc:corrosion:} — and compares tables, crsql_changes, db versions, rows impacted
 * and query results. Fixtures live in
 * {@code src/test/resources/crsqlite-golden}: {@code X.json} is the scenario, {@code X.out.json} what the real
 * extension produced for it (see shared/CRSQLITE.md "Checking against the real thing"). Where this engine departs from
 * cr-sqlite on purpose, {@code X.departs.out.json} is its output, with a {@code departs} field that says why, and the
 * real extension's stays beside it.
 */
class GoldenScenariosTest {
    @TempDir
    Path dir;

    static Stream<Arguments> scenarios() throws Exception {
        Path root = golden();
        List<Path> inputs;
        try (Stream<Path> s = Files.list(root)) {
            inputs = s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".out.json")).sorted().toList();
        }
        return inputs.stream().flatMap(p -> Stream.of(ScenarioRunner.Delivery.values())
                .map(d -> Arguments.of(p.getFileName().toString(), d)));
    }

    static Path golden() throws URISyntaxException {
        return Path.of(GoldenScenariosTest.class.getResource("/crsqlite-golden").toURI());
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("scenarios")
    void engineMatchesRealCrSqlite(String name, ScenarioRunner.Delivery delivery) throws Exception {
        replay(name, delivery, ScenarioRunner.Access.ENGINE);
    }

    /**
     * The same through {@code jdbc:corrosion:}: SQL ops, crsql_changes reads and merges go through the driver (tables
     * become CRRs at CREATE TABLE, the scenarios' crsql_as_crr then finds them CRRs already). Not the scenarios whose
     * point is a table's life before crsql_as_crr (g07's back-fill: through the driver its rows are local writes) or
     * cr-sqlite's schema refusals, which the driver relaxes on purpose (ex6, g10; the node package's tests cover those).
     */
    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("driverScenarios")
    void driverMatchesRealCrSqlite(String name, ScenarioRunner.Delivery delivery) throws Exception {
        replay(name, delivery, ScenarioRunner.Access.DRIVER);
    }

    static Stream<Arguments> driverScenarios() throws Exception {
        return scenarios().filter(a -> !List.of("ex6-", "g07-", "g10-").contains(((String) a.get()[0]).substring(0, 4)));
    }

    private void replay(String name, ScenarioRunner.Delivery delivery, ScenarioRunner.Access access) throws Exception {
        Path scenario = golden().resolve(name);
        JsonNode expected = ScenarioRunner.readJson(expectedOutput(scenario));
        JsonNode actual = ScenarioRunner.run(ScenarioRunner.readJson(scenario), dir, delivery, access);
        assertThat(ScenarioRunner.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ScenarioRunner.canonical(actual)))
                .isEqualTo(ScenarioRunner.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ScenarioRunner.canonical(expected)));
    }

    /** The real extension's output, or this engine's where it departs on purpose. */
    private static Path expectedOutput(Path scenario) {
        Path departs = Path.of(scenario.toString().replace(".json", ".departs.out.json"));
        return Files.exists(departs) ? departs : Path.of(scenario.toString().replace(".json", ".out.json"));
    }

    /**
     * Every departure says why, has the real extension's output beside it, and leaves every node's tables the same:
     * a departure is there to converge where cr-sqlite does not, never the other way.
     */
    @Test
    void departuresFromCrSqliteAreExplainedAndConverge() throws Exception {
        List<Path> departures;
        try (Stream<Path> s = Files.list(golden())) {
            departures = s.filter(p -> p.toString().endsWith(".departs.out.json")).sorted().toList();
        }
        assertThat(departures).isNotEmpty();
        for (Path d : departures) {
            JsonNode ours = ScenarioRunner.readJson(d);
            Path real = Path.of(d.toString().replace(".departs.out.json", ".out.json"));
            assertThat(ours.path("departs").asText()).as(d + ": why").isNotBlank();
            assertThat(real).as(d + ": the real extension's output beside it").exists();
            assertThat(tablesOfEveryNode(ours)).as(d + ": every node's tables").hasSize(1);
        }
        for (String diverging : List.of("pk-move-onto-live-key", "rnd-seed-118304")) {
            JsonNode real = ScenarioRunner.readJson(golden().resolve(diverging + ".out.json"));
            assertThat(tablesOfEveryNode(real)).as("cr-sqlite's nodes in " + diverging).hasSize(2);
        }
    }

    private static Set<String> tablesOfEveryNode(JsonNode output) {
        Set<String> distinct = new HashSet<>();
        output.path("nodes").forEach(n -> distinct.add(ScenarioRunner.canonical(n.path("tables")).toString()));
        return distinct;
    }
}
