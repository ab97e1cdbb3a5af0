package io.corrosion.examples.bench;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.intercept.Interceptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Plain sqlite-jdbc against jdbc:corrosion: on the same kind of file (WAL, synchronous=NORMAL, busy_timeout=5000), in
 * one run, alternating rounds so both see the same machine noise. Prints ns/op (median over rounds) and ratios.
 *
 * <p>Usage: {@code DriverBenchmark [secondsPerMeasurement (default 0.5)] [rounds (default 7)]}.
 */
public final class DriverBenchmark {
    private static final int ROWS = 10_000;
    private static final int BATCH = 10_000;
    private static final String POINT_SELECT = "select id, name, age from person where id = ?";
    private static final String INSERT = "insert into person (name, age) values (?, ?)";

    private final double seconds;
    private final int rounds;
    private final SplittableRandom random = new SplittableRandom(42);
    private long sink;

    private DriverBenchmark(double seconds, int rounds) {
        this.seconds = seconds;
        this.rounds = rounds;
    }

    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        new DriverBenchmark(seconds, rounds).run();
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("corrosion-bench");
        String pragmas = "journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000";
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db") + "?" + pragmas);
                Connection corrosion = DriverManager.getConnection(
                        "jdbc:corrosion:" + dir.resolve("corrosion.db") + "?" + pragmas)) {
            fill(sqlite);
            fill(corrosion);
            System.out.printf(Locale.ROOT, "corrosion-jdbc vs sqlite-jdbc, %d rows, %.1f s x %d rounds per figure, %s%n%n",
                    ROWS, seconds, rounds, Runtime.version());
            System.out.printf(Locale.ROOT, "%-44s %12s %12s %8s%n", "operation", "sqlite ns/op", "corrosion", "ratio");
            compare("point SELECT (prepared once)", pointSelect(sqlite), pointSelect(corrosion));
            compare("point SELECT (prepare+execute+close)", prepareSelectClose(sqlite), prepareSelectClose(corrosion));
            compare("single-row INSERT transaction", insertTransaction(sqlite), insertTransaction(corrosion));
            compare("multi-row INSERT transaction (10 rows)", insertTransaction10(sqlite), insertTransaction10(corrosion));
            compare("single-row INSERT transaction, key supplied", insertSuppliedKey(sqlite), insertSuppliedKey(corrosion));
            compare("10k-row batch INSERT transaction (per row)", batchInsert(sqlite), batchInsert(corrosion));
            interceptorCost();
        } finally {
            CorrosionDriver.shutdownAll();
        }
        System.out.println(sink == 42 ? "" : "\n(done)");
    }

    private static void fill(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("create table person (id integer primary key, name text not null, age int)");
        }
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int i = 0; i < ROWS; i++) {
                ps.setString(1, "person " + i);
                ps.setInt(2, i % 100);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** The keys of the filled rows: generated keys differ between the drivers (jdbc:corrosion: interleaves them). */
    private static long[] ids(Connection c) throws SQLException {
        long[] ids = new long[ROWS];
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id from person order by id limit " + ROWS)) {
            for (int i = 0; rs.next(); i++) {
                ids[i] = rs.getLong(1);
            }
        }
        return ids;
    }

    private Op pointSelect(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(POINT_SELECT);
        long[] ids = ids(c);
        return () -> {
            ps.setLong(1, ids[random.nextInt(ROWS)]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sink += rs.getLong(1) + rs.getString(2).length() + rs.getInt(3);
            }
        };
    }

    private Op prepareSelectClose(Connection c) throws SQLException {
        long[] ids = ids(c);
        return () -> {
            try (PreparedStatement ps = c.prepareStatement(POINT_SELECT)) {
                ps.setLong(1, ids[random.nextInt(ROWS)]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sink += rs.getLong(1);
                }
            }
        };
    }

    private Op insertTransaction(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(INSERT);
        return () -> {
            c.setAutoCommit(false);
            ps.setString(1, "new");
            ps.setInt(2, 1);
            ps.executeUpdate();
            c.commit();
            c.setAutoCommit(true);
        };
    }

    private Op insertTransaction10(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(INSERT);
        return () -> {
            c.setAutoCommit(false);
            for (int i = 0; i < 10; i++) {
                ps.setString(1, "new");
                ps.setInt(2, i);
                ps.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
        };
    }

    /** The application supplies the key: no allocation, only the allocator's check of the supplied key. */
    private Op insertSuppliedKey(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement("insert into person (id, name, age) values (?, ?, ?)");
        long[] next = {10_000_000_000L};
        return () -> {
            c.setAutoCommit(false);
            ps.setLong(1, next[0]++);
            ps.setString(2, "supplied");
            ps.setInt(3, 1);
            ps.executeUpdate();
            c.commit();
            c.setAutoCommit(true);
        };
    }

    /** 10,000 generated keys in one transaction; the figure is per row. */
    private Op batchInsert(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(INSERT);
        return new Op() {
            int rows;

            @Override
            public void run() throws Exception {
                if (rows == 0) {
                    c.setAutoCommit(false);
                }
                ps.setString(1, "batch");
                ps.setInt(2, rows);
                ps.addBatch();
                if (++rows == BATCH) {
                    ps.executeBatch();
                    c.commit();
                    c.setAutoCommit(true);
                    rows = 0;
                }
            }
        };
    }

    /** The plan lookup every statement pays: a cache hit on an equal (not identical) SQL string. */
    private void interceptorCost() {
        Interceptor interceptor = Interceptor.shared();
        String[] sqls = new String[64];
        for (int i = 0; i < sqls.length; i++) {
            sqls[i] = "select id, name, age from person where id = ? and age > " + i;
            interceptor.plan(sqls[i]);
            sqls[i] = new String(sqls[i]); // an equal string the cache has not seen, as a new statement would bring
        }
        double[] ns = new double[rounds];
        for (int r = 0; r < rounds + 2; r++) {
            long n = 0;
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 1024; i++) {
                    sink += interceptor.plan(sqls[i & 63]).statements().size();
                }
                n += 1024;
            }
            if (r >= 2) {
                ns[r - 2] = (System.nanoTime() - start) / (double) n;
            }
        }
        System.out.printf(Locale.ROOT, "%-44s %12s %12.1f %8s%n", "interceptor, cached plan lookup", "-", median(ns), "");
        System.out.printf(Locale.ROOT, "%nGoals (issue 3): point SELECT <= 1.05x, single-row INSERT transaction <= 1.05x, "
                + "cached plan lookup <= 1000 ns.%n"
                + "INSERT rows with generated keys pay the key allocator (issue 4: the whole CRR path must stay "
                + "<= 1.5x for a single-row INSERT transaction, <= 2.5x for a 10k-row batch).%n");
    }

    private void compare(String name, Op sqlite, Op corrosion) throws Exception {
        measure(sqlite); // warm-up, both
        measure(corrosion);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            a.add(measure(sqlite));
            b.add(measure(corrosion));
        }
        double sa = median(a.stream().mapToDouble(Double::doubleValue).toArray());
        double sb = median(b.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf(Locale.ROOT, "%-44s %12.0f %12.0f %7.3fx%n", name, sa, sb, sb / sa);
    }

    private double measure(Op op) throws Exception {
        long n = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                op.run();
            }
            n += 16;
            now = System.nanoTime();
        } while (now < deadline);
        return (now - start) / (double) n;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
