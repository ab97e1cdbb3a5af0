package io.corrosion.jdbc.replication;

import static io.corrosion.jdbc.replication.GateHarness.exec;
import static io.corrosion.jdbc.replication.GateHarness.gateOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A metadata query (DatabaseMetaData) in manual commit reads the schema, and pins the transaction's snapshot as any
 * read does: the gate counts the transaction from there. It did not, and an apply that committed between the query
 * and the transaction's first write made that write fail with 40001.
 */
class GateMetadataQueryTest {
    @RegisterExtension
    final GateHarness harness = new GateHarness();

    private Connection node() throws SQLException {
        return harness.node("");
    }

    @Test
    void theFirstMetadataQueryOfATransactionWaitsForTheApplyInProgress() throws Exception {
        try (Connection a = node()) {
            TransactionGate gate = gateOf(a);
            a.setAutoCommit(false);
            boolean waited = harness.waitedForAnApply(gate, Duration.ofSeconds(1), () -> {
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
