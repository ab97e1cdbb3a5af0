package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several connections on one file inserting at once: every key unique, in the node's slot, and no extra failures. */
class ConcurrentKeysTest {
    private static final int THREADS = 4;
    private static final int ROWS = 150;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void concurrentInsertsGetUniqueKeys() throws Exception {
        String url = "jdbc:corrosion:" + dir.resolve("concurrent.db") + "?node-slot=3";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("create table event (id integer primary key, thread int, n int)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                // even threads insert one row per (auto-commit) transaction, odd ones ten rows per IMMEDIATE transaction
                String threadUrl = thread % 2 == 0 ? url : url + "&transaction_mode=IMMEDIATE";
                results.add(pool.submit(inserter(threadUrl, thread, thread % 2 == 0 ? 1 : 10)));
            }
            Set<Long> keys = new HashSet<>();
            for (Future<List<Long>> f : results) {
                for (long key : f.get()) {
                    assertThat(keys.add(key)).as("key %d handed out twice", key).isTrue();
                    assertThat(IdScheme.slotOf(key)).isEqualTo(3);
                }
            }
            assertThat(keys).hasSize(THREADS * ROWS);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select count(*), count(distinct id) from event")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(THREADS * ROWS);
                assertThat(rs.getInt(2)).isEqualTo(THREADS * ROWS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Preparing an INSERT reads the table's key from the schema. Read on the application's connection inside its
     * deferred transaction, that would start the transaction's snapshot, and a commit by another connection before
     * its first write would then fail it with SQLITE_BUSY, which plain SQLite would not do.
     */
    @Test
    void preparingAnInsertDoesNotStartTheTransactionsSnapshot() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("snapshot.db") + "?node-slot=3";
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
            try (Statement s = first.createStatement()) {
                s.executeUpdate("create table event (id integer primary key, n int)");
            }
            first.setAutoCommit(false);
            try (PreparedStatement ps = first.prepareStatement("insert into event (n) values (1)")) {
                try (Statement s = second.createStatement()) {
                    s.executeUpdate("insert into event (n) values (2)"); // commits between prepare and first write
                }
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            first.commit();
        }
    }

    private static Callable<List<Long>> inserter(String url, int thread, int rowsPerTransaction) {
        return () -> {
            List<Long> keys = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement ps = c.prepareStatement("insert into event (thread, n) values (?, ?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                c.setAutoCommit(rowsPerTransaction == 1);
                for (int n = 0; n < ROWS; n++) {
                    ps.setInt(1, thread);
                    ps.setInt(2, n);
                    ps.executeUpdate();
                    keys.add(key(ps));
                    if (!c.getAutoCommit() && (n + 1) % rowsPerTransaction == 0) {
                        c.commit();
                    }
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
            return keys;
        };
    }

    private static long key(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getGeneratedKeys()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
