package io.corrosion.jdbc.replication;

import io.corrosion.gossip.MemberStatus;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A node of the QUIC tests in this JVM: its file, its URL, and one connection the test keeps open. Binds an ephemeral
 * loopback port without TLS, syncs every 500 ms and merges equal values: two nodes writing the same value at the same
 * col_version keep their own clock otherwise (as cr-sqlite does); with it the higher site id wins and
 * {@code crsql_changes} converge too.
 */
final class QuicNode implements AutoCloseable {
    final String name;
    final Path file;
    final String url;
    final Connection conn;
    final CorrosionConnection corrosion;

    /** {@code urlOptions}: more URL keys, each starting with {@code &}; {@code schema}: statements run on the node. */
    QuicNode(Path dir, String name, String seeds, String urlOptions, String... schema) throws SQLException {
        this.name = name;
        this.file = dir.resolve(name + ".db");
        this.url = "jdbc:corrosion:" + file + "?bind=127.0.0.1:0&seeds=" + seeds + "&tls.insecure=true"
                + "&sync-interval=500ms&merge-equal-values=true" + urlOptions;
        this.conn = DriverManager.getConnection(url);
        this.corrosion = conn.unwrap(CorrosionConnection.class);
        for (String sql : schema) {
            exec(sql);
        }
    }

    /** Short probe and gossip intervals for the nodes started from now on, their transport decorated by the partition. */
    static void fastGossip(Partition partition) {
        NodeReplication.gossipTuning = g -> g.probeInterval(Duration.ofMillis(300)).probeTimeout(Duration.ofMillis(150))
                .gossipInterval(Duration.ofMillis(100));
        NodeReplication.transportDecorator = partition.decorator();
    }

    /** Undoes {@link #fastGossip}. */
    static void defaultGossip() {
        NodeReplication.gossipTuning = UnaryOperator.identity();
        NodeReplication.transportDecorator = UnaryOperator.identity();
    }

    String address() throws SQLException {
        return corrosion.replicationStats().orElseThrow().address();
    }

    int port() throws SQLException {
        String a = address();
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    void exec(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    List<List<Object>> query(String sql) throws SQLException {
        return Rows.query(conn, sql);
    }

    List<List<Object>> changes() throws SQLException {
        return Rows.changes(conn);
    }

    /** Members this node sees alive. */
    long alive() throws SQLException {
        return corrosion.members().stream().filter(m -> m.state() == MemberStatus.ALIVE).count();
    }

    long pending() throws SQLException {
        return corrosion.replicationStats().orElseThrow().pendingChanges();
    }

    /** Closes the connection and stops the file's agent. */
    @Override
    public void close() throws SQLException {
        conn.close();
        CorrosionDriver.shutdown(file.toString());
    }
}
