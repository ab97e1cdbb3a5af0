package io.corrosion.examples.bench;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What an application's writes cost on a node while it catches up. Two nodes in this JVM on loopback: {@code a}
 * commits a backlog of single-row transactions alone, then {@code b} joins with an empty file and, while its agent
 * applies the backlog in large batches, its application inserts a row every 2 ms. The commit times of that load are
 * printed beside the same load on {@code b} once it has caught up (agent idle), as ratios.
 *
 * <p>Arguments: backlog transactions (default 50,000), rounds (default 3). Run it with
 * {@code mvn -B -q -Pdemo -DskipTests package -Ddemo.mainClass=io.corrosion.examples.bench.CatchUpWritesBenchmark}.
 */
public final class CatchUpWritesBenchmark {
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int IDLE_COMMITS = 1_000;

    private CatchUpWritesBenchmark() {}

    public static void main(String[] args) throws Exception {
        int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf(Locale.ROOT, "Application commits (one-row INSERT every 2 ms) on a node catching up %,d"
                + " transactions, against the same load once it has caught up; %d rounds%n%n", backlog, rounds);
        System.out.printf(Locale.ROOT, "%-8s %-13s %9s %9s %9s %9s %9s   %s%n", "round", "phase", "commits", "mean us",
                "p50 us", "p99 us", "max us", "agent");
        double[][] ratios = new double[rounds][];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = round(r + 1, backlog, Files.createTempDirectory("corrosion-catchup-bench"));
        }
        double[] mean = new double[rounds];
        double[] p99 = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            mean[r] = ratios[r][0];
            p99[r] = ratios[r][1];
        }
        System.out.printf(Locale.ROOT, "%nratio catching up / caught up, median of rounds: mean %.2fx, p99 %.2fx%n",
                median(mean), median(p99));
    }

    /** One round; returns the ratios {mean, p99} of the commit times while catching up to those once caught up. */
    private static double[] round(int round, int backlog, Path dir) throws SQLException {
        String urlA = "jdbc:corrosion:" + dir.resolve("a.db") + "?bind=127.0.0.1:0&tls.insecure=true";
        String urlB = "jdbc:corrosion:" + dir.resolve("b.db") + "?bind=127.0.0.1:0&tls.insecure=true&seeds=";
        try (Connection a = DriverManager.getConnection(urlA)) {
            exec(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            try (PreparedStatement insert = a.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
                for (int i = 0; i < backlog; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "row " + i + " of the backlog");
                    insert.executeUpdate();
                }
            }
            String seed = a.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
            urlB += seed;
            try (Connection b = DriverManager.getConnection(urlB)) {
                exec(b, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
                try (Load load = new Load(b, 10_000_000L)) {
                    long started = System.nanoTime();
                    long[] catching = load.untilCaughtUp(backlog);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    ReplicationStats during = b.unwrap(CorrosionConnection.class).replicationStats().orElseThrow();
                    long[] idle = load.commits(IDLE_COMMITS);
                    print(round, "catching up", catching, String.format(Locale.ROOT,
                            "%.1f s, %d apply transactions, %d ended early for the application; it waited for the"
                            + " lock %d times, %d ms in all (its commits took %d ms)", seconds,
                            during.applyTransactions(), during.applyYields(), during.writerLockWaits(),
                            during.writerLockWaitMillis(), Arrays.stream(catching).sum() / 1_000_000));
                    print(round, "caught up", idle, "");
                    return new double[] {mean(catching) / mean(idle),
                            percentile(catching, 0.99) / percentile(idle, 0.99)};
                }
            }
        } finally {
            CorrosionDriver.shutdown(urlA);
            CorrosionDriver.shutdown(urlB);
            Scratch.delete(dir);
        }
    }

    /** The application's paced INSERTs on one connection. */
    private static final class Load implements AutoCloseable {
        private final PreparedStatement insert;
        private final PreparedStatement backlogRows;
        private long id;
        private long next = System.nanoTime();

        Load(Connection c, long firstId) throws SQLException {
            this.insert = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)");
            this.backlogRows = c.prepareStatement("SELECT count(*) FROM t WHERE id < " + firstId);
            this.id = firstId;
        }

        /** Commits until every backlog row is here; their times. */
        long[] untilCaughtUp(long backlog) throws SQLException {
            long[] times = new long[1024];
            int n = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (n == times.length) {
                    times = Arrays.copyOf(times, n * 2);
                }
                times[n++] = commitOne();
                if (n % 50 == 0 && backlogRows() >= backlog) {
                    return Arrays.copyOf(times, n);
                }
            }
            throw new IllegalStateException("not caught up within 5 minutes: " + backlogRows() + " of " + backlog);
        }

        long[] commits(int count) throws SQLException {
            long[] times = new long[count];
            for (int i = 0; i < count; i++) {
                times[i] = commitOne();
            }
            return times;
        }

        private long commitOne() throws SQLException {
            next += PACE_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            insert.setLong(1, id++);
            insert.setString(2, "application row");
            long t0 = System.nanoTime();
            insert.executeUpdate();
            return System.nanoTime() - t0;
        }

        private long backlogRows() throws SQLException {
            try (ResultSet rs = backlogRows.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public void close() throws SQLException {
            insert.close();
            backlogRows.close();
        }
    }

    private static void print(int round, String phase, long[] times, String agent) {
        System.out.printf(Locale.ROOT, "%-8d %-13s %9d %9.0f %9.0f %9.0f %9.0f   %s%n", round, phase, times.length,
                mean(times), percentile(times, 0.5), percentile(times, 0.99), percentile(times, 1.0), agent);
    }

    private static double mean(long[] nanos) {
        return Arrays.stream(nanos).average().orElse(0) / 1e3;
    }

    private static double percentile(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e3;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
