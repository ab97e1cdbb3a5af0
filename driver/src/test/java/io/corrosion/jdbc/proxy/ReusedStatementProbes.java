package io.corrosion.jdbc.proxy;

import static io.corrosion.jdbc.proxy.ConnectionProbes.each;
import static io.corrosion.jdbc.proxy.ConnectionProbes.rows;
import static io.corrosion.jdbc.proxy.Differential.attempt;

import io.corrosion.jdbc.proxy.Differential.Probe;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statements prepared again after one of the same SQL closed, for the differential test ({@link JdbcDifferentialTest}):
 * corrosion hands out the closed one's SQLite statement again ({@link StatementCache}), which must answer as a fresh
 * one, and the closed one must stay closed.
 */
final class ReusedStatementProbes {
    private ReusedStatementProbes() {}

    static Map<String, Probe> probes() {
        Map<String, Probe> p = new LinkedHashMap<>();
        p.put("preparedAgainAfterClose", c -> each(c, x -> {
            x.createStatement().executeUpdate("CREATE TABLE IF NOT EXISTS reuse (id INTEGER PRIMARY KEY, v)");
            String sql = "INSERT INTO reuse (id, v) VALUES (?, ?)";
            PreparedStatement first = x.prepareStatement(sql);
            first.setInt(1, 150);
            first.setString(2, "a");
            int firstCount = first.executeUpdate();
            first.setInt(1, 151);
            first.setString(2, "b");
            first.addBatch(); // a batch and parameters left behind
            first.setInt(1, 152);
            first.close();
            PreparedStatement again = x.prepareStatement(sql);
            String batch = attempt(again::executeBatch);
            String unbound = attempt(again::executeUpdate); // NULL, NULL: a key of the driver's for corrosion
            again.setInt(1, 153);
            again.setString(2, "c");
            return List.of(firstCount, batch, unbound, again.executeUpdate(), first.isClosed(), again.isClosed(),
                    rows(x, "SELECT v FROM reuse ORDER BY v"));
        }, x -> {
            String sql = "DELETE FROM w WHERE id = ?";
            PreparedStatement changed = x.prepareStatement(sql);
            List<String> set = List.of(attempt(() -> {
                changed.setQueryTimeout(7);
                return null;
            }), attempt(() -> {
                changed.setMaxRows(3);
                return null;
            }), attempt(() -> {
                changed.setFetchSize(5);
                return null;
            }), attempt(() -> {
                changed.setPoolable(false);
                return null;
            }));
            changed.close();
            PreparedStatement again = x.prepareStatement(sql);
            return List.of(set, again.getQueryTimeout(), again.getMaxRows(), again.getFetchSize(), again.isPoolable(),
                    again.getFetchDirection(), again.getMaxFieldSize(), again.getWarnings() == null);
        }));
        p.put("callsOnStatementClosedWhileAnotherReusesIt", c -> each(c, x -> {
            String sql = "UPDATE w SET v = ? WHERE id = ?";
            PreparedStatement closed = x.prepareStatement(sql);
            closed.setString(1, "bound before close");
            closed.close();
            PreparedStatement open = x.prepareStatement(sql);
            open.setString(1, "kept");
            open.setInt(2, 150);
            List<String> closedCalls = List.of(
                    attempt(() -> {
                        closed.setString(1, "closed");
                        return null;
                    }),
                    attempt(closed::executeUpdate), attempt(closed::execute), attempt(closed::getUpdateCount),
                    attempt(closed::getResultSet), attempt(() -> {
                        closed.clearParameters();
                        return null;
                    }),
                    attempt(() -> {
                        closed.addBatch();
                        return null;
                    }),
                    attempt(closed::executeBatch), attempt(closed::getGeneratedKeys), attempt(closed::isClosed),
                    attempt(() -> {
                        closed.close();
                        return "closed again";
                    }));
            return List.of(closedCalls, open.executeUpdate(), rows(x, "SELECT id, v FROM w WHERE id = 150"));
        }));
        p.put("generatedKeysOfStatementPreparedAgain", c -> each(c, x -> {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PreparedStatement ps = x.prepareStatement("INSERT INTO w (v) VALUES (?)", Statement.RETURN_GENERATED_KEYS);
                ps.setString(1, "key" + i);
                out.add(ps.executeUpdate());
                ResultSet keys = ps.getGeneratedKeys();
                keys.next();
                out.add(rows(x, "SELECT v FROM w WHERE id = " + keys.getLong(1)));
                ps.close();
                out.add(keys.isClosed());
            }
            return out;
        }, x -> {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < 2; i++) { // the second prepare gets the first's statement, which was asked for none
                PreparedStatement ps = x.prepareStatement("UPDATE w SET v = v || '!' WHERE v = ?");
                ps.setString(1, "key0" + "!".repeat(i));
                out.add(ps.executeUpdate());
                out.add(Differential.render(ps.getGeneratedKeys()));
                ps.close();
            }
            return out;
        }));
        return p;
    }
}
