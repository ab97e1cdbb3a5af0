package io.corrosion.jdbc.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The {@code ip} commands behind {@link ProcessChaos}'s network partitions, as data (so they are tested without root):
 * one network namespace per node ({@code corrosion-chaos-<pid>-n<i>}, address {@code 10.77.0.<i+1>/24} on its
 * {@code eth0}) and one for the switch ({@code corrosion-chaos-<pid>-sw}), holding two bridges. Each node's veth pair
 * has its other end, named {@code n<i>}, in the switch namespace, a port of {@code br0}. A partition moves one side's
 * ports to {@code br1}: each side still reaches itself, not the other; healing moves them back. Nothing is created in
 * the root namespace, and the parent's pid in every name lets a later run delete what a killed run left behind.
 */
public record NetnsPlan(long pid, int nodes) {
    public static final String PREFIX = "corrosion-chaos-";

    public NetnsPlan {
        if (nodes < 1 || nodes > 250) {
            throw new IllegalArgumentException("1 to 250 nodes, not " + nodes);
        }
    }

    public String switchNamespace() {
        return PREFIX + pid + "-sw";
    }

    public String nodeNamespace(int i) {
        return PREFIX + pid + "-n" + i;
    }

    public String address(int i) {
        return "10.77.0." + (i + 1);
    }

    /** Runs a command inside node {@code i}'s namespace (in place: the process is the command itself). */
    public List<String> exec(int i) {
        return List.of("ip", "netns", "exec", nodeNamespace(i));
    }

    /** Namespaces, bridges, veth pairs and addresses, in order. */
    public List<List<String>> setUp() {
        String sw = switchNamespace();
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("ip", "netns", "add", sw));
        out.add(List.of("ip", "-n", sw, "link", "set", "lo", "up"));
        for (String bridge : List.of("br0", "br1")) {
            out.add(List.of("ip", "-n", sw, "link", "add", bridge, "type", "bridge"));
            out.add(List.of("ip", "-n", sw, "link", "set", bridge, "up"));
        }
        for (int i = 0; i < nodes; i++) {
            String ns = nodeNamespace(i);
            out.add(List.of("ip", "netns", "add", ns));
            out.add(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            out.add(List.of("ip", "-n", sw, "link", "add", port(i), "type", "veth", "peer", "name", "eth0", "netns",
                    ns));
            out.add(List.of("ip", "-n", sw, "link", "set", port(i), "master", "br0"));
            out.add(List.of("ip", "-n", sw, "link", "set", port(i), "up"));
            out.add(List.of("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0"));
            out.add(List.of("ip", "-n", ns, "link", "set", "eth0", "up"));
        }
        return out;
    }

    /** Cuts {@code side} off from the other nodes (each side keeps its own links). */
    public List<List<String>> partition(Set<Integer> side) {
        return moveTo(side, "br1");
    }

    public List<List<String>> heal(Set<Integer> side) {
        return moveTo(side, "br0");
    }

    private List<List<String>> moveTo(Set<Integer> side, String bridge) {
        return side.stream().sorted().map(i -> List.of("ip", "-n", switchNamespace(), "link", "set", port(i),
                "master", bridge)).toList();
    }

    /** Deleting a namespace deletes its links (and a veth's peer with them). */
    public List<List<String>> tearDown() {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            out.add(List.of("ip", "netns", "delete", nodeNamespace(i)));
        }
        out.add(List.of("ip", "netns", "delete", switchNamespace()));
        return out;
    }

    /**
     * The namespaces among {@code listed} (lines of {@code ip netns list}: a name, maybe followed by {@code (id: n)})
     * that a run left behind: made by this class for a process that no longer lives.
     */
    public static List<String> stale(List<String> listed, LongPredicate alive) {
        List<String> out = new ArrayList<>();
        for (String line : listed) {
            String name = line.strip().split(" ", 2)[0];
            owner(name).filter(pid -> !alive.test(pid)).ifPresent(pid -> out.add(name));
        }
        return out;
    }

    private static Optional<Long> owner(String namespace) {
        if (!namespace.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = namespace.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0 || dash > 18 || !rest.substring(0, dash).chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(rest.substring(0, dash)));
    }

    private static String port(int i) {
        return "n" + i;
    }
}
