package io.corrosion.gossip.testing;

import io.corrosion.gossip.tls.ClusterCa;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/** PEM files for child JVMs: {@code ca.pem}/{@code ca.key} and {@code <name>.pem}/{@code <name>.key} per node. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A new dev CA and a loopback-ready certificate for each node name, written to {@code dir}. */
    public static void write(Path dir, String caName, List<String> nodeNames) {
        ClusterCa ca = ClusterCa.create(caName);
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        for (String name : nodeNames) {
            ca.issueNode(name, ClusterCa.subjectAltNamesFor(name, InetAddress.getLoopbackAddress()))
                    .writePem(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        }
    }
}
