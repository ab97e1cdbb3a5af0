package io.corrosion.cli;

import io.corrosion.gossip.tls.ClusterCa;
import io.corrosion.gossip.tls.NodeCredentials;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion certs}: a development cluster CA and node certificates for mutual TLS. Reuses the CA already in
 * the directory, so nodes can be added later; never overwrites a node's files unless asked.
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"Make a development cluster CA (ca.pem, ca.key) and one certificate per node (NAME.pem, NAME.key)"
                + " in DIR, and print the tls.* URL keys of each node.",
                "An existing DIR/ca.pem + DIR/ca.key is reused, so nodes can be added later.",
                "Production clusters should use their own PKI: any CA whose node certificates carry the addresses"
                + " peers dial as SANs works the same."})
final class CertsCommand implements Callable<Integer> {
    static final String CA_CERT = "ca.pem";
    static final String CA_KEY = "ca.key";
    /** A DNS name (which an IPv4 address also matches), optionally a wildcard's {@code *.}. */
    private static final String DNS_NAME = "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*";

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--dir"}, required = true, paramLabel = "DIR", description = "Where the PEM files go (created if missing).")
    Path dir;

    @Option(names = "--cluster", paramLabel = "NAME", defaultValue = "corrosion dev cluster",
            description = "Common name of a new CA (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--san", paramLabel = "NAME", description = "An extra subject alternative name (IP or DNS) for every node certificate; repeatable.")
    List<String> extraNames = new ArrayList<>();

    @Option(names = "--force", description = "Overwrite node certificates that exist already.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "NODE[=ADDRESS]",
            description = "A node name (letters, digits, '.', '_', '-'), optionally with the IP address or host name"
                    + " peers dial it at. Every certificate names 127.0.0.1, ::1 and localhost too.")
    List<String> nodes;

    @Override
    public Integer call() throws Exception {
        List<NodeSpec> specs = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (String node : nodes) {
            NodeSpec parsed = NodeSpec.parse(node, spec);
            if (!named.add(parsed.name().toLowerCase(Locale.ROOT))) { // one file name, also where case does not count
                throw new ParameterException(spec.commandLine(), "Node " + parsed.name() + " is named twice");
            }
            specs.add(parsed);
        }
        for (String san : extraNames) {
            if (!san.matches(DNS_NAME) && !(san.contains(":") && san.matches("[0-9A-Fa-f:.]+"))) {
                throw new ParameterException(spec.commandLine(), "Bad --san '" + san
                        + "': give an IP address or a DNS name (letters, digits, '-' and '.')");
            }
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException(dir + " is not a directory");
        }
        Files.createDirectories(dir);
        PrintWriter out = spec.commandLine().getOut();
        if (!force) {
            for (NodeSpec node : specs) {
                if (Files.exists(node.certificate(dir)) || Files.exists(node.key(dir))) {
                    throw new CliException(node.certificate(dir) + " exists already: pick another name or add --force");
                }
            }
        }
        ClusterCa ca = loadOrCreateCa(out);
        for (NodeSpec node : specs) {
            Set<String> names = new LinkedHashSet<>(ClusterCa.subjectAltNamesFor(node.name(), node.address()));
            names.addAll(extraNames);
            NodeCredentials credentials = ca.issueNode(node.name(), List.copyOf(names));
            credentials.writePem(node.certificate(dir), node.key(dir));
            out.printf("node %s: %s, %s (names: %s)%n", node.name(), node.certificate(dir), node.key(dir),
                    String.join(", ", names));
            out.printf("  URL keys: tls.ca=%s&tls.cert=%s&tls.key=%s%n", dir.resolve(CA_CERT).toAbsolutePath(),
                    node.certificate(dir).toAbsolutePath(), node.key(dir).toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    private ClusterCa loadOrCreateCa(PrintWriter out) {
        Path cert = dir.resolve(CA_CERT);
        Path key = dir.resolve(CA_KEY);
        if (Files.exists(cert) && Files.exists(key)) {
            try {
                ClusterCa ca = ClusterCa.load(cert, key);
                out.printf("CA: reusing %s (%s)%n", cert, ca.certificate().getSubjectX500Principal().getName());
                return ca;
            } catch (RuntimeException e) {
                throw new CliException("cannot read the CA in " + dir + ": " + Failures.describe(e)
                        + " (move " + CA_CERT + " and " + CA_KEY + " away to make a new CA)", e);
            }
        }
        if (Files.exists(cert) || Files.exists(key)) {
            throw new CliException(dir + " holds only one of " + CA_CERT + " and " + CA_KEY
                    + ": restore the other or remove it to make a new CA");
        }
        ClusterCa ca = ClusterCa.create(cluster);
        ca.writePem(cert, key);
        out.printf("CA: %s, %s (%s); keep %s secret%n", cert, key, cluster, CA_KEY);
        return ca;
    }

    /** {@code NAME[=ADDRESS]} from the command line. */
    record NodeSpec(String name, InetAddress address) {
        static NodeSpec parse(String text, CommandSpec spec) {
            int eq = text.indexOf('=');
            String name = eq < 0 ? text : text.substring(0, eq);
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new ParameterException(spec.commandLine(), "Bad node name '" + name
                        + "': use letters, digits, '.', '_' and '-' (it names the files NAME.pem and NAME.key)");
            }
            if (name.equalsIgnoreCase("ca")) {
                throw new ParameterException(spec.commandLine(), "Bad node name '" + name + "': ca.pem and ca.key are the"
                        + " cluster CA's files; give the node another name");
            }
            if (eq < 0) {
                return new NodeSpec(name, null);
            }
            String host = text.substring(eq + 1);
            if (host.isBlank()) {
                throw new ParameterException(spec.commandLine(), "Node " + name + ": an empty address after '='");
            }
            try {
                return new NodeSpec(name, InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                throw new ParameterException(spec.commandLine(), "Node " + name + ": cannot resolve '" + host
                        + "'; give the IP address peers dial this node at");
            }
        }

        Path certificate(Path dir) {
            return dir.resolve(name + ".pem");
        }

        Path key(Path dir) {
            return dir.resolve(name + ".key");
        }
    }
}
