package io.corrosion.jdbc.proxy;

import static io.corrosion.jdbc.proxy.ConnectionProbes.each;
import static io.corrosion.jdbc.proxy.ConnectionProbes.rows;

import io.corrosion.jdbc.proxy.Differential.Probe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Statement calls of the differential test ({@link JdbcDifferentialTest}). */
final class StatementProbes {
    private StatementProbes() {}

    /** A query that runs for half a minute unless interrupted. */
    static final String LONG_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000000) "
            + "SELECT count(*) FROM c";
    /** A query of about a second. */
    static final String SECOND_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000) "
            + "SELECT count(*) FROM c";

    static Map<String, Probe> probes() {
        Map<String, Probe> p = new LinkedHashMap<>();
        p.put("maxRows", c -> each(c, x -> {
            Statement s = x.createStatement();
            s.setMaxRows(1);
            return List.of(s.getMaxRows(), s.executeQuery("SELECT id FROM t ORDER BY id"));
        }, x -> {
            Statement s = x.createStatement();
            s.setMaxRows(-1);
            return s.getMaxRows();
        }, x -> {
            PreparedStatement s = x.prepareStatement("SELECT id FROM t ORDER BY id");
            s.setLargeMaxRows(1);
            return List.of(s.getLargeMaxRows(), s.executeQuery());
        }));
        p.put("fetchSize", c -> each(c, x -> {
            Statement s = x.createStatement();
            s.setFetchSize(10);
            ResultSet rs = s.executeQuery("SELECT id FROM t");
            return List.of(s.getFetchSize(), rs.getFetchSize(), s.getFetchDirection());
        }, x -> {
            Statement s = x.createStatement();
            s.setFetchSize(-1);
            return s.getFetchSize();
        }, x -> {
            Statement s = x.createStatement();
            s.setFetchDirection(ResultSet.FETCH_REVERSE);
            return s.getFetchDirection();
        }));
        p.put("queryTimeoutInterruptsLongQuery", c -> each(c, x -> {
            Statement s = x.createStatement();
            s.setQueryTimeout(1);
            return List.of(s.getQueryTimeout(), s.executeQuery(SECOND_QUERY));
        }, x -> rows(x, "SELECT count(*) FROM t"), x -> {
            Statement s = x.createStatement();
            s.setQueryTimeout(-1);
            return s.getQueryTimeout();
        }));
        p.put("cancelFromAnotherThread", c -> each(c, x -> {
            Statement s = x.createStatement();
            CompletableFuture<Object> query = CompletableFuture.supplyAsync(() -> {
                try {
                    return Differential.render(s.executeQuery(LONG_QUERY));
                } catch (SQLException e) {
                    return Differential.thrown(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!query.isDone() && System.nanoTime() < deadline) {
                s.cancel(); // SQLite ignores an interrupt while nothing runs, so cancel until the query stops
                Thread.onSpinWait();
            }
            return query.get(1, TimeUnit.SECONDS);
        }, x -> rows(x, "SELECT count(*) FROM t"), x -> {
            Statement s = x.createStatement();
            s.cancel();
            return rows(x, "SELECT count(*) FROM t");
        }));
        p.put("resultsOfASelect", c -> each(c, x -> {
            Statement s = x.createStatement();
            boolean isQuery = s.execute("SELECT id FROM t");
            int count = s.getUpdateCount();
            ResultSet rs = s.getResultSet();
            boolean more = s.getMoreResults();
            return List.of(isQuery, count, rs.isClosed(), more, s.getUpdateCount(), String.valueOf(s.getResultSet()));
        }, x -> {
            Statement s = x.createStatement();
            boolean isQuery = s.execute("UPDATE w SET v = v WHERE id = -1");
            return List.of(isQuery, s.getUpdateCount(), String.valueOf(s.getResultSet()), s.getMoreResults(),
                    s.getUpdateCount());
        }, x -> {
            Statement s = x.createStatement();
            ResultSet rs = s.executeQuery("SELECT id FROM t");
            boolean more = s.getMoreResults(Statement.KEEP_CURRENT_RESULT);
            return List.of(more, rs.isClosed(), s.getUpdateCount());
        }, x -> {
            Statement s = x.createStatement();
            s.executeQuery("SELECT id FROM t");
            return List.of(s.getLargeUpdateCount(), s.getUpdateCount());
        }));
        p.put("queryOfAWrite", c -> each(c,
                x -> x.createStatement().executeQuery("INSERT INTO w (id, v) VALUES (60, 'q')"),
                x -> rows(x, "SELECT count(*) FROM w WHERE id = 60"),
                x -> x.createStatement().executeQuery("UPDATE w SET v = 'q2' WHERE id = 60"),
                x -> rows(x, "SELECT v FROM w WHERE id = 60"),
                x -> x.createStatement().executeUpdate("SELECT id FROM t"),
                x -> x.prepareStatement("INSERT INTO w (id, v) VALUES (61, 'q')").executeQuery(),
                x -> rows(x, "SELECT count(*) FROM w WHERE id = 61"),
                x -> x.prepareStatement("SELECT id FROM t").executeUpdate(),
                x -> x.createStatement().executeQuery("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)")));
        p.put("emptySql", c -> each(c,
                x -> x.createStatement().execute(""), x -> x.createStatement().execute("   "),
                x -> x.createStatement().execute(";"), x -> x.createStatement().executeUpdate(""),
                x -> x.createStatement().executeQuery(""), x -> x.createStatement().execute("-- nothing"),
                x -> x.prepareStatement(""),
                x -> { Statement s = x.createStatement(); s.execute(""); return List.of(s.getUpdateCount(),
                        String.valueOf(s.getResultSet())); }));
        p.put("nullSql", c -> c.createStatement().execute(null));
        p.put("closeOnCompletion", c -> each(c, x -> {
            Statement s = x.createStatement();
            s.closeOnCompletion();
            ResultSet rs = s.executeQuery("SELECT id FROM t");
            boolean before = s.isClosed();
            rs.close();
            return List.of(s.isCloseOnCompletion(), before, s.isClosed());
        }, x -> {
            Statement s = x.createStatement();
            s.closeOnCompletion();
            s.executeUpdate("UPDATE w SET v = v WHERE id = -1");
            return s.isClosed();
        }, x -> {
            Statement s = x.createStatement();
            s.closeOnCompletion();
            ResultSet rs = s.executeQuery("SELECT id FROM t");
            while (rs.next()) {
                rs.getInt(1);
            }
            return List.of(rs.isClosed(), s.isClosed());
        }));
        p.put("generatedKeys", c -> each(c, x -> {
            Statement s = x.createStatement();
            int n = s.executeUpdate("INSERT INTO w (id, v) VALUES (70, 'g')", Statement.RETURN_GENERATED_KEYS);
            return List.of(n, s.getGeneratedKeys());
        }, x -> {
            Statement s = x.createStatement();
            int n = s.executeUpdate("INSERT INTO w (id, v) VALUES (71, 'g')");
            return List.of(n, s.getGeneratedKeys());
        }, x -> {
            Statement s = x.createStatement();
            boolean r = s.execute("INSERT INTO w (id, v) VALUES (72, 'g') RETURNING id, v");
            return List.of(r, s.getResultSet(), s.getGeneratedKeys());
        }, x -> {
            Statement s = x.createStatement();
            ResultSet r = s.executeQuery("INSERT INTO w (id, v) VALUES (73, 'g') RETURNING id * 2 AS twice");
            return List.of(r, s.getGeneratedKeys());
        }, x -> {
            PreparedStatement s = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, 'g') RETURNING id");
            s.setInt(1, 74);
            return List.of(s.executeQuery(), s.getGeneratedKeys());
        }, x -> {
            Statement s = x.createStatement();
            s.executeUpdate("UPDATE w SET v = 'h' WHERE id = 70");
            return s.getGeneratedKeys();
        }, x -> {
            Statement s = x.createStatement();
            s.executeQuery("SELECT 1");
            return s.getGeneratedKeys();
        }, x -> rows(x, "SELECT id, v FROM w WHERE id BETWEEN 70 AND 79")));
        p.put("generatedKeysOfAnAllocatedKey", c -> each(c, x -> {
            Statement s = x.createStatement();
            s.executeUpdate("INSERT INTO w (v) VALUES ('alloc')", Statement.RETURN_GENERATED_KEYS);
            ResultSet keys = s.getGeneratedKeys();
            // the key itself is node-private on corrosion (see "Generated keys"): compare its shape and that it is the row
            boolean row = keys.next();
            long key = keys.getLong(1);
            String label = keys.getMetaData().getColumnLabel(1);
            ResultSet check = x.createStatement().executeQuery("SELECT v FROM w WHERE id = " + key);
            return List.of(row, label, check.next() ? check.getString(1) : "no row", keys.next());
        }, x -> x.createStatement().executeUpdate("DELETE FROM w WHERE v = 'alloc'")));
        p.put("batchWithFailingEntry", c -> each(c, x -> {
            Statement s = x.createStatement();
            s.addBatch("INSERT INTO w (id, v) VALUES (80, 'b')");
            s.addBatch("INSERT INTO w (id, v) VALUES (80, 'dup')");
            s.addBatch("INSERT INTO w (id, v) VALUES (81, 'b')");
            return s.executeBatch();
        }, x -> rows(x, "SELECT id, v FROM w WHERE id BETWEEN 80 AND 89"), x -> {
            PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)");
            for (int id : new int[] {82, 82, 83}) {
                ps.setInt(1, id);
                ps.setString(2, "p");
                ps.addBatch();
            }
            return ps.executeBatch();
        }, x -> rows(x, "SELECT id, v FROM w WHERE id BETWEEN 80 AND 89"), x -> {
            Statement s = x.createStatement();
            s.addBatch("UPDATE w SET v = 'x' WHERE id >= 80 AND id < 90");
            s.addBatch("DELETE FROM w WHERE id = 81");
            s.addBatch("SELECT 1");
            return s.executeBatch();
        }, x -> {
            Statement s = x.createStatement();
            return s.executeBatch();
        }, x -> {
            Statement s = x.createStatement();
            s.addBatch("INSERT INTO w (id, v) VALUES (85, 'b')");
            s.clearBatch();
            return List.of(s.executeBatch(), rows(x, "SELECT count(*) FROM w WHERE id = 85"));
        }, x -> {
            x.setAutoCommit(false);
            Statement s = x.createStatement();
            s.addBatch("INSERT INTO w (id, v) VALUES (86, 'b')");
            s.addBatch("INSERT INTO nope (id) VALUES (1)");
            try {
                return s.executeBatch();
            } finally {
                x.commit();
                x.setAutoCommit(true);
            }
        }, x -> rows(x, "SELECT id, v FROM w WHERE id BETWEEN 80 AND 89")));
        p.put("statementAfterClose", c -> each(c, x -> {
            Statement s = x.createStatement();
            s.close();
            s.close();
            return List.of(s.isClosed(), Differential.thrown(threw(() -> s.executeQuery("SELECT 1"))),
                    Differential.thrown(threw(s::getConnection)), Differential.thrown(threw(s::getUpdateCount)),
                    Differential.thrown(threw(s::getResultSet)), Differential.thrown(threw(() -> { s.setMaxRows(1); return null; })));
        }, x -> {
            Statement s = x.createStatement();
            return s.getConnection() == x;
        }));
        p.put("largeUpdates", c -> each(c,
                x -> x.createStatement().executeLargeUpdate("INSERT INTO w (id, v) VALUES (90, 'l'), (91, 'l')"),
                x -> x.createStatement().executeLargeUpdate("UPDATE w SET v = 'm' WHERE id IN (90, 91)"),
                x -> { Statement s = x.createStatement(); s.execute("DELETE FROM w WHERE id IN (90, 91)");
                    return List.of(s.getLargeUpdateCount(), s.getUpdateCount(), s.getMoreResults(),
                            s.getUpdateCount()); }));
        p.put("escapeAndEnquote", c -> each(c,
                x -> x.createStatement().enquoteIdentifier("a\"b", false),
                x -> x.createStatement().enquoteLiteral("it's"),
                x -> x.createStatement().isSimpleIdentifier("abc"),
                x -> { Statement s = x.createStatement(); s.setEscapeProcessing(false); return s.executeQuery("SELECT 1"); },
                x -> { Statement s = x.createStatement(); s.setMaxFieldSize(3); return List.of(s.getMaxFieldSize(),
                        s.executeQuery("SELECT 'abcdef'")); },
                x -> { Statement s = x.createStatement(); s.setPoolable(true); return s.isPoolable(); },
                x -> x.prepareStatement("SELECT 1").isPoolable(),
                x -> { Statement s = x.createStatement(); s.setCursorName("c"); return "set"; }));
        return p;
    }

    @FunctionalInterface
    interface Call {
        Object call() throws Exception;
    }

    static Exception threw(Call call) {
        try {
            call.call();
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
