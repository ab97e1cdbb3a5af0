package io.corrosion.gossip.runtime;

import io.corrosion.gossip.tls.ClusterCa;
import io.corrosion.gossip.tls.TlsMaterial;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** A dev cluster CA whose certificates live as PEM files in a directory, as a deployment would have them. */
final class Pki {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Path dir;
    private final String caName;

    /** Creates the CA and writes {@code <caName>.pem} / {@code .key} into {@code dir}. */
    Pki(Path dir, String caName) {
        this.dir = dir;
        this.caName = caName;
        ClusterCa ca = ClusterCa.create(caName);
        ca.writePem(caFile(), dir.resolve(caName + ".key"));
    }

    /** The node's TLS material, issued (once) by this CA and read back from its PEM files. */
    TlsMaterial tls(String nodeName) {
        Path cert = dir.resolve(caName + "-" + nodeName + ".pem");
        Path key = dir.resolve(caName + "-" + nodeName + ".key");
        if (!Files.exists(cert)) {
            ClusterCa ca = ClusterCa.load(caFile(), dir.resolve(caName + ".key"));
            ca.issueNode(nodeName, ClusterCa.subjectAltNamesFor(nodeName, LOOPBACK)).writePem(cert, key);
        }
        return TlsMaterial.fromPemFiles(caFile(), cert, key);
    }

    private Path caFile() {
        return dir.resolve(caName + ".pem");
    }
}
