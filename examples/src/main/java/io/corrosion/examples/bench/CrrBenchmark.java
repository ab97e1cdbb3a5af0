package io.corrosion.examples.bench;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.CrrEngine;
import io.corrosion.jdbc.crr.CrrSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.sqlite.SQLiteConnection;

/**
 * The CRR engine against plain sqlite-jdbc on the same kind of file (WAL, synchronous=NORMAL), in the same run,
 * rounds interleaved, printed as ratios (median over rounds). Run:
 * {@code mvn -B -q -Pcrr-bench -DskipTests package} (rounds: {@code -Dcrr.bench.rounds=N})
 */
public final class CrrBenchmark {
    private static final String TABLE = "CREATE TABLE item(id INTEGER PRIMARY KEY NOT NULL, name TEXT, qty INTEGER, price REAL, note TEXT)";
    private static final int SINGLE = 3000;
    private static final int BATCH = 10_000;
    private static final int SELECTS = 50_000;
    private static final int MERGE_ROWS = 20_000;
    private static final int TUNED_CHECKPOINT = 3000;

    private CrrBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("crr-bench");
        List<double[]> ratios = new ArrayList<>();
        double[] mergeRates = new double[rounds];
        double[] mergeSqlRates = new double[rounds];
        double[] lastAbs = null;
        double metadata = 0;
        for (int round = 0; round <= rounds; round++) {
            double[] plain = workload(dir, "plain-" + round, false, 0);
            double[] crr = workload(dir, "crr-" + round, true, 0);
            double[] tuned = workload(dir, "crr-tuned-" + round, true, TUNED_CHECKPOINT);
            if (round == 0) {
                mergeRate(dir, round, false); // warm-up
                mergeRate(dir, round, true);
                continue;
            }
            double[] r = new double[plain.length + 2];
            for (int i = 0; i < plain.length; i++) {
                r[i] = crr[i] / plain[i];
            }
            r[plain.length] = tuned[0] / plain[0];
            r[plain.length + 1] = tuned[1] / plain[1];
            ratios.add(r);
            lastAbs = concat(plain, crr);
            mergeRates[round - 1] = mergeRate(dir, round, false);
            mergeSqlRates[round - 1] = mergeRate(dir, round, true);
            metadata = metadataRatio(dir.resolve("crr-" + round + ".db"));
        }
        String[] names = {"single-row INSERT transaction", "UPDATE of one column (autocommit)", "10k-row batch INSERT in one transaction",
            "point SELECT by primary key"};
        double[] goals = {1.5, 1.5, 2.5, 1.05};
        System.out.println("CRR engine vs plain sqlite-jdbc (WAL, synchronous=NORMAL), median of " + rounds + " rounds");
        for (int i = 0; i < names.length; i++) {
            final int k = i;
            double med = median(ratios.stream().mapToDouble(r -> r[k]).toArray());
            System.out.printf("  %-42s %6.2fx  (goal <= %.2fx)   last round: plain %.1f us, crr %.1f us%n", names[i], med, goals[i],
                    lastAbs[i], lastAbs[i + names.length]);
        }
        int n = names.length;
        System.out.printf("  with wal_autocheckpoint=%d on the CRR file (it writes ~3 pages per small transaction where plain"
                + " writes 1;%n  checkpoints, which fsync, then come as often per transaction as plain's at its default 1000):%n",
                TUNED_CHECKPOINT);
        System.out.printf("  %-42s %6.2fx%n", names[0], median(ratios.stream().mapToDouble(r -> r[n]).toArray()));
        System.out.printf("  %-42s %6.2fx%n", names[1], median(ratios.stream().mapToDouble(r -> r[n + 1]).toArray()));
        System.out.printf("  %-42s %,9.0f column changes/s (goal >= 250,000)%n", "merge via CrrSession.apply", median(mergeRates));
        System.out.printf("  %-42s %,9.0f column changes/s%n", "merge via INSERT INTO crsql_changes", median(mergeSqlRates));
        System.out.printf("  %-42s %6.2f bytes per byte of user data (goal <= 1.5)%n", "clock metadata", metadata);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static SQLiteConnection open(Path file) throws SQLException {
        SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
        }
        return c;
    }

    /** Microseconds per operation: single insert tx, single update tx, per 10k batch (ms*1000), point select. */
    private static double[] workload(Path dir, String name, boolean crr, int walAutocheckpoint) throws SQLException {
        SQLiteConnection c = open(dir.resolve(name + ".db"));
        CrrSession session = null;
        try (Statement s = c.createStatement()) {
            if (walAutocheckpoint > 0) {
                s.execute("PRAGMA wal_autocheckpoint=" + walAutocheckpoint);
            }
            s.execute(TABLE);
            if (crr) {
                session = CrrEngine.attach(c);
                session.asCrr("item");
            }
            PreparedStatement ins = c.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?, ?)");
            long t0 = System.nanoTime();
            for (int i = 1; i <= SINGLE; i++) {
                bindRow(ins, i);
                ins.executeUpdate();
            }
            double single = (System.nanoTime() - t0) / 1e3 / SINGLE;

            PreparedStatement upd = c.prepareStatement("UPDATE item SET qty = ? WHERE id = ?");
            Random rnd = new Random(1);
            t0 = System.nanoTime();
            for (int i = 1; i <= SINGLE; i++) {
                upd.setInt(1, 1000 + i);
                upd.setInt(2, 1 + rnd.nextInt(SINGLE));
                upd.executeUpdate();
            }
            double update = (System.nanoTime() - t0) / 1e3 / SINGLE;

            c.setAutoCommit(false);
            t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                bindRow(ins, 100_000 + i);
                ins.executeUpdate();
            }
            c.commit();
            double batch = (System.nanoTime() - t0) / 1e3;
            c.setAutoCommit(true);

            PreparedStatement sel = c.prepareStatement("SELECT name, qty, price, note FROM item WHERE id = ?");
            long sink = 0;
            t0 = System.nanoTime();
            for (int i = 0; i < SELECTS; i++) {
                sel.setInt(1, 1 + rnd.nextInt(SINGLE));
                try (ResultSet rs = sel.executeQuery()) {
                    if (rs.next()) {
                        sink += rs.getInt(2);
                    }
                }
            }
            double select = (System.nanoTime() - t0) / 1e3 / SELECTS;
            if (sink == 42) {
                System.out.print("");
            }
            return new double[] {single, update, batch, select};
        } finally {
            if (session != null) {
                session.close();
            }
            c.close();
        }
    }

    private static void bindRow(PreparedStatement p, int id) throws SQLException {
        p.setInt(1, id);
        p.setString(2, "name-" + id);
        p.setInt(3, id % 100);
        p.setDouble(4, id * 0.25);
        p.setString(5, "a note about item number " + id);
    }

    /** Column changes per second merged into a fresh replica, in changesets of 500 rows (one transaction each). */
    private static double mergeRate(Path dir, int round, boolean viaSql) throws SQLException {
        SQLiteConnection src = open(dir.resolve("merge-src-" + round + "-" + viaSql + ".db"));
        SQLiteConnection dst = open(dir.resolve("merge-dst-" + round + "-" + viaSql + ".db"));
        try (Statement s = src.createStatement(); Statement d = dst.createStatement()) {
            s.execute(TABLE);
            d.execute(TABLE);
            CrrSession from = CrrEngine.attach(src);
            CrrSession to = CrrEngine.attach(dst);
            from.asCrr("item");
            to.asCrr("item");
            src.setAutoCommit(false);
            PreparedStatement ins = src.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?, ?)");
            for (int i = 1; i <= MERGE_ROWS; i++) {
                bindRow(ins, i);
                ins.executeUpdate();
                if (i % 500 == 0) {
                    src.commit();
                }
            }
            src.commit();
            src.setAutoCommit(true);
            List<Change> all = from.changesSince(0);
            long t0 = System.nanoTime();
            dst.setAutoCommit(false);
            PreparedStatement merge = dst.prepareStatement(Change.INSERT_SQL);
            for (int i = 0; i < all.size(); i += 2000) {
                List<Change> chunk = all.subList(i, Math.min(all.size(), i + 2000));
                if (viaSql) {
                    for (Change ch : chunk) {
                        ch.bind(merge);
                        merge.addBatch();
                    }
                    merge.executeBatch();
                } else {
                    to.apply(chunk);
                }
                dst.commit();
            }
            dst.setAutoCommit(true);
            double seconds = (System.nanoTime() - t0) / 1e9;
            from.close();
            to.close();
            return all.size() / seconds;
        } finally {
            src.close();
            dst.close();
        }
    }

    /** Pages of the clock tables, version log and other engine tables per page of user table. */
    private static double metadataRatio(Path file) throws SQLException {
        try (SQLiteConnection c = open(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(CASE WHEN name = 'item' THEN pgsize END),"
                     + " sum(CASE WHEN name LIKE 'item\\_\\_crsql%' ESCAPE '\\' OR name LIKE '\\_\\_corrosion%' ESCAPE '\\'"
                     + " OR name LIKE 'crsql\\_%' ESCAPE '\\' OR name LIKE 'sqlite_autoindex_crsql%' OR name LIKE 'sqlite_autoindex___corrosion%'"
                     + " THEN pgsize END) FROM dbstat")) {
            rs.next();
            return rs.getDouble(2) / rs.getDouble(1);
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
