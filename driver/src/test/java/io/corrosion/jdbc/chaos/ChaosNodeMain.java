package io.corrosion.jdbc.chaos;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.SqlValues;
import io.corrosion.jdbc.replication.ChangesPayload;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One node of {@link ProcessChaos}: a {@code jdbc:corrosion:} file with {@code bind}/{@code seeds}, running
 * {@link Workload} transactions and reporting every acknowledged one with its clock entries, so the parent can run
 * {@link HistoryChecker}. Driven through stdin, reporting on stdout ({@code @@ } lines, as {@code ChildJvm} reads them).
 * On loopback it runs TLS in the insecure mode; on another address (a network namespace) with the cluster CA's
 * certificates in {@code tls-dir} ({@code ca.pem}, {@code <name>.pem}, {@code <name>.key}).
 *
 * <pre>
 * args:   file bind(host:port) seeds(host:port,... or -) name tls(insecure or tls-dir) node-slot
 * stdin:  LOAD seed pauseMillis   run transactions until STOP ("ACK version payload-hex" after each commit returned,
 *                                 "RETRIED exception" for one that failed with 40001 and is run again)
 *         STOP                    stop the load ("STOPPED")
 *         INFLIGHT from to        this site's clock entries of versions from..to ("INFLIGHT version payload-hex" each)
 *         AWAIT id tokens seconds wait until this node has every version the tokens (site:version,...) cover
 *                                 ("AWAITED id millis true", or false if the seconds passed first)
 *         EXIT                    shut down ("CLEAN")
 * stdout: READY site-hex dbVersion pid, STATUS digest=hex alive=n (every 300 ms)
 * </pre>
 */
public final class ChaosNodeMain {
    /** SQLState of a transaction that lost a race with a merge (a stale snapshot, the lock held too long). */
    private static final String RETRYABLE = "40001";
    private static volatile boolean loading;

    private ChaosNodeMain() {}

