package io.corrosion.gossip.sim;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.SiteId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The large simulation, a command-line tool: for each cluster size, forms the cluster through seeds, broadcasts
 * changesets from random nodes, kills nodes one at a time, and prints a table of rounds to full coverage vs
 * ceil(log8 N), messages per node, time to full coverage and failure detection time.
 *
 * <pre>mvn -B -q -pl gossip -Plarge-sim verify -DskipTests [-Dsim.args="--nodes 100,1000 --seed 42"]</pre>
 */
public final class LargeSimulation {

    /** One row of the table. */
    record Row(int nodes, int transmissions, long formedMillis, int log8, int roundsP50, int roundsMax, double broadcastShare,
            long coverageP50, long coverageP99, double broadcastMsgsPerNodePerChangeset, double idleMsgsPerNodePerSec,
            long suspectP50, long deadP50, long deadP99, long bound, long wallMillis, long events) {
    }

    private LargeSimulation() {
    }

    public static void main(String[] args) {
        int[] sizes = {1000};
        long seed = 42;
        int broadcasts = 50;
        int kills = 5;
        int[] transmissions = {2};
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--broadcasts" -> broadcasts = Integer.parseInt(args[i + 1]);
                case "--kills" -> kills = Integer.parseInt(args[i + 1]);
                case "--transmissions" -> transmissions = Arrays.stream(args[i + 1].split(","))
                        .mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            for (int t : transmissions) {
                rows.add(run(n, t, seed, broadcasts, kills));
                System.out.println(table(rows, seed));
            }
        }
    }

    static Row run(int n, int transmissions, long seed, int broadcasts, int kills) {
        long wallStart = System.currentTimeMillis();
        GossipConfig config = GossipConfig.builder().broadcastTransmissions(transmissions).build();
        Simulation sim = new Simulation(seed, config, NetworkConditions.lan());
        List<SimNode> nodes = sim.addNodes(n, 5);
        sim.startAll(nodes, 10_000);
        boolean formed = sim.runUntil(() -> nodes.stream().allMatch(node -> node.isUp()
                && node.core().membership().livePeers().size() == n - 1), 600_000, 1_000);
        if (!formed) {
            throw new IllegalStateException("seed " + seed + ": " + n + " nodes did not form within 600 s");
        }
        long formedAt = sim.now();
        sim.runFor(60_000);

        // Idle traffic: probes, acks, and whatever membership gossip is left a minute after forming.
        long idleStart = sim.stats().sentTotal();
        sim.runFor(10_000);
        double idlePerNodePerSec = (sim.stats().sentTotal() - idleStart) / (double) n / 10.0;

        Coverage coverage = new Coverage();
        sim.addObserver(coverage);
        SplittableRandom random = new SplittableRandom(seed);
        long bcastBefore = sim.stats().sent("BroadcastMessage");
        for (int i = 0; i < broadcasts; i++) {
            SimNode writer = nodes.get(random.nextInt(n));
            coverage.written(writer, sim.write(writer, 200, 8_192), sim.now());
            sim.runFor(200);
        }
        sim.runFor(5_000);
        double bcastPerNode = (sim.stats().sent("BroadcastMessage") - bcastBefore) / (double) n / broadcasts;

        List<Integer> rounds = new ArrayList<>();
        List<Long> coverageTimes = new ArrayList<>();
        long byBroadcast = 0;
        long receipts = 0;
        for (Coverage.Spread s : coverage.spreads()) {
            rounds.add(s.rounds());
            long t = s.fullCoverageMillis(n);
            coverageTimes.add(t < 0 ? Long.MAX_VALUE : t);
            byBroadcast += s.byBroadcast();
            receipts += s.receipts().size();
        }

        // Failure detection: kill nodes one at a time.
        Map<SiteId, Long> firstSuspect = new HashMap<>();
        sim.addObserver((node, event, now) -> {
            if (event instanceof GossipEvent.MemberSuspected sus) {
                firstSuspect.putIfAbsent(sus.member().siteId(), now);
            }
        });
        List<Long> suspectTimes = new ArrayList<>();
        List<Long> deadTimes = new ArrayList<>();
        long bound = config.detectionBoundMillis(n);
        for (int k = 0; k < kills; k++) {
            List<SimNode> up = sim.upNodes();
            SimNode victim = up.get(random.nextInt(up.size()));
            sim.crash(victim);
            long killedAt = sim.now();
            sim.runUntil(() -> sim.upNodes().stream().allMatch(o -> o.statusOf(victim) == MemberStatus.DEAD),
                    bound * 2, 100);
            deadTimes.add(sim.now() - killedAt);
            Long suspected = firstSuspect.get(victim.siteId());
            suspectTimes.add(suspected == null ? -1 : suspected - killedAt);
            sim.runFor(5_000);
        }
        rounds.sort(null);
        coverageTimes.sort(null);
        suspectTimes.sort(null);
        deadTimes.sort(null);
        return new Row(n, transmissions, formedAt, (int) Math.ceil(Math.log(n) / Math.log(8)), percentile(rounds, 50),
                rounds.get(rounds.size() - 1), receipts == 0 ? 0 : (double) byBroadcast / receipts,
                percentile(coverageTimes, 50), percentile(coverageTimes, 99), bcastPerNode, idlePerNodePerSec,
                percentile(suspectTimes, 50), percentile(deadTimes, 50), percentile(deadTimes, 99), bound,
                System.currentTimeMillis() - wallStart, sim.stats().events());
    }

    static <T> T percentile(List<T> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String table(List<Row> rows, long seed) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nLarge simulation, seed %d, LAN latency 1 ms + exp(2 ms), default "
                + "GossipConfig (fanout 8, probe 1 s, sync 3 s) but for the transmission rounds%n%n", seed));
        sb.append("| nodes | transmission rounds | formed (s) | ceil(log8 N) | hops to reach all p50 / max | by broadcast | full coverage p50 / p99 (ms) "
                + "| bcast msgs/node/changeset | idle msgs/node/s | first suspect p50 (ms) | all dead p50 / p99 (ms) "
                + "| bound (ms) | wall (s) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT,
                    "| %d | %d | %.1f | %d | %d / %d | %.2f%% | %d / %d | %.1f | %.1f | %d | %d / %d | %d | %.1f |%n",
                    r.nodes, r.transmissions, r.formedMillis / 1000.0, r.log8, r.roundsP50, r.roundsMax, 100 * r.broadcastShare,
                    r.coverageP50, r.coverageP99, r.broadcastMsgsPerNodePerChangeset, r.idleMsgsPerNodePerSec,
                    r.suspectP50, r.deadP50, r.deadP99, r.bound, r.wallMillis / 1000.0));
        }
        return sb.toString();
    }
}
