package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up of the transaction gate's tests, registered with {@code @RegisterExtension}: a node with an agent on
 * {@code a.db} in a fresh directory (so the file has a gate) holding a table {@code kv (k INTEGER PRIMARY KEY, v TEXT)},
 * and a thread to run an application's statements while the test plays the agent at the gate
 * ({@link TransactionGate#applyStarting()}). After each test it stops the thread and every node and deletes the files.
 */
final class GateHarness implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private ExecutorService executor;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("gate-");
        executor = Executors.newSingleThreadExecutor();
    }

    /** A connection to the node, with {@code extra} URL properties ({@code "&transaction_mode=IMMEDIATE"}). */
    Connection node(String extra) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?bind=127.0.0.1:0&tls.insecure=true" + extra);
        exec(c, "CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, v TEXT)");
        return c;
    }

    /** A plain sqlite-jdbc connection to the same file: what SQLite itself holds. */
    Connection plain() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The gate of the file {@code c} is open on. */
    static TransactionGate gateOf(Connection c) throws Exception {
        return TestAccess.transactionGate(c.unwrap(CorrosionConnection.class).databasePath().orElseThrow());
    }

    /**
     * Whether {@code work}, run on the harness's thread while an apply is in progress, waited for it for more than
     * {@code patience}; the apply then ends, and the work must end within 10 s.
     */
    boolean waitedForAnApply(TransactionGate gate, Duration patience, Callable<?> work) throws Exception {
        gate.applyStarting();
        Future<?> running = executor.submit(work);
        boolean waited;
        try {
            running.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            waited = false;
        } catch (TimeoutException e) {
            waited = true;
        } finally {
            gate.applyEnded();
        }
        running.get(10, TimeUnit.SECONDS);
        return waited;
    }

    /** Runs {@code work} on the harness's thread. */
    <T> Future<T> submit(Callable<T> work) {
        return executor.submit(work);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        executor.shutdownNow();
        CorrosionDriver.shutdownAll();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
