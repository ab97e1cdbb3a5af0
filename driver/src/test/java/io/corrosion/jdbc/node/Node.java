package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.JdbcRows;
import io.corrosion.jdbc.intercept.TriggerKeyRewrite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

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
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rows(rs);
        }
    }

    /** {@link #rows(String)} of a result set. */
    static List<List<Object>> rows(ResultSet rs) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                Object v = rs.getObject(i);
                row.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v instanceof Integer n32 ? (Object) (long) n32 : v);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * What a statement did: its update count, or its error (SQLite's UNIQUE message as plain SQLite words it). The count
     * is SQLite's {@code changes()}, the rows the statement itself wrote, as the driver counts them: plain sqlite-jdbc's
     * {@code executeUpdate} also counts the rows its triggers wrote.
     */
    static String outcome(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            if (c.isWrapperFor(CorrosionConnection.class)) {
                return "updated " + s.executeUpdate(sql);
            }
            s.executeUpdate(sql);
            try (ResultSet rs = s.executeQuery("SELECT changes()")) {
                rs.next();
                return "updated " + rs.getLong(1);
            }
        } catch (SQLException e) {
            return "failed: " + e.getMessage().replaceFirst("^\\[SQLITE_CONSTRAINT_\\w+\\]\\s*", "")
                    .replaceFirst("^.*\\((UNIQUE constraint failed: [^)]*)\\)$", "$1");
        }
    }

    /**
     * Runs the schema, the setup and the writes on plain sqlite-jdbc and on a node (files named after {@code name} in
     * {@code dir}): the writes' outcomes ({@link #outcome}) and the rows of {@code query} must be the same; then the
     * node's rows must reach a second node unchanged. The second node gets the schema's tables and indexes, not its
     * triggers: they would fire again for the merged rows. Returns the rows.
     */
    static List<List<Object>> sameAsPlain(Path dir, String name, List<String> schema, List<String> setup, String query,
            String... writes) throws SQLException {
        List<String> plain = new ArrayList<>();
        List<List<Object>> plainRows;
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name + "-plain.db") + "?journal_mode=WAL")) {
            JdbcRows.exec(p, schema.toArray(String[]::new));
            JdbcRows.exec(p, setup.toArray(String[]::new));
            for (String w : writes) {
                plain.add(outcome(p, w));
            }
            plainRows = rows(p, query);
        }
        try (Node a = new Node(dir, name + "-a"); Node b = new Node(dir, name + "-b")) {
            a.exec(schema.toArray(String[]::new)).exec(setup.toArray(String[]::new));
            b.exec(schema.stream().filter(sql -> !TriggerKeyRewrite.isCreateTrigger(sql)).toArray(String[]::new));
            List<String> driver = new ArrayList<>();
            for (String w : writes) {
                driver.add(outcome(a.c, w));
            }
            assertThat(driver).as("outcomes through the driver").isEqualTo(plain);
            assertThat(a.rows(query)).as("rows through the driver").isEqualTo(plainRows);
            a.sendTo(b);
            assertThat(b.rows(query)).as("rows on a second node").isEqualTo(plainRows);
        }
        return plainRows;
    }

    /**
     * Makes a node's file (the driver shut down) look as an earlier version of the driver left it: each of the
     * {@code count} triggers whose SQL is {@code LIKE like} made again as {@code earlier} writes its SQL (which must
     * change it), and the metadata's format set to {@code format}.
     */
    static void asEarlierFormat(Path file, String like, int count, int format, UnaryOperator<String> earlier)
            throws SQLException {
        CorrosionDriver.shutdownAll();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
            List<List<Object>> triggers = rows(raw, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                    + " AND sql LIKE '" + like.replace("'", "''") + "'");
            assertThat(triggers).hasSize(count);
            for (List<Object> trigger : triggers) {
                s.execute("DROP TRIGGER \"" + trigger.get(0) + "\"");
                String sql = (String) trigger.get(1);
                String before = earlier.apply(sql);
                assertThat(before).isNotEqualTo(sql);
                s.execute(before);
            }
            s.execute("UPDATE crsql_master SET value = " + format + " WHERE key = 'corrosion_format'");
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
