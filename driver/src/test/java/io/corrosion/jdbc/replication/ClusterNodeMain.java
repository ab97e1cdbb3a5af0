package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * One node of a multi-process test: a {@code jdbc:corrosion:} file with {@code bind} and {@code seeds} on loopback,
 * driven through stdin and reporting on stdout ({@code @@ } lines, see the gossip tests' {@code ChildJvm}).
 *
 * <pre>
 * args: file port seeds(host:port,... or -) base-id node-slot
 * stdin:  LOAD n pauseMillis   insert n rows (ids base-id + 1..n, after those of earlier LOADs), one transaction each,
 *                              printing "ACK id" once each commit returned; "LOADED" at the end
 *         EXIT                 shut the driver down, print "CLEAN"
 * stdout: READY site, ACK id, LOADED, STATUS rows=n digest=hex alive=n (every 200 ms), CLEAN
 * </pre>
 */
public final class ClusterNodeMain {
    static final String TABLE = "CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY NOT NULL, origin TEXT, n INTEGER,"
            + " val TEXT)";

    private ClusterNodeMain() {}

    public static void main(String[] args) throws Exception {
        String file = args[0];
        int port = Integer.parseInt(args[1]);
        String seeds = args[2].equals("-") ? "" : args[2];
        long base = Long.parseLong(args[3]);
        String url = "jdbc:corrosion:" + file + "?bind=127.0.0.1:" + port + "&seeds=" + seeds
                + "&tls.insecure=true&sync-interval=1s&handover-timeout=20s&node-slot=" + Integer.parseInt(args[4]);
        Connection conn = DriverManager.getConnection(url);
        try (Statement s = conn.createStatement()) {
            s.execute(TABLE);
        }
        CorrosionConnection node = conn.unwrap(CorrosionConnection.class);
        say("READY " + node.lastCommitToken().split(":")[0]);
        Thread status = new Thread(() -> report(url, node), "status");
        status.setDaemon(true);
        status.start();
        long next = base;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split(" ");
            if (words[0].equals("LOAD")) {
                int n = Integer.parseInt(words[1]);
                long pause = Long.parseLong(words[2]);
                long from = next;
                next += n;
                Thread writer = new Thread(() -> load(url, from, n, pause), "load");
                writer.start();
            } else if (words[0].equals("EXIT")) {
                break;
            }
        }
        status.interrupt();
        conn.close();
        CorrosionDriver.shutdownAll();
        say("CLEAN");
    }

    private static void load(String url, long from, int n, long pause) {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement insert = c.prepareStatement("INSERT INTO item (id, origin, n, val) VALUES (?, ?, ?, ?)")) {
            for (long id = from + 1; id <= from + n; id++) {
                insert.setLong(1, id);
                insert.setString(2, url.substring(url.lastIndexOf('/') + 1, url.indexOf('?')));
                insert.setLong(3, id - from);
                insert.setString(4, "value " + id);
                insert.executeUpdate();
                say("ACK " + id);
                Thread.sleep(pause); // the load's pace, not synchronisation
            }
            say("LOADED");
        } catch (SQLException | InterruptedException e) {
            say("LOAD-FAILED " + e);
        }
    }

    private static void report(String url, CorrosionConnection node) {
        try (Connection c = DriverManager.getConnection(url)) {
            while (!Thread.currentThread().isInterrupted()) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long rows = 0;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT id, origin, n, val FROM item ORDER BY id")) {
                    while (rs.next()) {
                        rows++;
                        digest.update((rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getLong(3) + "|"
                                + rs.getString(4) + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                long alive = node.members().stream().filter(m -> m.state().name().equals("ALIVE")).count();
                say("STATUS rows=" + rows + " digest=" + HexFormat.of().formatHex(digest.digest()).substring(0, 16)
                        + " alive=" + alive);
                Thread.sleep(200); // a report's pace, not synchronisation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            say("STATUS-FAILED " + e);
        }
    }

    private static synchronized void say(String line) {
        System.out.println("@@ " + line);
        System.out.flush();
    }
}
