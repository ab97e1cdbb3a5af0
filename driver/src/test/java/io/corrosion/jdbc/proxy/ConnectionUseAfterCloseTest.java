package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once closed or aborted, every call on a connection but {@code isClosed}, {@code close}, {@code abort},
 * {@code isValid} (false) and the wrapper calls fails with 08003, as the README says. sqlite-jdbc answers some of them
 * (getSchema, getWarnings, isReadOnly, nativeSQL, ...) and the driver passed those through: after an abort, whose
 * physical connection is released later on the executor, they even ran on it (setReadOnly failed with HY000).
 */
class ConnectionUseAfterCloseTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @FunctionalInterface
    interface Call {
        Object call(Connection c) throws SQLException;
    }

    private static Map<String, Call> calls() {
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("getSchema", Connection::getSchema);
        calls.put("setSchema", c -> { c.setSchema("main"); return null; });
        calls.put("getCatalog", Connection::getCatalog);
        calls.put("setCatalog", c -> { c.setCatalog("main"); return null; });
        calls.put("isReadOnly", Connection::isReadOnly);
        calls.put("setReadOnly", c -> { c.setReadOnly(true); return null; });
        calls.put("getWarnings", Connection::getWarnings);
        calls.put("clearWarnings", c -> { c.clearWarnings(); return null; });
        calls.put("getNetworkTimeout", Connection::getNetworkTimeout);
        calls.put("setNetworkTimeout", c -> { c.setNetworkTimeout(Runnable::run, 5); return null; });
        calls.put("nativeSQL", c -> c.nativeSQL("SELECT 1"));
        calls.put("getClientInfo", Connection::getClientInfo);
        calls.put("getClientInfo(name)", c -> c.getClientInfo("ApplicationName"));
        calls.put("setClientInfo", c -> { c.setClientInfo("ApplicationName", "app"); return null; });
        calls.put("setClientInfo(properties)", c -> { c.setClientInfo(new Properties()); return null; });
        calls.put("getTypeMap", Connection::getTypeMap);
        calls.put("setTypeMap", c -> { c.setTypeMap(Map.of()); return null; });
        calls.put("getAutoCommit", Connection::getAutoCommit);
        calls.put("getHoldability", Connection::getHoldability);
        calls.put("setHoldability", c -> { c.setHoldability(java.sql.ResultSet.CLOSE_CURSORS_AT_COMMIT); return null; });
        calls.put("getTransactionIsolation", Connection::getTransactionIsolation);
        calls.put("setTransactionIsolation", c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            return null;
        });
        calls.put("rollback", c -> { c.rollback(); return null; });
        calls.put("setSavepoint", Connection::setSavepoint);
        calls.put("setSavepoint(name)", c -> c.setSavepoint("s"));
        calls.put("createBlob", Connection::createBlob);
        calls.put("beginRequest", c -> { c.beginRequest(); return null; });
        return calls;
    }

    /** The calls that did not fail with 08003 on {@code c}, with what they did. */
    private static List<String> not08003(Connection c) {
        return not08003(c, calls());
    }

    private static List<String> not08003(Connection c, Map<String, Call> calls) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Call> e : calls.entrySet()) {
            try {
                wrong.add(e.getKey() + " answered " + e.getValue().call(c));
            } catch (SQLException ex) {
                if (!"08003".equals(ex.getSQLState())) {
                    wrong.add(e.getKey() + " failed with " + ex.getSQLState() + ": " + ex.getMessage());
                }
            } catch (RuntimeException ex) {
                wrong.add(e.getKey() + " threw " + ex);
            }
        }
        return wrong;
    }

    @Test
    void everyCallAfterCloseFailsWith08003() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("closed.db"));
        c.close();
        assertThat(not08003(c)).isEmpty();
        assertThat(c.isValid(1)).isFalse();
        assertThat(c.isClosed()).isTrue();
    }

    /**
     * A statement or result set kept past its connection's close (a database shutdown closes the connections) says
     * 08003, on which pools act: a result set said HY010, and {@code getResultSet()} threw a NullPointerException.
     */
    @Test
    void statementsAndResultSetsOfAClosedConnectionFailWith08003() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("kept.db"));
        java.sql.Statement s = c.createStatement();
        s.execute("SELECT 1 UNION SELECT 2");
        java.sql.Statement idle = c.createStatement();
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT ?");
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT 1 UNION SELECT 2");
        rs.next();
        java.sql.ResultSet tables = c.getMetaData().getTables(null, null, "%", null);
        c.close();
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("executeQuery", x -> s.executeQuery("SELECT 1"));
        calls.put("getResultSet", x -> s.getResultSet());
        calls.put("getResultSet of a statement that never ran", x -> idle.getResultSet());
        calls.put("prepared executeQuery", x -> ps.executeQuery());
        calls.put("setInt", x -> { ps.setInt(1, 1); return null; });
        calls.put("next", x -> rs.next());
        calls.put("getInt", x -> rs.getInt(1));
        calls.put("metadata next", x -> tables.next());
        assertThat(not08003(c, calls)).isEmpty();
    }

    @Test
    void everyCallAfterAbortFailsWith08003BeforeTheExecutorRuns() throws SQLException {
        List<Runnable> later = new ArrayList<>();
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("aborted.db"));
        c.abort(later::add);
        try {
            assertThat(not08003(c)).isEmpty();
            assertThat(c.isValid(1)).isFalse();
        } finally {
            later.forEach(Runnable::run);
        }
    }
}
