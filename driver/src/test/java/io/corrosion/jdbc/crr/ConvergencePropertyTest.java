package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.corrosion.jdbc.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Replicas that write concurrently and exchange changes pairwise in random orders, partially and repeatedly,
 * end with identical tables once everything has been exchanged, and with the same crsql_changes up to what
 * cr-sqlite itself leaves open: which replica's clock a tie keeps (equal values without merge-equal-values,
 * equal-length deletes), i.e. db_version, site_id, seq and ts of such entries, and whether a row in its first
 * life has an explicit sentinel (cl 1) or an implicit one (the real extension differs there too, e.g. seed 111).
 *
 * <p>120 tries in the default suite (about 15 s; a real divergence, fixed since, showed about once in a thousand);
 * {@code -Dcrr.properties.seedsPerTry=N} checks N consecutive seeds per try.
 */
class ConvergencePropertyTest {
    @Property(tries = 120, seed = "4242")
    void replicasConvergeOnceEverythingIsExchanged(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long seed) throws Exception {
        int seedsPerTry = Integer.getInteger("crr.properties.seedsPerTry", 1);
        for (long s = seed; s < seed + seedsPerTry; s++) {
            check(s);
        }
    }

    private void check(long seed) throws Exception {
        Path dir = Files.createTempDirectory("crr-prop");
        ScenarioRunner.Delivery delivery = seed % 2 == 0 ? ScenarioRunner.Delivery.API : ScenarioRunner.Delivery.SQL;
        JsonNode out = ScenarioRunner.run(RandomScenario.generate(seed, false), dir, delivery);
        List<JsonNode> nodes = new ArrayList<>();
        out.get("nodes").forEach(nodes::add);
        JsonNode first = nodes.get(0);
        for (JsonNode n : nodes) {
            assertThat(n.get("tables")).as("tables of every replica, seed %d", seed).isEqualTo(first.get("tables"));
            assertThat(comparable(n.get("changes"))).as("crsql_changes of every replica, seed %d", seed)
                    .isEqualTo(comparable(first.get("changes")));
        }
        TestFiles.deleteTree(dir); // kept when an assertion fails, to look at
    }

    static List<String> comparable(JsonNode changes) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = changes.elements(); it.hasNext(); ) {
            JsonNode c = it.next();
            if (c.get("cid").asText().equals("-1") && c.get("cl").asLong() == 1) {
                continue; // a first-life sentinel and an implicit cl of 1 are the same state
            }
            out.add(c.get("table").asText() + "|" + c.get("pk").asText() + "|" + c.get("cid").asText() + "|" + c.get("val")
                    + "|" + c.get("col_version").asLong() + "|" + c.get("cl").asLong());
        }
        return out;
    }
}
