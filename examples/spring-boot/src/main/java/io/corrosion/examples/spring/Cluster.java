package io.corrosion.examples.spring;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.replication.ClusterMember;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * The driver's cluster API, reached through the application's own pool: {@code unwrap(CorrosionConnection.class)}
 * works through Hikari's proxy. Read-your-writes tokens, members, replication figures.
 */
@Component
public class Cluster {
    private final DataSource dataSource;

    public Cluster(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A token covering every transaction this instance has committed so far. */
    public String lastCommitToken() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.unwrap(CorrosionConnection.class).lastCommitToken();
        }
    }

    /** Waits until this instance has applied what the token covers; false if the timeout passed first. */
    public boolean awaitVersion(String token, Duration timeout) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.unwrap(CorrosionConnection.class).awaitVersion(token, timeout);
        }
    }

    public List<ClusterMember> members() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.unwrap(CorrosionConnection.class).members();
        }
    }

    public Optional<ReplicationStats> stats() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.unwrap(CorrosionConnection.class).replicationStats();
        }
    }
}
