package io.corrosion.gossip.runtime;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Load and latency of gossip nodes in one JVM over real QUIC on loopback with mutual TLS, default protocol
 * settings. A measurement, not a test: figures on a shared 2-core machine are noisy. Prints
 * <ul>
 *   <li>broadcast → applied on every other node: p50 / p99 / max, at a steady rate of local commits spread over
 *       the nodes (after a warm-up);</li>
 *   <li>messages per changeset (broadcast transmissions, all stream messages) and datagrams per second;</li>
 *   <li>catch-up: a new, empty node joining a peer that holds K versions, until it has them all.</li>
 * </ul>
 * Run it:
 * <pre>
 * mvn -B -q -pl gossip -Pgossip-bench verify -DskipTests              (defaults)
 * mvn -B -q -pl gossip -Pgossip-bench verify -DskipTests -Dbench.args="--nodes 5 --rate 1000 --seconds 30"
 * mvn -B -q -pl gossip -Pgossip-bench verify -DskipTests -Dbench.jvm="-XX:+UseParallelGC"  (JVM flags)
 * </pre>
 * Options: {@code --nodes N} (5), {@code --rate changesets/s} (500), {@code --seconds S} (20),
 * {@code --warmup S} (5), {@code --payload bytes} (200), {@code --catch-up K} (100000),
 * {@code --catch-up-payload bytes} (100).
 */
public final class GossipLoadBenchmark {

    private GossipLoadBenchmark() {
    }

    private record Version(SiteId site, long version) {
    }

    private static final class InFlight {
        final long sentNanos;
        final AtomicInteger missing;

        InFlight(long sentNanos, int receivers) {
            this.sentNanos = sentNanos;
            this.missing = new AtomicInteger(receivers);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int nodeCount = Integer.parseInt(options.getOrDefault("nodes", "5"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "500"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int payload = Integer.parseInt(options.getOrDefault("payload", "200"));
        int catchUp = Integer.parseInt(options.getOrDefault("catch-up", "100000"));
        int catchUpPayload = Integer.parseInt(options.getOrDefault("catch-up-payload", "100"));

        Path dir = Files.createTempDirectory("gossip-bench");
        Pki pki = new Pki(dir, "bench-ca");
        System.out.printf("gossip load benchmark: %d nodes, %d changesets/s of %d bytes, %d s (+%d s warm-up), "
                + "default protocol settings, QUIC + mutual TLS on loopback, %d cores%n", nodeCount, rate, payload,
                seconds, warmup, Runtime.getRuntime().availableProcessors());
        latency(pki, nodeCount, rate, seconds, warmup, payload);
        catchUp(pki, catchUp, catchUpPayload);
    }

    private static GossipNodeConfig config(Pki pki, String name, List<NodeAddress> seeds) {
        Random random = new Random();
        return GossipNodeConfig.builder(new SiteId(random.nextLong(), random.nextLong()),
                        new InetSocketAddress(Pki.LOOPBACK, 0))
                .nodeName(name).tls(pki.tls(name)).seeds(seeds).gossip(GossipConfig.defaults()).build();
    }

    private static void latency(Pki pki, int nodeCount, int rate, int seconds, int warmup, int payload)
            throws InterruptedException {
        Map<Version, InFlight> inFlight = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean measuring = new AtomicBoolean();
        List<GossipNode> nodes = new ArrayList<>();
        List<ObservedStore> stores = new ArrayList<>();
        try {
            for (int i = 0; i < nodeCount; i++) {
                GossipNodeConfig config = config(pki, "bench-" + i, nodes.isEmpty() ? List.of()
                        : List.of(nodes.get(0).address()));
                // Notes when each complete version became new in a store.
                ObservedStore store = new ObservedStore(config.siteId(), applied -> {
                    long nanos = System.nanoTime();
                    for (Changeset changeset : applied) {
                        if (changeset instanceof Changeset.Full full) {
                            Version version = new Version(full.siteId(), full.version());
                            InFlight entry = inFlight.get(version);
                            if (entry != null && entry.missing.decrementAndGet() == 0) {
                                inFlight.remove(version);
                                if (measuring.get()) {
                                    latencies.add(nanos - entry.sentNanos);
                                }
                            }
                        }
                    }
                });
                GossipNode node = new GossipNode(config, store, GossipListener.NONE);
                node.start();
                nodes.add(node);
                stores.add(store);
            }
            awaitMesh(nodes);

            load(nodes, stores, inFlight, rate, warmup, payload);
            awaitDrained(inFlight);
            long[] before = totals(nodes);
            measuring.set(true);
            int written = load(nodes, stores, inFlight, rate, seconds, payload);
            awaitDrained(inFlight);
            long[] after = totals(nodes);

            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%nbroadcast -> applied on all %d other nodes, %d changesets (%d not everywhere "
                    + "within 30 s)%n", nodeCount - 1, written, inFlight.size());
            if (sorted.length > 0) {
                System.out.printf("  p50 %.2f ms   p99 %.2f ms   max %.2f ms%n", percentile(sorted, 0.50),
                        percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
            }
            System.out.printf("  per changeset: %.2f broadcast transmissions, %.2f stream messages in all; "
                    + "%.0f datagrams/s cluster-wide%n", (after[0] - before[0]) / (double) written,
                    (after[1] - before[1]) / (double) written, (after[2] - before[2]) / (double) seconds);
            long newBySync = 0;
            long sendFailures = 0;
            long overloaded = 0;
            long inboundDropped = 0;
            long applyDropped = 0;
            for (GossipNode node : nodes) {
                GossipNodeStats stats = node.stats();
                newBySync += stats.core().apply().newFromSync();
                sendFailures += stats.runtime().sendFailures();
                overloaded += stats.transport().sendsRejectedOverloaded();
                inboundDropped += stats.runtime().inboundDropped();
                applyDropped += stats.core().apply().dropped();
            }
            System.out.printf("  came by sync instead of broadcast: %d; sends failed: %d (%d refused as overloaded); "
                    + "dropped before the protocol thread: %d, by the apply queue: %d%n", newBySync, sendFailures,
                    overloaded, inboundDropped, applyDropped);
        } finally {
            nodes.forEach(GossipNode::close);
        }
    }

    /** Broadcast transmissions, stream messages sent, datagrams sent: summed over the nodes. */
    private static long[] totals(List<GossipNode> nodes) {
        long[] totals = new long[3];
        for (GossipNode node : nodes) {
            GossipNodeStats stats = node.stats();
            totals[0] += stats.core().broadcast().transmissions();
            totals[1] += stats.transport().messagesSent();
            totals[2] += stats.transport().datagramsSent();
        }
        return totals;
    }

    /** Commits at {@code rate} per second for {@code seconds}, round robin over the nodes; returns the count. */
    private static int load(List<GossipNode> nodes, List<ObservedStore> stores, Map<Version, InFlight> inFlight,
            int rate, int seconds, int payload) {
        Random random = new Random(42);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        int sent = 0;
        while (System.nanoTime() < end) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            while (sent < due) {
                int i = sent % nodes.size();
                byte[] bytes = new byte[payload];
                random.nextBytes(bytes);
                for (Changeset.Full chunk : stores.get(i).memory.commitLocal(bytes, payload, 0)) {
                    inFlight.put(new Version(chunk.siteId(), chunk.version()),
                            new InFlight(System.nanoTime(), nodes.size() - 1));
                    nodes.get(i).broadcast(chunk);
                }
                sent++;
            }
            LockSupport.parkNanos(200_000);
        }
        return sent;
    }

    private static void awaitDrained(Map<Version, InFlight> inFlight) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling a measurement, not synchronising a test
        }
    }

