package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.corrosion.jdbc.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link ConvergencePropertyTest} through {@code jdbc:corrosion:}: 3 to 5 nodes, each a file opened by the driver, write
 * concurrently — also rows whose integer key they leave out, which the driver allocates from each node's own range, as
 * for Hibernate's IDENTITY inserts — and exchange changes pairwise in random orders, partially and repeatedly, through
 * {@code CorrosionConnection.applyChanges} or prepared {@code INSERT INTO crsql_changes} statements. Once everything is
 * exchanged every node has the same tables and the same crsql_changes (up to what cr-sqlite leaves open), and no
 * generated key is used by two nodes.
 *
 * <p>15 tries in the default suite; {@code -Dcrr.properties.seedsPerTry=N} checks N consecutive seeds per try.
 */
class DriverConvergencePropertyTest {
    @Property(tries = 15, seed = "4343")
    void nodesConvergeThroughTheDriver(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long seed) throws Exception {
        int seedsPerTry = Integer.getInteger("crr.properties.seedsPerTry", 1);
        for (long s = seed; s < seed + seedsPerTry; s++) {
            check(s);
        }
    }

    private void check(long seed) throws Exception {
        Path dir = Files.createTempDirectory("crr-driver-prop");
        ScenarioRunner.Delivery delivery = seed % 2 == 0 ? ScenarioRunner.Delivery.API : ScenarioRunner.Delivery.SQL;
        JsonNode out = ScenarioRunner.run(RandomScenario.generateWithGeneratedKeys(seed), dir, delivery,
                ScenarioRunner.Access.DRIVER);
        List<JsonNode> nodes = new ArrayList<>();
        out.get("nodes").forEach(nodes::add);
        JsonNode first = nodes.get(0);
        for (JsonNode n : nodes) {
            assertThat(n.get("tables")).as("tables of every node, seed %d", seed).isEqualTo(first.get("tables"));
            assertThat(ConvergencePropertyTest.comparable(n.get("changes"))).as("crsql_changes of every node, seed %d", seed)
                    .isEqualTo(ConvergencePropertyTest.comparable(first.get("changes")));
        }
        JsonNode scenario = RandomScenario.generateWithGeneratedKeys(seed);
        assertThat(rowsWithGeneratedKeys(first)).as("rows inserted without a key, none merged into another, seed %d", seed)
                .isEqualTo(insertsWithoutKey(scenario));
        TestFiles.deleteTree(dir); // kept when an assertion fails, to look at
    }

    /**
     * Rows of t with a key the driver generated (the scenario's own keys are 1 to 4, and nothing deletes or re-keys
     * the others): two nodes that generated the same key would have merged two rows into one.
     */
    private static long rowsWithGeneratedKeys(JsonNode node) {
        long n = 0;
        for (JsonNode row : node.get("tables").get("t").get("rows")) {
            n += row.get(0).asLong() > 4 ? 1 : 0;
        }
        return n;
    }

    private static long insertsWithoutKey(JsonNode scenario) {
        long n = 0;
        for (JsonNode op : scenario.get("ops")) {
            String sql = op.has("sql") ? op.get("sql").asText() : "";
            n += occurrences(sql, "INSERT INTO t (a, b)") + 2L * occurrences(sql, "INSERT INTO t (a, d)");
        }
        return n;
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
