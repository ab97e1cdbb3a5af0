package io.corrosion.examples.bench;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/** {@link DriverBenchmark}'s figures of the CRR engine alone: the merge rate and the size of its metadata. */
final class MergeFigures {
    private static final int MERGE_ROWS = 20_000;
    private static final int MERGE_CHUNK = 2_000;
    private static final String ITEM = "create table item (id integer primary key, name text, qty integer, price real,"
            + " note text)";

    private final Path dir;
    private final int rounds;

    MergeFigures(Path dir, int rounds) {
        this.dir = dir;
        this.rounds = rounds;
    }

    /**
     * Column changes merged per second into a fresh file, in transactions of 2,000 changes, through
     * {@code CorrosionConnection.applyChanges} and through a JDBC batch of {@code INSERT INTO crsql_changes}.
     */
    void print() throws SQLException {
        List<Change> changes;
        try (Connection src = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("merge-source.db"))) {
            src.createStatement().execute(ITEM);
            src.setAutoCommit(false);
            try (PreparedStatement ins = src.prepareStatement("insert into item values (?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= MERGE_ROWS; i++) {
                    bindItem(ins, i);
                    ins.executeUpdate();
                    if (i % 500 == 0) {
                        src.commit();
                    }
                }
            }
            src.commit();
            src.setAutoCommit(true);
            changes = src.unwrap(CorrosionConnection.class).changesSince(0);
        }
        double[] api = new double[rounds];
        double[] sql = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            double a = mergeRate(changes, "merge-api-" + r, false);
            double s = mergeRate(changes, "merge-sql-" + r, true);
            if (r >= 0) {
                api[r] = a;
                sql[r] = s;
            }
        }
        System.out.printf(Locale.ROOT, "%-46s %12s %,12.0f %8s %15s %s%n", "merge, column changes/s (applyChanges)", "-",
                Summary.median(api), "", Summary.spread(api, "%,.0f"), ">= 250,000 (4)");
        System.out.printf(Locale.ROOT, "%-46s %12s %,12.0f %8s %15s %s%n", "merge, column changes/s (crsql_changes batch)",
                "-", Summary.median(sql), "", Summary.spread(sql, "%,.0f"), "");
        metadata();
    }

    private double mergeRate(List<Change> changes, String file, boolean viaSql) throws SQLException {
        try (Connection dst = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(file + ".db"))) {
            dst.createStatement().execute(ITEM);
            CorrosionConnection crr = dst.unwrap(CorrosionConnection.class);
            dst.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement merge = dst.prepareStatement(Change.INSERT_SQL)) {
                for (int i = 0; i < changes.size(); i += MERGE_CHUNK) {
                    List<Change> chunk = changes.subList(i, Math.min(changes.size(), i + MERGE_CHUNK));
                    if (viaSql) {
                        for (Change ch : chunk) {
                            ch.bind(merge);
                            merge.addBatch();
                        }
                        merge.executeBatch();
                    } else {
                        crr.applyChanges(chunk);
                    }
                    dst.commit();
                }
            }
            double rate = changes.size() / ((System.nanoTime() - t0) / 1e9);
            dst.setAutoCommit(true);
            return rate;
        } finally {
            CorrosionDriver.shutdown(dir.resolve(file + ".db").toString());
        }
    }

    private static void bindItem(PreparedStatement p, int id) throws SQLException {
        p.setInt(1, id);
        p.setString(2, "name-" + id);
        p.setInt(3, id % 100);
        p.setDouble(4, id * 0.25);
        p.setString(5, "a note about item number " + id);
    }

    /** Pages of the engine's tables (clocks, version log, registry, sites) per page of user table, after a clean close. */
    private void metadata() throws SQLException {
        CorrosionDriver.shutdownAll(); // the journal's last flush: every log entry is on disk
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("merge-source.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum(CASE WHEN name = 'item' THEN pgsize END), sum(CASE WHEN"
                        + " name LIKE 'item\\_\\_crsql%' ESCAPE '\\' OR name LIKE '\\_\\_corrosion%' ESCAPE '\\'"
                        + " OR name LIKE 'crsql\\_%' ESCAPE '\\' OR name LIKE 'sqlite_autoindex_crsql%'"
                        + " OR name LIKE 'sqlite_autoindex___corrosion%' THEN pgsize END) FROM dbstat")) {
            rs.next();
            System.out.printf(Locale.ROOT, "%-46s %12s %12.2f %8s %15s %s%n", "CRR metadata, bytes per byte of user data",
                    "-", rs.getDouble(2) / rs.getDouble(1), "", "", "<= 1.5 (4)");
        }
    }
}
