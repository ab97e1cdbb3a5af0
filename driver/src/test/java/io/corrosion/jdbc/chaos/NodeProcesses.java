package io.corrosion.jdbc.chaos;

import io.corrosion.gossip.testing.ChildJvm;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The operating-system side of {@link ProcessChaos}'s nodes: signals, thread dumps, status lines, ports. */
final class NodeProcesses {

    private NodeProcesses() {}

    /** SIGSTOP / SIGCONT: ProcessHandle cannot pause a process, kill(1) can. */
    static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed for pid " + process.pid());
        }
    }

    /** Writes a thread dump of {@code process} to {@code file} with the JDK's jstack, when there is one. */
    static void threadDump(Process process, Path file) throws IOException, InterruptedException {
        Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
        if (Files.isExecutable(jstack)) {
            new ProcessBuilder(jstack.toString(), Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The value of {@code key=} in the node's latest STATUS line, or "". */
    static String status(ChildJvm jvm, String key) {
        String latest = jvm.latest("STATUS");
        if (latest == null) {
            return "";
        }
        for (String part : latest.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return "";
    }

    static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return socket.getLocalPort();
        }
    }
}
