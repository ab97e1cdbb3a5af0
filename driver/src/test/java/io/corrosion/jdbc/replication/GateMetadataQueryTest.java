package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.TestAccess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A metadata query (DatabaseMetaData) in manual commit reads the schema, and pins the transaction's snapshot as any
 * read does: the gate counts the transaction from there. It did not, and an apply that committed between the query
 * and the transaction's first write made that write fail with 40001.
 */
class GateMetadataQueryTest {
    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
        CorrosionDriver.shutdownAll();
    }

    private Connection node() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db")
                + "?bind=127.0.0.1:0&tls.insecure=true");
        exec(c, "CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, v TEXT)");
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The gate of the file {@code c} is open on. */
    private static TransactionGate gateOf(Connection c) throws Exception {
        return TestAccess.transactionGate(c.unwrap(CorrosionConnection.class).databasePath().orElseThrow());
    }

    /** Whether {@code firstReads} waited (more than a second) for the apply the agent has in progress. */
    private boolean waitedForAnApply(TransactionGate gate, Callable<?> firstReads) throws Exception {
        gate.applyStarting();
        Future<?> reads = executor.submit(firstReads);
        boolean waited;
        try {
            reads.get(1, TimeUnit.SECONDS);
            waited = false;
        } catch (TimeoutException e) {
            waited = true;
        } finally {
            gate.applyEnded();
        }
        reads.get(10, TimeUnit.SECONDS);
        return waited;
    }

    @Test
    void theFirstMetadataQueryOfATransactionWaitsForTheApplyInProgress() throws Exception {
        try (Connection a = node()) {
            TransactionGate gate = gateOf(a);
            a.setAutoCommit(false);
            boolean waited = waitedForAnApply(gate, () -> {
                try (ResultSet rs = a.getMetaData().getColumns(null, null, "kv", null)) {
                    return rs.next();
                }
            });
            int counted = gate.openTransactions();
            a.commit();
            assertThat(counted).as("counted at the gate after a metadata query in manual commit").isEqualTo(1);
            assertThat(waited).as("the metadata query, the transaction's first read, waited for the apply in progress")
                    .isTrue();
        }
    }

    /** Why it matters: a metadata query pins the transaction's snapshot; a commit after it fails its write (40001). */
    @Test
    void aMetadataQueryPinsTheSnapshotOfTheTransaction() throws Exception {
        try (Connection a = node();
                Connection other = node()) {
            a.setAutoCommit(false);
            try (ResultSet rs = a.getMetaData().getColumns(null, null, "kv", null)) {
                rs.next();
            }
            exec(other, "INSERT INTO kv VALUES (1, 'other')"); // what an apply not held back by the gate does
            SQLException refused = null;
            try {
                exec(a, "INSERT INTO kv VALUES (2, 'a')");
            } catch (SQLException e) {
                refused = e;
            }
            a.rollback();
            assertThat((Object) refused).as("a's write after its metadata query and another commit").isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("40001");
        }
    }
}
