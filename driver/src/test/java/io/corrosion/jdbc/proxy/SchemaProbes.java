package io.corrosion.jdbc.proxy;

import static io.corrosion.jdbc.proxy.ConnectionProbes.each;
import static io.corrosion.jdbc.proxy.ConnectionProbes.rows;

import io.corrosion.jdbc.proxy.Differential.Probe;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls of the differential test ({@link JdbcDifferentialTest}) on what the driver rewrites: tables without a key or
 * with a BIGINT key, transactions begun by SQL, constraint failures, and the result sets the driver wraps.
 */
final class SchemaProbes {
    private SchemaProbes() {}

    static Map<String, Probe> probes() {
        Map<String, Probe> p = new LinkedHashMap<>();
        p.put("keylessTable", c -> each(c,
                x -> x.createStatement().executeUpdate("INSERT INTO nokey VALUES ('a', 1)"),
                x -> x.createStatement().executeUpdate("INSERT INTO nokey (a, b) VALUES ('b', 2), ('c', 3)"),
                x -> rows(x, "PRAGMA table_info(nokey)"),
                x -> rows(x, "SELECT name FROM pragma_table_info('nokey')"),
                x -> x.getMetaData().getColumns(null, null, "nokey", "%"),
                x -> x.getMetaData().getPrimaryKeys(null, null, "nokey"),
                x -> x.getMetaData().getIndexInfo(null, null, "nokey", false, false),
                x -> x.getMetaData().getBestRowIdentifier(null, null, "nokey", 0, true),
                x -> { PreparedStatement ps = x.prepareStatement("INSERT INTO nokey VALUES (?, ?)");
                    ps.setString(1, "d");
                    ps.setInt(2, 4);
                    return List.of(ps.executeUpdate(), ps.getParameterMetaData().getParameterCount()); },
                x -> rows(x, "SELECT count(*), sum(b) FROM nokey"),
                x -> x.createStatement().executeUpdate("UPDATE nokey SET b = b + 10 WHERE a IN ('a', 'b')"),
                x -> x.createStatement().executeUpdate("DELETE FROM nokey WHERE a = 'c'"),
                x -> rows(x, "SELECT rowid IS NOT NULL, a, b FROM nokey ORDER BY b")));
        p.put("keylessTableSelectStar", c -> each(c,
                x -> rows(x, "SELECT * FROM nokey ORDER BY b"),
                x -> rows(x, "SELECT nokey.* FROM nokey ORDER BY b"),
                x -> rows(x, "SELECT * FROM nokey n JOIN t ON t.id = n.b - 10 ORDER BY n.b")));
        p.put("bigintKeyResultSetMetaData", c -> {
            // created here, after the listings: sqlite-jdbc lists its key's autoindex, the driver's rowid key has none
            c.createStatement().executeUpdate("CREATE TABLE big (id BIGINT NOT NULL PRIMARY KEY, v TEXT)");
            return PreparedProbes.columns(c.createStatement().executeQuery("SELECT * FROM big").getMetaData());
        });
        p.put("bigintKey", c -> each(c,
                x -> x.createStatement().executeUpdate("INSERT INTO big (id, v) VALUES (1, 'a')"),
                x -> x.getMetaData().getColumns(null, null, "big", "%"),
                x -> rows(x, "SELECT sql LIKE '%bigint%' FROM sqlite_master WHERE name = 'big'")));
        p.put("transactionsBySql", c -> each(c,
                x -> { x.createStatement().execute("BEGIN"); return x.getAutoCommit(); },
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (200, 'sql')"),
                x -> { x.createStatement().execute("ROLLBACK"); return rows(x, "SELECT count(*) FROM w WHERE id = 200"); },
                x -> x.createStatement().execute("SAVEPOINT sp"),
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (201, 'sql')"),
                x -> x.createStatement().execute("RELEASE sp"),
                x -> rows(x, "SELECT count(*) FROM w WHERE id = 201"),
                x -> x.createStatement().execute("COMMIT"),
                x -> x.createStatement().execute("BEGIN IMMEDIATE"),
                x -> x.createStatement().execute("BEGIN"),
                x -> x.createStatement().execute("END"),
                x -> { x.setAutoCommit(false); x.createStatement().execute("SELECT 1"); return "manual"; },
                x -> x.createStatement().execute("BEGIN"),
                x -> { x.createStatement().execute("COMMIT"); return x.getAutoCommit(); },
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (202, 'sql')"),
                x -> { x.rollback(); return rows(x, "SELECT count(*) FROM w WHERE id = 202"); }));
        p.put("constraintFailures", c -> each(c,
                x -> x.createStatement().executeUpdate("CREATE TABLE uniq (id INTEGER PRIMARY KEY, code TEXT UNIQUE)"),
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (210, 'a')"),
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (210, 'b')"),
                x -> x.createStatement().executeUpdate("INSERT INTO t (id) VALUES (210)"),
                x -> x.createStatement().executeUpdate("UPDATE t SET name = NULL WHERE id = 1"),
                x -> x.createStatement().executeUpdate("INSERT INTO uniq (id, code) VALUES (1, 'x')"),
                x -> x.createStatement().executeUpdate("INSERT INTO uniq (id, code) VALUES (2, 'x')"),
                x -> x.createStatement().executeUpdate("INSERT OR IGNORE INTO uniq (id, code) VALUES (3, 'x')"),
                x -> x.createStatement().executeUpdate("INSERT OR REPLACE INTO uniq (id, code) VALUES (4, 'x')"),
                x -> rows(x, "SELECT id, code FROM uniq ORDER BY id"),
                x -> x.createStatement().executeUpdate(
                        "INSERT INTO w (id, v) VALUES (210, 'c') ON CONFLICT (id) DO UPDATE SET v = excluded.v"),
                x -> rows(x, "SELECT v FROM w WHERE id = 210"),
                x -> x.createStatement().executeUpdate("REPLACE INTO w (id, v) VALUES (210, 'd')"),
                x -> { x.createStatement().execute("PRAGMA foreign_keys = ON");
                    return x.createStatement().executeUpdate("INSERT INTO kid (id, t_id) VALUES (5, 999)"); },
                x -> x.createStatement().executeUpdate("INSERT INTO kid (id, t_id) VALUES (6, 2)"),
                x -> x.createStatement().executeUpdate("SELECT * FROM nope"),
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (211 'syntax')"),
                x -> x.isValid(1)));
        p.put("generatedKeysStatement", c -> {
            Statement s = c.createStatement();
            s.executeUpdate("INSERT INTO w (id, v) VALUES (220, 'k')");
            ResultSet keys = s.getGeneratedKeys();
            return List.of(keys.getStatement() == s, keys.getStatement() == null);
        });
        p.put("wrappedResultSets", c -> each(c,
                x -> { ResultSet rs = x.getMetaData().getTables(null, null, "t", null);
                    return List.of(String.valueOf(rs.getStatement()).startsWith("null"), rs.getStatement() == null); },
                x -> x.getMetaData().getColumns(null, null, "t", "id").getStatement() == null,
                x -> { Statement s = x.createStatement();
                    s.execute("SELECT id FROM t");
                    ResultSet a = s.getResultSet();
                    return List.of(a == s.getResultSet(), a.getStatement() == s); },
                x -> { PreparedStatement ps = x.prepareStatement("SELECT id FROM t");
                    ResultSet a = ps.executeQuery();
                    return List.of(a == ps.getResultSet(), ps.getResultSet().getStatement() == ps); },
                x -> { PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, 'b')",
                        Statement.RETURN_GENERATED_KEYS);
                    for (int id = 221; id <= 223; id++) {
                        ps.setInt(1, id);
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    return List.of(counts, ps.getGeneratedKeys()); },
                x -> { PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, 'e')");
                    ps.setInt(1, 224);
                    boolean isQuery = ps.execute();
                    return List.of(isQuery, ps.getUpdateCount(), ps.getMoreResults(), ps.getUpdateCount(),
                            ps.getLargeUpdateCount()); },
                x -> { Statement s = x.createStatement();
                    List<Object> out = new ArrayList<>();
                    out.add(s.execute("INSERT INTO w (id, v) VALUES (225, 'm'); INSERT INTO w (id, v) VALUES (226, 'm')"));
                    out.add(s.getUpdateCount());
                    out.add(s.getMoreResults());
                    out.add(s.getUpdateCount());
                    out.add(rows(x, "SELECT id FROM w WHERE id IN (225, 226)"));
                    return out; }));
        p.put("uniqueConstraintMetaData", c -> each(c,
                x -> x.getMetaData().getIndexInfo(null, null, "uniq", false, false),
                x -> x.getMetaData().getIndexInfo(null, null, "uniq", true, false),
                x -> x.getMetaData().getTables(null, null, "%", new String[] {"SYSTEM TABLE"})));
        return p;
    }
}
