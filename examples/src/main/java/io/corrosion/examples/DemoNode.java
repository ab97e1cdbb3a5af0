package io.corrosion.examples;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One node of the demo cluster, in its own JVM: an application with a {@code jdbc:corrosion:} URL, told what to do
 * on stdin by {@link Demo}, answering on stdout with lines that start with {@code @@}.
 */
public final class DemoNode {
    private final String name;
    private final Connection conn;
    private final CorrosionConnection node;
    /** When a remote transaction (site:version) was applied here, in epoch microseconds. */
    private final Map<String, CompletableFuture<Long>> applied = new ConcurrentHashMap<>();

    private DemoNode(String name, String url) throws SQLException {
        this.name = name;
        this.conn = DriverManager.getConnection(url);
        this.node = conn.unwrap(CorrosionConnection.class);
        try (Statement s = conn.createStatement()) {
            // Every node runs its own migration; the table is replicated once it exists on both sides.
            s.execute("CREATE TABLE IF NOT EXISTS todo (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER"
                    + " NOT NULL DEFAULT 0, owner TEXT)");
        }
        node.addChangeListener(event -> {
            if (!event.local()) {
                arrival(event.siteId() + ":" + event.dbVersion()).complete(micros());
            }
        });
    }

    /** args: name file port seeds certificate-directory node-slot */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        String certs = args[4];
        String url = "jdbc:corrosion:" + args[1] + "?bind=127.0.0.1:" + args[2] + "&seeds=" + args[3]
                + "&tls.ca=" + certs + "/ca.pem&tls.cert=" + certs + "/" + name + ".pem&tls.key=" + certs + "/"
                + name + ".key&sync-interval=1s&node-slot=" + Integer.parseInt(args[5]);
        DemoNode demo = new DemoNode(name, url);
        say("READY " + demo.node.lastCommitToken().split(":")[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
            try {
                demo.run(line.split(" ", 2)[0], line.contains(" ") ? line.split(" ", 2)[1] : "");
            } catch (SQLException e) {
                say("FAILED " + e.getMessage());
            }
        }
        demo.conn.close();
        CorrosionDriver.shutdownAll();
        say("BYE");
    }

    private void run(String command, String arg) throws Exception {
        switch (command) {
            case "MEMBERS" -> say("MEMBERS " + node.members().stream().filter(m -> m.state().name().equals("ALIVE"))
                    .count());
            case "INSERT" -> {
                StringBuilder ids = new StringBuilder();
                try (PreparedStatement p = conn.prepareStatement("INSERT INTO todo (title, owner) VALUES (?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    for (int i = 1; i <= Integer.parseInt(arg); i++) {
                        p.setString(1, "task " + i + " of " + name);
                        p.setString(2, name);
                        p.executeUpdate();
                        try (ResultSet keys = p.getGeneratedKeys()) {
                            keys.next();
                            ids.append(' ').append(keys.getLong(1));
                        }
                    }
                }
                say("INSERTED" + ids);
            }
            case "SQL" -> {
                try (Statement s = conn.createStatement()) {
                    say("DONE " + s.executeUpdate(arg));
                }
            }
            case "ROWS" -> {
                try (Statement s = conn.createStatement();
                        ResultSet rs = s.executeQuery("SELECT id, title, done, owner FROM todo ORDER BY id")) {
                    while (rs.next()) {
                        say(String.format("ROW %-6d %-26s %-5s %s", rs.getLong(1), rs.getString(2),
                                rs.getInt(3) == 1 ? "done" : "open", rs.getString(4)));
                    }
                }
                say("END");
            }
            case "PING" -> {
                try (PreparedStatement p = conn.prepareStatement("INSERT INTO todo (title, owner) VALUES (?, ?)")) {
                    p.setString(1, "ping " + arg);
                    p.setString(2, name);
                    p.executeUpdate();
                }
                say("TOKEN " + node.lastCommitToken() + " " + micros());
            }
            case "AWAIT" -> {
                boolean ok = node.awaitVersion(arg, Duration.ofSeconds(10));
                long at = ok ? arrival(arg).get(5, TimeUnit.SECONDS) : micros();
                say("APPLIED " + ok + " " + at);
            }
            case "STATS" -> {
                ReplicationStats s = node.replicationStats().orElseThrow();
                say("STATS sent=" + s.changesetsBroadcast() + " received=" + s.changesetsReceived() + " applied="
                        + s.remoteVersionsApplied() + " syncRounds=" + s.syncRounds() + " members=" + s.membersAlive());
            }
            default -> say("FAILED unknown command " + command);
        }
    }

    private CompletableFuture<Long> arrival(String token) {
        return applied.computeIfAbsent(token, t -> new CompletableFuture<>());
    }

    private static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static synchronized void say(String line) {
        System.out.println("@@ " + line);
        System.out.flush();
    }
}
