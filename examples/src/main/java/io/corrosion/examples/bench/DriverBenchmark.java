package io.corrosion.examples.bench;

import io.corrosion.jdbc.CorrosionConnection;
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
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The one benchmark of the driver: plain sqlite-jdbc against jdbc:corrosion: (CRR engine and key allocator included) on
 * the same kind of file (WAL, synchronous=NORMAL, busy_timeout=5000), in one run, rounds alternating so both see the
 * same machine noise. Prints, per operation, the median ns/op of each side, the ratio of the medians and the spread of
 * the per-round ratios, next to the goals of issues 3 and 4; then the merge rate, the metadata size and the
 * interceptor's cost.
 *
 * <p>Usage: {@code DriverBenchmark [secondsPerMeasurement (default 0.5)] [rounds (default 7)] [only]}: {@code only}, a
 * comma-separated list of words, runs only the figures whose name contains one of them (case-insensitive), e.g.
 * {@code batch} or {@code merge,metadata}; with the bench profile, {@code -Dbench.only=batch}.
 */
public final class DriverBenchmark {
    private static final int ROWS = 10_000;
    private static final int BATCH = 10_000;
    private static final String POINT_SELECT = "select id, name, age from person where id = ?";
    private static final String INSERT = "insert into person (name, age) values (?, ?)";
    private static final int WIDE_TABLES = 30;
    private static final String WIDE_OPEN = "connection open+close, 30 tables of 8 columns";

    private final double seconds;
    private final int rounds;
    private final Path dir;
    private final List<String> only;
    private final SplittableRandom random = new SplittableRandom(42);
    private long sink;

