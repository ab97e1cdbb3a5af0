package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.corrosion.gossip.BackgroundPriority;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replicating node's background threads run below the application's in the OS scheduler, and the apply thread
 * (which holds the file's write lock) and the listeners' thread at the application's priority; read from the kernel.
 */
class BackgroundPriorityNodeTest {
    private static final Pattern THREAD = Pattern.compile("^\"([^\"]+)\".* nid=(0x[0-9a-f]+|\\d+) ", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection node(String name, String seeds) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db") + "?bind=127.0.0.1:0&seeds="
                + seeds + "&tls.insecure=true");
    }

    @Test
    void networkProtocolAndBookkeepingThreadsAreLoweredTheApplyAndListenerThreadsAreNot() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "thread nice values are Linux's");
        int application = niceOf(currentTid());
        try (Connection a = node("a", "")) {
            CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
            try (Connection b = node("b", ca.replicationStats().orElseThrow().address())) {
                CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
                try (AutoCloseable listening = cb.addChangeListener(event -> { })) {
                    a.createStatement().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
                    b.createStatement().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
                    a.createStatement().execute("INSERT INTO t (v) VALUES ('x')");
                    assertThat(cb.awaitVersion(ca.lastCommitToken(), Duration.ofSeconds(30))).isTrue();

                    Map<String, Integer> nice = corrosionThreadNices();
                    assertThat(nice).as("corrosion threads").isNotEmpty();
                    nice.forEach((name, value) -> {
                        boolean foreground = name.endsWith("-store-apply") || name.startsWith("corrosion-changes-");
                        assertThat(value).as(name)
                                .isEqualTo(foreground ? application : BackgroundPriority.DEFAULT_NICE);
                    });
                    assertThat(nice.keySet()).as("threads of every kind")
                            .anyMatch(n -> n.startsWith("corrosion-quic-"))
                            .anyMatch(n -> n.endsWith("-protocol"))
                            .anyMatch(n -> n.endsWith("-store-apply"))
                            .anyMatch(n -> n.startsWith("corrosion-agent-"))
                            .anyMatch(n -> n.startsWith("corrosion-journal-"))
                            .anyMatch(n -> n.startsWith("corrosion-checkpoint-"))
                            .anyMatch(n -> n.startsWith("corrosion-changes-"));
                }
            }
        }
    }

    /** The nice value of every live thread named corrosion-*, by name, from a HotSpot thread dump's native ids. */
    private static Map<String, Integer> corrosionThreadNices() throws Exception {
        String dump = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Integer> nices = new LinkedHashMap<>();
        Matcher m = THREAD.matcher(dump);
        while (m.find()) {
            if (m.group(1).startsWith("corrosion-")) {
                String nid = m.group(2);
                int tid = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
                try {
                    nices.put(m.group(1), niceOf(tid));
                } catch (NoSuchFileException ended) {
                    // a thread that ended since the dump
                }
            }
        }
        return nices;
    }

    private static int currentTid() throws IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /** Field 19 of the thread's {@code stat}: its nice value. */
    private static int niceOf(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19 - 3]);
    }
}
