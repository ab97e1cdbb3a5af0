package io.corrosion.jdbc.chaos;

import io.corrosion.gossip.tls.ClusterCa;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The network of {@link NetnsPlan}, built with {@code ip}: {@link #open} builds it or says why it cannot (not root,
 * no {@code ip}, no network namespaces), {@link #partition} and {@link #heal} cut and restore links, {@link #close}
 * deletes every namespace (also from a shutdown hook; it is idempotent).
 */
final class NetnsNetwork implements AutoCloseable {
    private final NetnsPlan plan;
    private Set<Integer> cut = Set.of();
    private boolean closed;

    private NetnsNetwork(NetnsPlan plan) {
        this.plan = plan;
    }

    /**
     * Deletes what earlier runs left behind, then builds the network for {@code nodes} nodes.
     *
     * @throws IOException with a message fit for the user when this machine cannot (it then leaves nothing behind)
     */
    static NetnsNetwork open(int nodes) throws IOException, InterruptedException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            throw new IOException("needs root to create network namespaces; running as uid " + uid);
        }
        List<String> listed = run(List.of("ip", "netns", "list")).lines().toList();
        for (String stale : NetnsPlan.stale(listed, pid -> ProcessHandle.of(pid).isPresent())) {
            run(List.of("ip", "netns", "delete", stale));
        }
        NetnsNetwork network = new NetnsNetwork(new NetnsPlan(ProcessHandle.current().pid(), nodes));
        try {
            for (List<String> command : network.plan.setUp()) {
                run(command);
            }
        } catch (IOException e) {
            network.close();
            throw e;
        }
        return network;
    }

    NetnsPlan plan() {
        return plan;
    }

    /**
     * Writes a throwaway cluster CA ({@code ca.pem}) and, for each node {@code n<i>}, {@code n<i>.pem} and
     * {@code n<i>.key} with its address as an IP SAN: off loopback the nodes verify each other.
     */
    void writeCredentials(Path tls) throws IOException {
        ClusterCa ca = ClusterCa.create("chaos");
        Files.createDirectories(tls);
        ca.writePem(tls.resolve("ca.pem"), tls.resolve("ca.key"));
        for (int i = 0; i < plan.nodes(); i++) {
            InetAddress address = InetAddress.getByName(plan.address(i));
            ca.issueNode("n" + i, ClusterCa.subjectAltNamesFor("n" + i, address))
                    .writePem(tls.resolve("n" + i + ".pem"), tls.resolve("n" + i + ".key"));
        }
    }

    synchronized void partition(Set<Integer> side) throws IOException, InterruptedException {
        if (!cut.isEmpty()) {
            throw new IllegalStateException("already partitioned: " + cut);
        }
        for (List<String> command : plan.partition(side)) {
            run(command);
        }
        cut = Set.copyOf(side);
    }

    synchronized void heal() throws IOException, InterruptedException {
        for (List<String> command : plan.heal(cut)) {
            run(command);
        }
        cut = Set.of();
    }

    /** Deletes every namespace of the plan that exists; reports the ones it could not delete on stderr. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (List<String> command : plan.tearDown()) {
            try {
                if (Files.exists(Path.of("/run/netns", command.get(command.size() - 1)))) {
                    run(command);
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("could not clean up: " + e.getMessage());
            }
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("'" + String.join(" ", command) + "' failed: " + output.strip());
        }
        return output;
    }
}