    private DriverBenchmark(double seconds, int rounds, Path dir, List<String> only) {
        this.seconds = seconds;
        this.rounds = rounds;
        this.dir = dir;
        this.only = only;
    }

    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<String> only = new ArrayList<>();
        for (String word : (args.length > 2 ? args[2] : "").split(",")) {
            if (!word.isBlank()) {
                only.add(word.strip().toLowerCase(Locale.ROOT));
            }
        }
        new DriverBenchmark(seconds, rounds, Files.createTempDirectory("corrosion-bench"), only).run();
    }

    /** Whether the figure named so runs (all of them without a filter). */
    private boolean wanted(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return only.isEmpty() || only.stream().anyMatch(lower::contains);
    }

    private void run() throws Exception {
        String pragmas = "journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000";
        System.out.printf(Locale.ROOT, "corrosion-jdbc vs sqlite-jdbc, %d rows, %.1f s x %d rounds per figure, %s, %d cpus%n%n",
                ROWS, seconds, rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-46s %12s %12s %8s %15s %s%n", "operation", "sqlite ns/op", "corrosion", "ratio",
                "round ratios", "goal");
        String plainUrl = "jdbc:sqlite:" + dir.resolve("plain.db") + "?" + pragmas;
        String corrosionUrl = "jdbc:corrosion:" + dir.resolve("corrosion.db") + "?" + pragmas;
        try (Connection sqlite = DriverManager.getConnection(plainUrl);
                Connection corrosion = DriverManager.getConnection(corrosionUrl)) {
            fill(sqlite);
            fill(corrosion);
            compare("point SELECT (prepared once)", pointSelect(sqlite), pointSelect(corrosion), "<= 1.05x (3, 4)");
            compare("point SELECT (prepare+execute+close)", prepareSelectClose(sqlite), prepareSelectClose(corrosion), "");
            compare("connection open+SELECT+close, no pool", openSelectClose(sqlite, plainUrl),
                    openSelectClose(corrosion, corrosionUrl), "");
            compare("single-row INSERT transaction", insertTransaction(sqlite), insertTransaction(corrosion),
                    "<= 1.5x (4)");
            compare("single-row INSERT transaction, key supplied", insertSuppliedKey(sqlite), insertSuppliedKey(corrosion), "");
            compare("INSERT, prepare+execute+keys+close", prepareInsertClose(sqlite), prepareInsertClose(corrosion), "");
            compare("UPDATE of one column (auto-commit)", updateOneColumn(sqlite), updateOneColumn(corrosion), "<= 1.5x (4)");
            compare("UPDATE of one column, prepare+execute+close", prepareUpdateClose(sqlite),
                    prepareUpdateClose(corrosion), "");
            compare("UPDATE of one column, Statement", updateStatement(sqlite), updateStatement(corrosion), "");
            compare("INSERT OR REPLACE of an existing row", replaceExisting(sqlite), replaceExisting(corrosion), "");
            compare("UPSERT by the primary key, existing row", upsertByKey(sqlite), upsertByKey(corrosion), "");
            compare("UPSERT by the primary key, Statement", upsertByKeyStatement(sqlite),
                    upsertByKeyStatement(corrosion), "");
            compare("UPSERT by a UNIQUE column, existing row", upsertByEmail(sqlite), upsertByEmail(corrosion), "");
            compare("10-row INSERT transaction", insertTransaction10(sqlite), insertTransaction10(corrosion), "");
            compare("10k-row batch INSERT transaction (per row)", batchInsert(sqlite), batchInsert(corrosion), "<= 2.5x (4)");
        }
        // On files of ROWS rows again: the batch INSERT above grew the first ones by millions of rows, and a copy of
        // those took seconds per operation (the run never ended)
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain-2.db") + "?" + pragmas);
                Connection corrosion = DriverManager.getConnection(
                        "jdbc:corrosion:" + dir.resolve("corrosion-2.db") + "?" + pragmas)) {
            fill(sqlite);
            fill(corrosion);
            compare("BACKUP TO a copy (the whole file)", WholeFileOps.backup(sqlite, dir.resolve("plain-copy.db")),
                    WholeFileOps.backup(corrosion, dir.resolve("corrosion-copy.db")), "");
            compare("table rebuild of 10k rows, one transaction", WholeFileOps.rebuild(sqlite), WholeFileOps.rebuild(corrosion),
                    "");
        }
        if (wanted(WIDE_OPEN)) {
            wideSchemaOpen(pragmas);
        }
        if (wanted("interceptor, cached plan lookup")) {
            interceptorCost();
        }
        if (wanted("merge, column changes/s") || wanted("CRR metadata, bytes per byte of user data")) {
            new MergeFigures(dir, rounds).print();
        }
        CorrosionDriver.shutdownAll();
        Scratch.delete(dir);
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

    /**
     * An application without a pool: a new connection per request (the file stays open in another connection, as a
     * server's would), one point SELECT, close.
     */
    private Op openSelectClose(Connection open, String url) throws SQLException {
        long[] ids = ids(open);
        return () -> {
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement ps = c.prepareStatement(POINT_SELECT)) {
                ps.setLong(1, ids[random.nextInt(ROWS)]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sink += rs.getLong(1);
                }
            }
        };
    }

    /**
     * Connection open and close on a file of {@value #WIDE_TABLES} tables of 8 columns: SQLite reads the whole schema
     * when a connection first prepares a statement, and a replicated table brings its clock table and capture triggers
     * ({@code crsql_changes} is a TEMP view a connection makes only when it uses it).
     */
    private void wideSchemaOpen(String pragmas) throws Exception {
        List<String> urls = new ArrayList<>();
        List<Connection> held = new ArrayList<>();
        for (String url : List.of("jdbc:sqlite:" + dir.resolve("wide-plain.db"), "jdbc:corrosion:" + dir.resolve("wide.db"))) {
            Connection c = DriverManager.getConnection(url + "?" + pragmas);
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < WIDE_TABLES; i++) {
                    s.execute("create table wide_" + i + " (id integer primary key, a text, b int, c text, d real,"
                            + " e int, f text, g blob)");
                }
            }
            held.add(c);
            urls.add(url + "?" + pragmas);
        }
        Op[] ops = new Op[2];
        for (int i = 0; i < 2; i++) {
            String url = urls.get(i);
            ops[i] = () -> {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select count(*) from wide_0")) {
                    sink += rs.getLong(1);
                }
            };
        }
        compare(WIDE_OPEN, ops[0], ops[1], "");
        for (Connection c : held) {
            c.close();
        }
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

    /**
     * Hibernate's persist of an entity with an IDENTITY key over a pool that keeps no statements: prepare asking for
     * generated keys, execute (auto-commit), read the key, close.
     */
    private Op prepareInsertClose(Connection c) {
        return () -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "persisted");
                ps.setInt(2, 1);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    sink += keys.getLong(1);
                }
            }
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

    private Op updateOneColumn(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement("update person set age = ? where id = ?");
        long[] ids = ids(c);
        return () -> {
            ps.setInt(1, random.nextInt(1000));
            ps.setLong(2, ids[random.nextInt(ROWS)]);
            ps.executeUpdate();
        };
    }

    /**
     * {@link #updateOneColumn} prepared and closed each time, as Hibernate does when the pool keeps no statements
     * (HikariCP keeps none): SQLite compiles the statement, and on a CRR its capture triggers, every time.
     */
    private Op prepareUpdateClose(Connection c) throws SQLException {
        long[] ids = ids(c);
        return () -> {
            try (PreparedStatement ps = c.prepareStatement("update person set age = ? where id = ?")) {
                ps.setInt(1, random.nextInt(1000));
                ps.setLong(2, ids[random.nextInt(ROWS)]);
                ps.executeUpdate();
            }
        };
    }

    /** The values in the SQL text, through a {@code Statement}: every execution is a text new to both drivers. */
    private Op updateStatement(Connection c) throws SQLException {
        Statement s = c.createStatement();
        long[] ids = ids(c);
        return () -> s.executeUpdate("update person set age = " + random.nextInt(1000) + " where id = "
                + ids[random.nextInt(ROWS)]);
    }

    /** A key seen before: the capture path of a re-inserted row (every column's clock bumped, the sentinel if any). */
    private Op replaceExisting(Connection c) throws SQLException {
        return writeExisting(c, "insert or replace into person (id, name, age) values (?, ?, ?)", "replaced");
    }

    /** {@code ON CONFLICT (id) DO UPDATE}, as jOOQ's {@code onDuplicateKeyUpdate} and hand-written upserts write it. */
    private Op upsertByKey(Connection c) throws SQLException {
        return writeExisting(c, "insert into person (id, name, age) values (?, ?, ?)"
                + " on conflict (id) do update set age = excluded.age", "upserted");
    }

    /** {@code sql}, prepared once, run on a random existing key with {@code name} and a random age. */
    private Op writeExisting(Connection c, String sql, String name) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        long[] ids = ids(c);
        return () -> {
            ps.setLong(1, ids[random.nextInt(ROWS)]);
            ps.setString(2, name);
            ps.setInt(3, random.nextInt(1000));
            ps.executeUpdate();
        };
    }

    /**
     * {@link #upsertByKey} with its values in the SQL, through a {@link Statement}: each statement is new to the driver
     * (classified) and to SQLite (compiled, the CRR's triggers with it).
     */
    private Op upsertByKeyStatement(Connection c) throws SQLException {
        Statement s = c.createStatement();
        long[] ids = ids(c);
        return () -> s.executeUpdate("insert into person (id, name, age) values (" + ids[random.nextInt(ROWS)]
                + ", 'upserted', " + random.nextInt(1000) + ") on conflict (id) do update set age = excluded.age");
    }

    /**
     * {@code ON CONFLICT (email)}: on a replicated table the driver runs it on the primary key, the row taking the key of
     * the row that holds its email; plain SQLite has a unique index on email.
     */
    private Op upsertByEmail(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("create table account (id integer primary key, email text unique, n int)");
        }
        c.setAutoCommit(false);
        try (PreparedStatement fill = c.prepareStatement("insert into account (email, n) values (?, 0)")) {
            for (int i = 1; i <= ROWS; i++) {
                fill.setString(1, "u" + i + "@x");
                fill.addBatch();
            }
            fill.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        PreparedStatement ps = c.prepareStatement("insert into account (email, n) values (?, ?)"
                + " on conflict (email) do update set n = excluded.n");
        return () -> {
            ps.setString(1, "u" + (1 + random.nextInt(ROWS)) + "@x");
            ps.setInt(2, random.nextInt(1000));
            ps.executeUpdate();
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
        System.out.printf(Locale.ROOT, "%-46s %12s %12.1f %8s %15s %s%n", "interceptor, cached plan lookup", "-",
                Summary.median(ns), "", "", "<= 1000 ns (3)");
    }

    private void compare(String name, Op sqlite, Op corrosion, String goal) throws Exception {
        if (!wanted(name)) {
            return;
        }
        measure(sqlite); // warm-up, both
        measure(corrosion);
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            a[r] = measure(sqlite);
            b[r] = measure(corrosion);
            ratios[r] = b[r] / a[r];
        }
        double sa = Summary.median(a);
        double sb = Summary.median(b);
        System.out.printf(Locale.ROOT, "%-46s %12.0f %12.0f %7.2fx %15s %s%n", name, sa, sb, sb / sa,
                Summary.spread(ratios, "%.2f"), goal);
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
}
