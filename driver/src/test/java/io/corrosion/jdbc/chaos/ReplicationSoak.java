package io.corrosion.jdbc.chaos;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestFiles;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Memory of the replication agents under a steady write load: two nodes in this JVM over QUIC on loopback, upserts
 * over a fixed key space at {@code --rate} transactions per second for {@code --seconds}; every 10 s the heap in use
 * after a full GC is printed, and at the end its high-water mark and the growth from the first to the last third.
 * Run: {@code mvn -B -pl driver -am -Pchaos-soak verify -DskipTests} ({@code -Dsoak.args="--seconds 600 --rate 1000"}).
 */
public final class ReplicationSoak {
    private ReplicationSoak() {}

    public static void main(String[] args) throws Exception {
        long seconds = 600;
        int rate = 1000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("soak-");
        String a = "jdbc:corrosion:" + dir.resolve("a.db") + "?bind=127.0.0.1:0&tls.insecure=true";
        Connection ca = DriverManager.getConnection(a);
        String address = ca.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
        Connection cb = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("b.db")
                + "?bind=127.0.0.1:0&tls.insecure=true&seeds=" + address);
        for (Connection c : List.of(ca, cb)) {
            try (Statement s = c.createStatement()) {
                s.execute(Workload.CREATE_TABLES.get(0));
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Long> samples = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(1);
        long writes = 0;
        long started = System.nanoTime();
        long nextSample = started + 10_000_000_000L;
        try (PreparedStatement upsert = ca.prepareStatement("INSERT INTO kv (k, a, b) VALUES (?, ?, ?)"
                + " ON CONFLICT (k) DO UPDATE SET a = excluded.a, b = excluded.b")) {
            while (System.nanoTime() - started < seconds * 1_000_000_000L) {
                long due = (System.nanoTime() - started) * rate / 1_000_000_000L;
                for (; writes < due; writes++) {
                    upsert.setLong(1, random.nextInt(10_000));
                    upsert.setString(2, "value " + writes);
                    upsert.setLong(3, writes);
                    upsert.executeUpdate();
                }
                if (System.nanoTime() >= nextSample) {
                    System.gc();
                    long used = memory.getHeapMemoryUsage().getUsed();
                    samples.add(used);
                    ReplicationStats b = cb.unwrap(CorrosionConnection.class).replicationStats().orElseThrow();
                    System.out.printf("t=%4ds heap after GC %6.1f MB, %d writes, b applied %d versions, apply lag %d ms,"
                            + " apply queue %d%n", (System.nanoTime() - started) / 1_000_000_000L, used / 1e6, writes,
                            b.remoteVersionsApplied(), b.applyLagMillis(), b.applyQueue());
                    nextSample += 10_000_000_000L;
                }
                Thread.sleep(1); // the load's pace, not synchronisation
            }
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!sameRows(ca, cb) && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling a condition with a deadline
        }
        int third = Math.max(1, samples.size() / 3);
        double first = samples.subList(0, third).stream().mapToLong(Long::longValue).average().orElse(0);
        double last = samples.subList(samples.size() - third, samples.size()).stream().mapToLong(Long::longValue)
                .average().orElse(0);
        System.out.printf("%d writes in %d s (%.0f/s); heap after GC: high-water %.1f MB, first third %.1f MB,"
                        + " last third %.1f MB (%+.1f%%); nodes %s%n", writes, seconds, writes / (double) seconds,
                samples.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6, first / 1e6, last / 1e6,
                first == 0 ? 0 : (last - first) * 100 / first, sameRows(ca, cb) ? "identical" : "DIFFERENT");
        ca.close();
        cb.close();
        CorrosionDriver.shutdownAll();
        TestFiles.deleteTree(dir);
    }

    private static boolean sameRows(Connection a, Connection b) throws SQLException {
        return digest(a).equals(digest(b));
    }

    private static String digest(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*), total(b), group_concat(a, ',') FROM (SELECT * FROM kv ORDER BY k)")) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getDouble(2) + "/" + (rs.getString(3) == null ? 0 : rs.getString(3).hashCode());
        }
    }
}
