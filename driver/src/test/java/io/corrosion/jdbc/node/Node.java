package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One node for tests: a database file opened through jdbc:corrosion:, one connection to it. */
final class Node implements AutoCloseable {
    final String url;
    final Connection c;
    final CorrosionConnection crr;

    Node(Path dir, String name, String... query) throws SQLException {
        this.url = "jdbc:corrosion:" + dir.resolve(name + ".db") + (query.length == 0 ? "" : "?" + String.join("&", query));
        this.c = DriverManager.getConnection(url);
        this.crr = c.unwrap(CorrosionConnection.class);
    }

    Node exec(String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        }
        return this;
    }

    /** Runs the statements in one transaction. */
    Node inTransaction(String... sql) throws SQLException {
        c.setAutoCommit(false);
        exec(sql);
        c.commit();
        c.setAutoCommit(true);
        return this;
    }

    /** Rows as lists of values (integers as Long, blobs as hex), in the query's order. */
    List<List<Object>> rows(String sql) throws SQLException {
        return rows(c, sql);
    }

    /** {@link #rows(String)} of any connection (plain sqlite-jdbc too). */
    static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v instanceof Integer n32 ? (Object) (long) n32 : v);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** What a statement did: its update count, or its error (SQLite's UNIQUE message as plain SQLite words it). */
    static String outcome(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            return "updated " + s.executeUpdate(sql);
        } catch (SQLException e) {
            return "failed: " + e.getMessage().replaceFirst("^\\[SQLITE_CONSTRAINT_\\w+\\]\\s*", "")
                    .replaceFirst("^.*\\((UNIQUE constraint failed: [^)]*)\\)$", "$1");
        }
    }

    Object scalar(String sql) throws SQLException {
        List<List<Object>> rows = rows(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** Sends this node's changes that {@code other} did not write itself; returns the rows impacted there. */
    long sendTo(Node other) throws SQLException {
        List<Change> out = new ArrayList<>();
        byte[] theirs = other.crr.siteId();
        for (Change ch : crr.changesSince(0)) {
            if (!Arrays.equals(ch.siteId(), theirs)) {
                out.add(ch);
            }
        }
        return other.crr.applyChanges(out);
    }

    /** Exchanges everything both ways. */
    static void sync(Node a, Node b) throws SQLException {
        a.sendTo(b);
        b.sendTo(a);
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