    private static void awaitMesh(List<GossipNode> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (nodes.stream().anyMatch(n -> n.stats().members().alive() < nodes.size() - 1)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the nodes did not find each other within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static void catchUp(Pki pki, int versions, int payload) throws InterruptedException {
        GossipNodeConfig holderConfig = config(pki, "holder", List.of());
        InMemoryChangesetStore holderStore = new InMemoryChangesetStore(holderConfig.siteId());
        Random random = new Random(7);
        for (int v = 0; v < versions; v++) {
            byte[] bytes = new byte[payload];
            random.nextBytes(bytes);
            holderStore.commitLocal(bytes, payload, 0);
        }
        try (GossipNode holder = new GossipNode(holderConfig, holderStore, GossipListener.NONE)) {
            holder.start();
            GossipNodeConfig newcomerConfig = config(pki, "newcomer", List.of(holder.address()));
            InMemoryChangesetStore newcomerStore = new InMemoryChangesetStore(newcomerConfig.siteId());
            long started = System.nanoTime();
            try (GossipNode newcomer = new GossipNode(newcomerConfig, newcomerStore, GossipListener.NONE)) {
                newcomer.start();
                long joined = 0;
                long deadline = started + Duration.ofMinutes(5).toNanos();
                while (!newcomerStore.hasAllUpTo(holderConfig.siteId(), versions) && System.nanoTime() < deadline) {
                    if (joined == 0 && newcomer.stats().members().alive() > 0) {
                        joined = System.nanoTime();
                    }
                    Thread.sleep(5);
                }
                long done = System.nanoTime();
                GossipNodeStats stats = newcomer.stats();
                double secondsTaken = (done - started) / 1e9;
                System.out.printf("%ncatch-up of a new node from a peer holding %d versions of %d bytes%n",
                        versions, payload);
                System.out.printf("  %s in %.2f s (joined after %.2f s): %.0f versions/s, %.1f MB/s of payload; "
                        + "%d sync sessions, %d changesets dropped by the apply queue, sync reading paused %d "
                        + "times%n", newcomerStore.hasAllUpTo(holderConfig.siteId(), versions) ? "complete"
                        : "INCOMPLETE", secondsTaken, joined == 0 ? 0 : (joined - started) / 1e9,
                        versions / secondsTaken, versions * (double) payload / secondsTaken / 1e6,
                        stats.core().sync().started(), stats.core().apply().dropped(),
                        stats.runtime().syncPausedReading());
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