    public static void main(String[] args) throws Exception {
        String file = args[0];
        String seeds = args[2].equals("-") ? "" : args[2];
        String name = args[3];
        String tls = args[4].equals("insecure") ? "&tls.insecure=true" : "&tls.ca=" + Path.of(args[4], "ca.pem")
                + "&tls.cert=" + Path.of(args[4], name + ".pem") + "&tls.key=" + Path.of(args[4], name + ".key");
        String url = "jdbc:corrosion:" + file + "?bind=" + args[1] + "&seeds=" + seeds + tls + "&sync-interval=1s"
                + "&node-slot=" + Integer.parseInt(args[5]);
        Connection conn = DriverManager.getConnection(url);
        try (Statement s = conn.createStatement()) {
            for (String sql : Workload.CREATE_TABLES) {
                s.execute(sql.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"));
            }
        }
        CorrosionConnection node = conn.unwrap(CorrosionConnection.class);
        byte[] site = siteId(conn);
        say("READY " + HexFormat.of().formatHex(site) + " " + dbVersion(conn) + " " + ProcessHandle.current().pid());
        Thread status = new Thread(() -> report(url, node), "status");
        status.setDaemon(true);
        status.start();
        Thread loader = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "LOAD" -> {
                    loading = true;
                    long seed = Long.parseLong(words[1]);
                    long pause = Long.parseLong(words[2]);
                    loader = new Thread(() -> load(url, name, site, seed, pause), "load");
                    loader.start();
                }
                case "STOP" -> {
                    loading = false;
                    if (loader != null) {
                        loader.join();
                    }
                    say("STOPPED");
                }
                case "INFLIGHT" -> {
                    for (long v = Long.parseLong(words[1]); v <= Long.parseLong(words[2]); v++) {
                        say("INFLIGHT " + v + " " + HexFormat.of().formatHex(ChangesPayload.encode(changes(conn, site, v))));
                    }
                }
                case "AWAIT" -> {
                    Thread await = new Thread(() -> await(url, words[1], words[2], Long.parseLong(words[3])), "await");
                    await.setDaemon(true);
                    await.start();
                }
                default -> {
                    if (words[0].equals("EXIT")) {
                        status.interrupt();
                        conn.close();
                        CorrosionDriver.shutdownAll();
                        say("CLEAN");
                        return;
                    }
                }
            }
        }
        // stdin ended without EXIT: the parent is gone (killed), and so goes this node, not to outlive it
        Runtime.getRuntime().halt(3);
    }

    private static void load(String url, String name, byte[] site, long seed, long pause) {
        Workload workload = new Workload(new SplittableRandom(seed), 6);
        try (Connection c = DriverManager.getConnection(url)) {
            List<String> tx = workload.nextTransaction(name);
            while (loading) {
                long before = dbVersion(c);
                try {
                    run(c, tx);
                    long after = dbVersion(c);
                    if (after > before) {
                        say("ACK " + after + " " + HexFormat.of().formatHex(ChangesPayload.encode(changes(c, site, after))));
                    }
                    tx = workload.nextTransaction(name);
                } catch (SQLException e) {
                    if (!RETRYABLE.equals(e.getSQLState())) {
                        throw e;
                    }
                    say("RETRIED " + e.toString().replace('\n', ' ')); // as an application would: the same transaction again
                }
                Thread.sleep(pause); // the load's pace, not synchronisation
            }
        } catch (SQLException | InterruptedException e) {
            say("LOAD-FAILED " + e);
        }
    }

    /**
     * One transaction: a single statement in auto-commit, or BEGIN ... COMMIT with auto-commit off, rolled back if it
     * fails; auto-commit is on again afterwards, so reading the version and the pause are outside any transaction.
     */
    private static void run(Connection c, List<String> tx) throws SQLException {
        boolean explicit = tx.get(0).equals("BEGIN");
        c.setAutoCommit(!explicit);
        try (Statement s = c.createStatement()) {
            for (String sql : explicit ? tx.subList(1, tx.size() - 1) : tx) {
                s.execute(sql);
            }
            if (explicit) {
                c.commit();
            }
        } catch (SQLException e) {
            if (explicit) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Waits for every token, reporting how long it took from the command's arrival. */
    private static void await(String url, String id, String tokens, long seconds) {
        long started = System.nanoTime();
        long deadline = started + seconds * 1_000_000_000L;
        boolean all = true;
        try (Connection c = DriverManager.getConnection(url)) {
            CorrosionConnection node = c.unwrap(CorrosionConnection.class);
            for (String token : tokens.equals("-") ? new String[0] : tokens.split(",")) {
                all &= node.awaitVersion(token, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (SQLException e) {
            say("AWAIT-FAILED " + id + " " + e);
            return;
        }
        say("AWAITED " + id + " " + (System.nanoTime() - started) / 1_000_000 + " " + all);
    }

    private static byte[] siteId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT crsql_site_id()")) {
            rs.next();
            return rs.getBytes(1);
        }
    }

    private static long dbVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT crsql_db_version()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<Change> changes(Connection c, byte[] site, long version) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT \"table\", pk, cid, val, col_version, db_version,"
                + " site_id, cl, seq FROM crsql_changes WHERE site_id = ? AND db_version = ? ORDER BY seq")) {
            p.setBytes(1, site);
            p.setLong(2, version);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getString(1), rs.getBytes(2), rs.getString(3),
                            SqlValues.normalize(rs.getObject(4)), rs.getLong(5), rs.getLong(6), rs.getBytes(7),
                            rs.getLong(8), rs.getLong(9)));
                }
            }
        }
        return out;
    }

    private static void report(String url, CorrosionConnection node) {
        try (Connection c = DriverManager.getConnection(url)) {
            while (!Thread.currentThread().isInterrupted()) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT \"table\", hex(pk), cid,"
                        + " quote(val), col_version, cl FROM crsql_changes ORDER BY \"table\", pk, cid")) {
                    while (rs.next()) {
                        for (int i = 1; i <= 6; i++) {
                            digest.update((rs.getString(i) + "|").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
                long alive = node.members().stream().filter(m -> m.state().name().equals("ALIVE")).count();
                say("STATUS digest=" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + " alive=" + alive);
                Thread.sleep(300); // a report's pace, not synchronisation
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
