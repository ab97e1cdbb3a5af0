package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConnection;

/** One node for tests: a real WAL-mode sqlite-jdbc file with the engine attached. */
final class Replica implements AutoCloseable {
    final SQLiteConnection conn;
    final CrrSession crr;

    Replica(Path dir, String name, String... schema) throws SQLException {
        conn = open(dir.resolve(name + ".db"));
        crr = CrrEngine.attach(conn);
        for (String sql : schema) {
            exec(sql);
        }
    }

    static SQLiteConnection open(Path file) throws SQLException {
        SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
        }
        return c;
    }

    Replica exec(String sql) throws SQLException {
        conn.getDatabase()._exec(sql);
        return this;
    }

    List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = SqlValues.normalize(rs.getObject(i));
                    row.add(v instanceof byte[] b ? SqlValues.hex(b) : v);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    Object scalar(String sql) throws SQLException {
        return query(sql).get(0).get(0);
    }

    /** Every change this replica has (its own and merged ones). */
    List<Change> changes() throws SQLException {
        return crr.changesSince(-1);
    }

    /** Sends everything this replica has that the other did not write itself; returns rows impacted there. */
    long sendTo(Replica other) throws SQLException {
        List<Change> out = new ArrayList<>();
        for (Change c : changes()) {
            if (!java.util.Arrays.equals(c.siteId(), other.crr.siteId())) {
                out.add(c);
            }
        }
        return other.crr.apply(out);
    }

    @Override
    public void close() throws SQLException {
        crr.close();
        conn.close();
    }
}
