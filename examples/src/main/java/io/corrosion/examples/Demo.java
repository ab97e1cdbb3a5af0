package io.corrosion.examples;

import io.corrosion.gossip.tls.ClusterCa;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * README command 1: a three-node cluster on loopback, each node a JVM of its own running {@link DemoNode} (an
 * application with a {@code jdbc:corrosion:} URL, mutual TLS from a dev CA made here). Nodes write concurrently —
 * inserts, a conflicting update, a delete racing an update — converge to identical rows, and the demo measures
 * how long a commit takes to be applied on the other nodes (read-your-writes tokens).
 */
public final class Demo {
    private static final int NODES = 3;
    private static final int PINGS = 20;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("corrosion-demo");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            names.add("node-" + i);
        }
        ClusterCa ca = ClusterCa.create("corrosion demo CA");
        ca.writePem(certs.resolve("ca.pem"), certs.resolve("ca.key"));
        for (String name : names) {
            ca.issueNode(name, ClusterCa.subjectAltNamesFor(name, InetAddress.getLoopbackAddress()))
                    .writePem(certs.resolve(name + ".pem"), certs.resolve(name + ".key"));
        }
        System.out.println("corrosion-jdbc demo: " + NODES + " nodes on loopback, one JVM each, in " + dir);
        System.out.println("  mutual TLS: a dev CA and one certificate per node in " + certs
                + " (io.corrosion.gossip.tls.ClusterCa)");

        List<NodeProcess> nodes = new ArrayList<>();
        String seed = null;
        try {
            for (String name : names) {
                int port = freePort();
                // every node its own key slot (node-slot), as the README says: generated ids never collide
                nodes.add(new NodeProcess(name, DemoNode.class, List.of(name, dir.resolve(name + ".db").toString(),
                        Integer.toString(port), seed == null ? "" : seed, certs.toString(),
                        Integer.toString(nodes.size() + 1)),
                        dir.resolve(name + ".log"), "-Xmx128m"));
                seed = seed == null ? "127.0.0.1:" + port : seed;
            }
            for (NodeProcess n : nodes) {
                String site = n.next("READY", Duration.ofSeconds(40));
                System.out.println("  " + n.name() + ": jdbc:corrosion:" + dir.resolve(n.name() + ".db")
                        + "?bind=...&seeds=" + (n == nodes.get(0) ? "" : seed) + "&node-slot=" + (nodes.indexOf(n) + 1)
                        + "&tls.*=...  site " + site);
            }
            awaitMembers(nodes);
            System.out.println();
            run(nodes);
        } finally {
            for (NodeProcess n : nodes) {
                n.close();
            }
        }
        System.out.printf("%nDone in %.1f s. Files and logs stay in %s%n", (System.nanoTime() - started) / 1e9, dir);
    }

    private static void run(List<NodeProcess> nodes) throws Exception {
        NodeProcess first = nodes.get(0);
        NodeProcess second = nodes.get(1);
        NodeProcess third = nodes.get(2);

        System.out.println("1. Every node inserts 3 rows at the same time (keys come from node-private ranges):");
        List<String> inserted = onAll(nodes, n -> n.ask("INSERT 3", "INSERTED"));
        for (int i = 0; i < nodes.size(); i++) {
            System.out.println("   " + nodes.get(i).name() + " inserted ids " + inserted.get(i));
        }
        String shared = inserted.get(0).split(" ")[0];
        String doomed = inserted.get(1).split(" ")[0];
        awaitConverged(nodes);

        System.out.println("2. All three nodes update the title of row " + shared + " at once (a conflict),");
        System.out.println("   node-2 deletes row " + doomed + " while node-3 marks it done:");
        onAll(nodes, n -> n.ask("SQL UPDATE todo SET title = 'renamed on " + n.name() + "' WHERE id = " + shared,
                "DONE"));
        onAll(List.of(second, third), n -> n.ask(n == second ? "SQL DELETE FROM todo WHERE id = " + doomed
                : "SQL UPDATE todo SET done = 1 WHERE id = " + doomed, "DONE"));
        first.ask("SQL UPDATE todo SET done = 1 WHERE owner = 'node-3'", "DONE");
        List<List<String>> rows = awaitConverged(nodes);
        System.out.println("   Converged: every node has the same " + rows.get(0).size()
                + " rows (per column, the last writer wins; a delete beats a concurrent update):");
        for (String row : rows.get(0)) {
            System.out.println("     " + row);
        }
        for (int i = 0; i < nodes.size(); i++) {
            System.out.println("   " + nodes.get(i).name() + ": " + rows.get(i).size() + " rows, identical to node-1: "
                    + rows.get(i).equals(rows.get(0)));
        }

        System.out.println("3. Replication latency: node-1 commits " + PINGS + " rows; node-2 and node-3 wait for each"
                + " with awaitVersion(token):");
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < PINGS; i++) {
            String[] token = first.ask("PING " + i, "TOKEN").split(" ");
            long committed = Long.parseLong(token[1]);
            for (NodeProcess n : List.of(second, third)) {
                String[] applied = n.ask("AWAIT " + token[0], "APPLIED").split(" ");
                if (!applied[0].equals("true")) {
                    throw new IllegalStateException(n.name() + " did not apply " + token[0] + " within 10 s");
                }
                latencies.add(Long.parseLong(applied[1]) - committed);
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("   commit on node-1 -> applied on another node: p50 %.2f ms, max %.2f ms (%d samples)%n",
                sorted[sorted.length / 2] / 1000.0, sorted[sorted.length - 1] / 1000.0, sorted.length);
        System.out.println("   e.g. token " + first.ask("PING last", "TOKEN").split(" ")[0]);

        System.out.println("4. What the nodes counted (CorrosionConnection.replicationStats(), also over JMX):");
        for (NodeProcess n : nodes) {
            System.out.println("   " + n.name() + ": " + n.ask("STATS", "STATS"));
        }
    }

    @FunctionalInterface
    private interface Step {
        String on(NodeProcess node) throws Exception;
    }

    /** Runs a step on several nodes at the same time; their answers in node order. */
    private static List<String> onAll(List<NodeProcess> nodes, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (NodeProcess n : nodes) {
                answers.add(pool.submit((Callable<String>) () -> step.on(n)));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : answers) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static void awaitMembers(List<NodeProcess> nodes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (NodeProcess n : nodes) {
            while (Integer.parseInt(n.ask("MEMBERS", "MEMBERS")) < nodes.size() - 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(n.name() + " did not see the other nodes within 30 s");
                }
                Thread.sleep(100); // polling a child process, not synchronisation inside one
            }
        }
    }

    /** Polls every node's rows until they are identical; returns them. */
    private static List<List<String>> awaitConverged(List<NodeProcess> nodes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<List<String>> rows = new ArrayList<>();
            for (NodeProcess n : nodes) {
                rows.add(n.askAll("ROWS", "ROW"));
            }
            if (rows.stream().allMatch(r -> r.equals(rows.get(0)))) {
                return rows;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nodes did not converge within 30 s: " + rows);
            }
            Thread.sleep(100); // polling child processes
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return socket.getLocalPort();
        }
    }

}
