package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.replication.NodeReplication;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.ShardingKey;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.sqlite.SQLiteConnection;

/**
 * The JDBC calls {@link ConnectionProxy} hands to the sqlite-jdbc connection as they are: on a closed (or aborted)
 * connection each fails with 08003 first, and sqlite-jdbc's errors get their SQLState ({@link SqlErrors#translate}).
 */
abstract class DelegatedCalls extends NodeApiConnection {
    DelegatedCalls(CrrApi crr, NodeReplication replication) {
        super(crr, replication);
    }

    /** The sqlite-jdbc connection underneath. */
    abstract SQLiteConnection raw();

    /** Closed by the application or by its database's shutdown. */
    abstract boolean wasClosed();

    /** {@link #checkOpen} for the client-info setters, whose contract is {@link SQLClientInfoException}. */
    private void clientInfoOpen() throws SQLClientInfoException {
        if (wasClosed()) {
            SQLException e = SqlErrors.connectionClosed();
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), 0, Map.of(), e);
        }
    }

    @Override public void beginRequest() throws SQLException { try { checkOpen(); raw().beginRequest(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void clearWarnings() throws SQLException { try { checkOpen(); raw().clearWarnings(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public Array createArrayOf(String s, Object[] objects1) throws SQLException { try { checkOpen(); return raw().createArrayOf(s, objects1); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public Blob createBlob() throws SQLException { try { checkOpen(); return raw().createBlob(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public Clob createClob() throws SQLException { try { checkOpen(); return raw().createClob(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public NClob createNClob() throws SQLException { try { checkOpen(); return raw().createNClob(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public SQLXML createSQLXML() throws SQLException { try { checkOpen(); return raw().createSQLXML(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public Struct createStruct(String s, Object[] objects1) throws SQLException { try { checkOpen(); return raw().createStruct(s, objects1); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void endRequest() throws SQLException { try { checkOpen(); raw().endRequest(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean getAutoCommit() throws SQLException { try { checkOpen(); return raw().getAutoCommit(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getCatalog() throws SQLException { try { checkOpen(); return raw().getCatalog(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public Properties getClientInfo() throws SQLException { try { checkOpen(); return raw().getClientInfo(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getClientInfo(String s) throws SQLException { try { checkOpen(); return raw().getClientInfo(s); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getHoldability() throws SQLException { try { checkOpen(); return raw().getHoldability(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getNetworkTimeout() throws SQLException { try { checkOpen(); return raw().getNetworkTimeout(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getSchema() throws SQLException { try { checkOpen(); return raw().getSchema(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getTransactionIsolation() throws SQLException { checkOpen(); return raw().getTransactionIsolation(); }
    @Override public Map<String, Class<?>> getTypeMap() throws SQLException { try { checkOpen(); return raw().getTypeMap(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public SQLWarning getWarnings() throws SQLException { try { checkOpen(); return raw().getWarnings(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isReadOnly() throws SQLException { try { checkOpen(); return raw().isReadOnly(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isValid(int n) throws SQLException { if (wasClosed()) { return false; } try { return raw().isValid(n); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String nativeSQL(String s) throws SQLException { try { checkOpen(); return raw().nativeSQL(s); } catch (SQLException e) { throw SqlErrors.translate(e); } }

    @Override public void setCatalog(String s) throws SQLException { try { checkOpen(); raw().setCatalog(s); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setClientInfo(String name, String value) throws SQLClientInfoException { clientInfoOpen(); raw().setClientInfo(name, value); }
    @Override public void setClientInfo(Properties properties) throws SQLClientInfoException { clientInfoOpen(); raw().setClientInfo(properties); }
    @Override public void setHoldability(int n) throws SQLException { try { checkOpen(); raw().setHoldability(n); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNetworkTimeout(Executor executor, int x) throws SQLException { try { checkOpen(); raw().setNetworkTimeout(executor, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setReadOnly(boolean flag) throws SQLException { try { checkOpen(); raw().setReadOnly(flag); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setSchema(String s) throws SQLException { try { checkOpen(); raw().setSchema(s); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setShardingKey(ShardingKey shardingKey, ShardingKey x) throws SQLException { try { checkOpen(); raw().setShardingKey(shardingKey, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setShardingKey(ShardingKey shardingKey) throws SQLException { try { checkOpen(); raw().setShardingKey(shardingKey); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean setShardingKeyIfValid(ShardingKey shardingKey, int x) throws SQLException { try { checkOpen(); return raw().setShardingKeyIfValid(shardingKey, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey x, int n2) throws SQLException { try { checkOpen(); return raw().setShardingKeyIfValid(shardingKey, x, n2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setTransactionIsolation(int n) throws SQLException { try { checkOpen(); raw().setTransactionIsolation(n); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setTypeMap(Map<String, Class<?>> map) throws SQLException { try { checkOpen(); raw().setTypeMap(map); } catch (SQLException e) { throw SqlErrors.translate(e); } }
}
