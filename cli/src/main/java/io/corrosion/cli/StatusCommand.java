package io.corrosion.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion status}: members, versions and lag of running nodes, read from the JMX MBean every replicating
 * database file registers ({@code io.corrosion:type=Replication,name="<file>"}). Reaches a JVM by pid (local attach:
 * same machine, same user, nothing to configure) or by a JMX service URL / {@code host:port} of a JVM started with
 * {@code -Dcom.sun.management.jmxremote.port=...}.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the replication of running nodes: members and their state, the versions each node has"
                + " per site, what it misses and how far it is behind, queues, counters and latency.",
                "Every replicating file of a JVM is shown. Give several JVMs to compare them: 'behind' counts the"
                        + " versions of a site that another node shown has and this one does not have yet."})
final class StatusCommand implements Callable<Integer> {
    static final String MBEANS = "io.corrosion:type=Replication,*";

    @Spec
    CommandSpec spec;

    @Option(names = "--pid", paramLabel = "PID", description = "A local JVM to attach to (same user); repeatable.")
    List<Long> pids = new ArrayList<>();

    @Option(names = "--jmx", paramLabel = "URL|HOST:PORT",
            description = "A JMX service URL (service:jmx:...) or host:port of a JVM's JMX agent; repeatable.")
    List<String> jmx = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (pids.isEmpty() && jmx.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Say which node: --pid PID or --jmx URL|HOST:PORT");
        }
        List<NodeStatus> nodes = new ArrayList<>();
        for (long pid : pids) {
            nodes.addAll(read(attach(pid), "pid " + pid));
        }
        for (String target : jmx) {
            nodes.addAll(read(serviceUrl(target), target));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (nodes.isEmpty()) {
            throw new CliException("no replicating database in " + String.join(", ", targets())
                    + ": a node shows up once a connection with bind/seeds opened its file");
        }
        Map<String, Long> newest = new HashMap<>();
        for (NodeStatus n : nodes) {
            n.versions().forEach(v -> newest.merge(v.siteId(), v.head(), Math::max));
        }
        for (NodeStatus n : nodes) {
            print(n, newest, out);
        }
        out.flush();
        return 0;
    }

    private List<String> targets() {
        List<String> all = new ArrayList<>();
        pids.forEach(p -> all.add("pid " + p));
        all.addAll(jmx);
        return all;
    }

    private static void print(NodeStatus n, Map<String, Long> newest, PrintWriter out) {
        out.printf("%s%n  site %s at %s (%s)%n", n.database(), n.siteId(), n.address(), n.target());
        out.printf("  members: %d alive, %d suspect, %d down%n", n.figure("MembersAlive"), n.figure("MembersSuspect"),
                n.figure("MembersDown"));
        for (String m : n.members()) {
            out.println("    " + m);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("site", "head", "missing", "behind"));
        for (NodeStatus.SiteVersion v : n.versions()) {
            rows.add(List.of(v.siteId() + (v.siteId().equals(n.siteId()) ? " (this node)" : ""),
                    Long.toString(v.head()), Long.toString(v.missing()),
                    Long.toString(newest.get(v.siteId()) - v.head())));
        }
        newest.forEach((site, head) -> {
            if (n.versions().stream().noneMatch(v -> v.siteId().equals(site))) {
                rows.add(List.of(site, "0", "0", Long.toString(head)));
            }
        });
        out.println("  versions:");
        java.io.StringWriter table = new java.io.StringWriter();
        Tables.print(rows, new PrintWriter(table, true));
        table.toString().lines().forEach(line -> out.println("    " + line));
        out.printf("  changesets: %d broadcast, %d dropped, %d received, %d applied, %d rejected; %d sync rounds%n",
                n.figure("ChangesetsBroadcast"), n.figure("BroadcastsDropped"), n.figure("ChangesetsReceived"),
                n.figure("ChangesetsApplied"), n.figure("ChangesetsRejected"), n.figure("SyncRounds"));
        out.printf("  apply queue %d (oldest waits %d ms); commit-to-apply latency last %d ms, mean %d ms, max %d ms%n",
                n.figure("ApplyQueue"), n.figure("ApplyLagMillis"), n.figure("LatencyLastMillis"),
                n.figure("LatencyMeanMillis"), n.figure("LatencyMaxMillis"));
        out.printf("  versions missing %d; local commits not yet sent %d; changes waiting for their schema %d%n",
                n.figure("MissingVersions"), n.figure("PublishBacklog"), n.figure("PendingChanges"));
        out.printf("  disk: %d WAL flushes before sending (longest %d ms), %d checkpoints (longest %d ms), WAL %d pages"
                + " at the last%n", n.figure("WalFlushes"), n.figure("WalFlushMaxMillis"), n.figure("Checkpoints"),
                n.figure("CheckpointMaxMillis"), n.figure("WalPages"));
        if (n.figure("OwnSiteBehind") > 0) {
            out.printf("  ERROR: peers hold versions of this node's own site that its file lacks (%d syncs saw it): the"
                    + " file was restored from a backup or copied, and new commits here do not reach the cluster;"
                    + " restart this node from an empty file%n", n.figure("OwnSiteBehind"));
        }
        if (n.figure("SiteIdShared") > 0) {
            out.printf("  ERROR: another node runs with this node's site id (%d messages showed it): one file is a copy"
                    + " of the other, and peers keep only one of the two nodes' commits of each version; restart one of"
                    + " them from an empty file%n", n.figure("SiteIdShared"));
        }
    }

    private static List<NodeStatus> read(JMXServiceURL url, String target) throws IOException, JMException {
        try (JMXConnector connector = connect(url, target)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            List<NodeStatus> nodes = new ArrayList<>();
            Set<ObjectName> names = server.queryNames(new ObjectName(MBEANS), null);
            for (ObjectName name : new java.util.TreeSet<>(names)) {
                nodes.add(NodeStatus.read(server, name, target));
            }
            return nodes;
        }
    }

    private static JMXConnector connect(JMXServiceURL url, String target) {
        try {
            return JMXConnectorFactory.connect(url);
        } catch (IOException | SecurityException e) {
            throw new CliException("cannot reach the JMX agent at " + target + ": " + Failures.describe(e), e);
        }
    }

    private JMXServiceURL serviceUrl(String target) {
        String url = target;
        if (!target.startsWith("service:jmx:")) {
            if (!target.matches("\\[?[A-Za-z0-9.:-]+]?:\\d{1,5}")) {
                throw new ParameterException(spec.commandLine(), "--jmx wants service:jmx:... or host:port, not '"
                        + target + "'");
            }
            url = "service:jmx:rmi:///jndi/rmi://" + target + "/jmxrmi";
        }
        try {
            return new JMXServiceURL(url);
        } catch (MalformedURLException e) {
            throw new ParameterException(spec.commandLine(), "Bad JMX service URL '" + target + "': " + e.getMessage());
        }
    }

    private static JMXServiceURL attach(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CliException("cannot attach to JVM " + pid + " (is it running, a JVM, and yours?): "
                    + Failures.describe(e), e);
        }
        try {
            return new JMXServiceURL(vm.startLocalManagementAgent());
        } finally {
            vm.detach();
        }
    }
}
