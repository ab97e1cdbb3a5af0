package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.proxy.Differential.Probe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Connection and savepoint calls of the differential test ({@link JdbcDifferentialTest}). */
final class ConnectionProbes {
    private ConnectionProbes() {}

    /** The rows of {@code sql}, rendered. */
    static String rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return Differential.resultSet(s.executeQuery(sql));
        }
    }

    /** Each call of {@code calls} in turn, its outcome or that it threw. */
    static List<String> each(Connection c, Probe... calls) {
        List<String> out = new ArrayList<>();
        for (Probe p : calls) {
            try {
                out.add(Differential.render(p.run(c)));
            } catch (Exception e) {
                out.add(Differential.thrown(e));
            }
        }
        return out;
    }

    static Map<String, Probe> probes() {
        Map<String, Probe> p = new LinkedHashMap<>();
        p.put("isValid", c -> each(c, x -> x.isValid(0), x -> x.isValid(5), x -> x.isValid(-1)));
        p.put("readOnly", c -> each(c,
                x -> x.isReadOnly(),
                x -> { x.setReadOnly(true); return x.isReadOnly(); },
                x -> rows(x, "SELECT count(*) FROM t"),
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (1, 'ro')"),
                x -> rows(x, "SELECT count(*) FROM w WHERE id = 1"),
                x -> { x.setReadOnly(false); return x.isReadOnly(); },
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (2, 'rw')"),
                x -> rows(x, "SELECT id, v FROM w WHERE id IN (1, 2)")));
        p.put("readOnlyInTransaction", c -> each(c,
                x -> { x.setAutoCommit(false); return rows(x, "SELECT count(*) FROM t"); },
                x -> { x.setReadOnly(true); return x.isReadOnly(); },
                x -> { x.rollback(); x.setReadOnly(true); return x.isReadOnly(); },
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (3, 'ro')"),
                x -> { x.rollback(); x.setAutoCommit(true); x.setReadOnly(false); return x.isReadOnly(); }));
        p.put("readOnlyPrepared", c -> each(c,
                x -> { x.setReadOnly(true); return x.isReadOnly(); },
                x -> { try (PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)")) {
                    ps.setInt(1, 4);
                    ps.setString(2, "ro");
                    return ps.executeUpdate();
                } },
                x -> rows(x, "SELECT count(*) FROM w WHERE id = 4")));
        p.put("transactionIsolation", c -> each(c,
                Connection::getTransactionIsolation,
                x -> { x.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED); return x.getTransactionIsolation(); },
                x -> rows(x, "PRAGMA read_uncommitted"),
                x -> { x.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE); return x.getTransactionIsolation(); },
                x -> rows(x, "PRAGMA read_uncommitted"),
                x -> { x.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); return x.getTransactionIsolation(); },
                x -> { x.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); return x.getTransactionIsolation(); },
                x -> { x.setTransactionIsolation(Connection.TRANSACTION_NONE); return x.getTransactionIsolation(); },
                x -> { x.setTransactionIsolation(12345); return x.getTransactionIsolation(); }));
        p.put("holdability", c -> each(c,
                Connection::getHoldability,
                x -> { x.setHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT); return x.getHoldability(); },
                x -> { x.setHoldability(12345); return x.getHoldability(); }));
        p.put("schemaAndCatalog", c -> each(c,
                Connection::getSchema, Connection::getCatalog,
                x -> { x.setSchema("main"); return x.getSchema(); },
                x -> { x.setSchema("nope"); return x.getSchema(); },
                x -> { x.setCatalog("nope"); return x.getCatalog(); }));
        p.put("networkTimeout", c -> each(c,
                Connection::getNetworkTimeout,
                x -> { x.setNetworkTimeout(Runnable::run, 1000); return x.getNetworkTimeout(); },
                x -> { x.setNetworkTimeout(null, 1000); return x.getNetworkTimeout(); },
                x -> { x.setNetworkTimeout(Runnable::run, -1); return x.getNetworkTimeout(); }));
        p.put("abort", c -> each(c,
                x -> { x.abort(Runnable::run); return x.isClosed(); },
                x -> x.createStatement(),
                x -> x.getAutoCommit(),
                x -> x.isValid(1),
                x -> { x.abort(Runnable::run); return "again"; },
                x -> { x.close(); return x.isClosed(); }));
        p.put("abortNullExecutor", c -> each(c, x -> { x.abort(null); return x.isClosed(); }));
        p.put("warnings", c -> each(c,
                Connection::getWarnings, x -> { x.clearWarnings(); return x.getWarnings(); }));
        p.put("nativeSQL", c -> each(c, x -> x.nativeSQL("SELECT {fn ucase('a')} FROM t"), x -> x.nativeSQL(null)));
        p.put("createStatementKinds", c -> each(c,
                x -> x.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY).getResultSetType(),
                x -> x.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY).getResultSetConcurrency(),
                x -> x.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY),
                x -> x.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE),
                x -> x.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
                        ResultSet.CLOSE_CURSORS_AT_COMMIT).getResultSetHoldability(),
                x -> x.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
                        ResultSet.HOLD_CURSORS_OVER_COMMIT)));
        p.put("prepareReturnGeneratedKeys", c -> each(c, x -> {
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, 'k')",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, 10);
                return List.of(ps.executeUpdate(), ps.getGeneratedKeys());
            }
        }, x -> {
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, 'k')",
                    Statement.NO_GENERATED_KEYS)) {
                ps.setInt(1, 11);
                return List.of(ps.executeUpdate(), ps.getGeneratedKeys());
            }
        }, x -> {
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, 'k')", new String[] {"id"})) {
                ps.setInt(1, 12);
                return List.of(ps.executeUpdate(), ps.getGeneratedKeys());
            }
        }, x -> {
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, 'k')", new int[] {1})) {
                ps.setInt(1, 13);
                return List.of(ps.executeUpdate(), ps.getGeneratedKeys());
            }
        }, x -> {
            try (PreparedStatement ps = x.prepareStatement("UPDATE w SET v = 'u' WHERE id = ?",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, 10);
                return List.of(ps.executeUpdate(), ps.getGeneratedKeys());
            }
        }));
        p.put("wrappers", c -> each(c,
                x -> x.isWrapperFor(Connection.class), x -> x.isWrapperFor(org.sqlite.SQLiteConnection.class),
                x -> x.isWrapperFor(String.class), x -> x.unwrap(Connection.class) != null,
                x -> x.unwrap(org.sqlite.SQLiteConnection.class).getClass().getSimpleName()));
        p.put("unwrapToWhatItIsNot", c -> c.unwrap(String.class));
        p.put("closeTwiceThenUse", c -> each(c,
                x -> { x.close(); return x.isClosed(); }, x -> { x.close(); return x.isClosed(); },
                Connection::createStatement, x -> x.prepareStatement("SELECT 1"), Connection::getAutoCommit,
                x -> { x.setAutoCommit(false); return "set"; }, x -> { x.commit(); return "committed"; },
                x -> { x.rollback(); return "rolled back"; }, Connection::getMetaData, x -> x.isValid(1),
                Connection::getHoldability, Connection::setSavepoint,
                x -> { x.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE); return "set"; }));
        p.put("callsSqliteJdbcAnswersAfterClose", c -> each(c,
                x -> { x.close(); return x.isClosed(); },
                Connection::getTransactionIsolation, Connection::isReadOnly, x -> { x.setReadOnly(true); return "set"; },
                Connection::getWarnings, x -> { x.clearWarnings(); return "cleared"; }, Connection::getSchema,
                Connection::getCatalog, Connection::getNetworkTimeout, x -> x.nativeSQL("SELECT 1"),
                Connection::getClientInfo));
        p.put("autoCommitCalls", c -> each(c,
                Connection::getAutoCommit, x -> { x.commit(); return "committed"; },
                x -> { x.rollback(); return "rolled back"; },
                x -> { x.setAutoCommit(false); return x.getAutoCommit(); },
                x -> { x.setAutoCommit(false); return x.getAutoCommit(); },
                x -> { x.commit(); x.commit(); return "twice"; },
                x -> { x.setAutoCommit(true); return x.getAutoCommit(); }));
        p.put("clientInfoAndTypeMap", c -> each(c,
                Connection::getClientInfo, x -> x.getClientInfo("ApplicationName"),
                x -> { x.setClientInfo("ApplicationName", "app"); return x.getClientInfo("ApplicationName"); },
                Connection::getTypeMap, Connection::createBlob, Connection::createClob,
                x -> x.createArrayOf("INTEGER", new Object[] {1})));
        p.putAll(savepoints());
        return p;
    }

    private static Map<String, Probe> savepoints() {
        Map<String, Probe> p = new LinkedHashMap<>();
        p.put("savepointsNested", c -> each(c,
                x -> { x.setAutoCommit(false); Savepoint a = x.setSavepoint("a");
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (20, 'a')");
                    Savepoint b = x.setSavepoint("b");
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (21, 'b')");
                    Savepoint cc = x.setSavepoint();
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (22, 'c')");
                    x.rollback(b);
                    String afterRollback = rows(x, "SELECT id FROM w WHERE id BETWEEN 20 AND 29");
                    x.releaseSavepoint(a);
                    x.commit();
                    return List.of(a.getSavepointName(), b.getSavepointName(), afterRollback,
                            cc.getSavepointId() > 0); },
                x -> rows(x, "SELECT id, v FROM w WHERE id BETWEEN 20 AND 29"),
                x -> { x.setAutoCommit(true); return "auto"; }));
        p.put("savepointNames", c -> each(c,
                x -> { x.setAutoCommit(false); Savepoint s = x.setSavepoint(); return s.getSavepointName(); },
                x -> { Savepoint s = x.setSavepoint(); return s.getSavepointId(); },
                x -> { Savepoint s = x.setSavepoint("named"); return s.getSavepointId(); },
                x -> { x.rollback(); x.setAutoCommit(true); return "auto"; }));
        p.put("savepointReleaseThenRollbackTo", c -> each(c,
                x -> { x.setAutoCommit(false); Savepoint a = x.setSavepoint("r1");
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (30, 'a')");
                    Savepoint b = x.setSavepoint("r2");
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (31, 'b')");
                    x.releaseSavepoint(b);
                    try {
                        x.rollback(b);
                        return "rolled back to released";
                    } catch (SQLException e) {
                        x.rollback(a);
                        return "threw, then rolled back to outer";
                    } },
                x -> { x.commit(); return rows(x, "SELECT id FROM w WHERE id BETWEEN 30 AND 39"); },
                x -> { x.setAutoCommit(true); return "auto"; }));
        p.put("savepointInAutoCommit", c -> each(c,
                x -> { Savepoint s = x.setSavepoint("ac");
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (40, 'ac')");
                    String inside = String.valueOf(x.getAutoCommit());
                    x.rollback(s);
                    return inside; },
                x -> rows(x, "SELECT count(*) FROM w WHERE id = 40"),
                x -> { Savepoint s = x.setSavepoint("ac2");
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (41, 'ac')");
                    x.releaseSavepoint(s);
                    return x.getAutoCommit(); },
                x -> rows(x, "SELECT count(*) FROM w WHERE id = 41"),
                x -> x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (42, 'after')"),
                x -> { x.rollback(); return rows(x, "SELECT count(*) FROM w WHERE id = 42"); }));
        p.put("savepointRollbackWholeTransaction", c -> each(c,
                x -> { x.setAutoCommit(false); x.setSavepoint("s");
                    x.createStatement().executeUpdate("INSERT INTO w (id, v) VALUES (50, 's')");
                    x.rollback();
                    return rows(x, "SELECT count(*) FROM w WHERE id = 50"); },
                x -> { x.setAutoCommit(true); return "auto"; }));
        return p;
    }
}
