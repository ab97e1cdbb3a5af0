package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.replication.ChangeListener;
import io.corrosion.jdbc.replication.ClusterMember;
import io.corrosion.jdbc.replication.NodeReplication;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link CorrosionConnection} adds to a JDBC connection: the CRR engine's API and the replication agent's, on
 * the connection's file. {@link ConnectionProxy} is the JDBC side.
 */
abstract class NodeApiConnection implements CorrosionConnection {
    final CrrApi crr;
    final NodeReplication replication;

    NodeApiConnection(CrrApi crr, NodeReplication replication) {
        this.crr = crr;
        this.replication = replication;
    }

    /** Throws 08003 once the connection is closed. */
    abstract void checkOpen() throws SQLException;

    /** Before a call that is a statement of the application's transaction in manual commit. */
    abstract void transactionStatementStarting() throws SQLException;

    @FunctionalInterface
    private interface CrrCall<T> {
        T call() throws SQLException;
    }

    private <T> T crr(CrrCall<T> call) throws SQLException {
        checkOpen();
        try {
            return call.call();
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public byte[] siteId() throws SQLException {
        return crr(crr::siteId);
    }

    @Override
    public long dbVersion() throws SQLException {
        return crr(crr::dbVersion);
    }

    @Override
    public List<Change> changesSince(long dbVersion) throws SQLException {
        return crr(() -> crr.changesSince(dbVersion));
    }

    @Override
    public List<Change> changes(byte[] siteId, long fromDbVersion, long toDbVersion) throws SQLException {
        return crr(() -> crr.changes(siteId, fromDbVersion, toDbVersion));
    }

    /** In manual commit the changes are a statement of the application's transaction. */
    @Override
    public long applyChanges(List<Change> changes) throws SQLException {
        return crr(() -> {
            transactionStatementStarting();
            return crr.applyChanges(changes);
        });
    }

    @Override
    public List<String> replicatedTables() throws SQLException {
        return crr(crr::replicatedTables);
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        return crr.addCommitListener(listener);
    }

    @Override
    public String lastCommitToken() throws SQLException {
        return crr(() -> replication.lastCommitToken(crr.siteId(), crr.dbVersion()));
    }

    @Override
    public boolean awaitVersion(String token, Duration timeout) throws SQLException {
        return crr(() -> replication.awaitVersion(token, timeout, crr.siteId(), crr.dbVersion()));
    }

    @Override
    public AutoCloseable addChangeListener(ChangeListener listener) throws SQLException {
        return crr(() -> replication.addChangeListener(listener, crr));
    }

    @Override
    public List<ClusterMember> members() throws SQLException {
        return crr(replication::members);
    }

    @Override
    public Optional<ReplicationStats> replicationStats() throws SQLException {
        return crr(replication::stats);
    }

}
