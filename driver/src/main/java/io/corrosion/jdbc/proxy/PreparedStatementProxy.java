package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.intercept.ParameterBinder;
import io.corrosion.jdbc.intercept.SqlPlan;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * The driver's PreparedStatement. The SQL was planned and (unless a plain read) rewritten by the hook once, when the
 * statement was prepared; each execution costs one delegated call plus, for non-reads, the hook's
 * {@code afterExecute}.
 */
@SuppressWarnings("deprecation")
public final class PreparedStatementProxy extends StatementProxy implements PreparedStatement {
    private final PreparedStatement ps;
    private final SqlPlan plan;
    private final boolean hooked;
    private final ParameterBinder binder;

    PreparedStatementProxy(ConnectionProxy connection, PreparedStatement ps, SqlPlan plan, ParameterBinder binder) {
        super(connection, ps);
        this.ps = ps;
        this.plan = plan;
        this.hooked = !plan.plainRead();
        this.binder = binder;
    }

    /** Binds what the hook appended, before an execution or a batch row. */
    private void bindAppended() throws SQLException {
        if (binder != null) {
            binder.bind(ps);
        }
    }

    /** The plan of the SQL this statement was prepared with. */
    public SqlPlan plan() {
        return plan;
    }

    private void beforeExecute() throws SQLException {
        connection.statementStarting();
        if (hooked) {
            connection.beforeExecute(plan);
        }
    }

    private void afterExecute() throws SQLException {
        if (hooked) {
            connection.afterExecute(plan);
        }
    }

    private SQLException failed(SQLException e) {
        if (hooked) {
            connection.afterFailure(plan);
        }
        return SqlErrors.translate(e);
    }

    @Override
    void beforeBatch() throws SQLException {
        beforeExecute();
    }

    @Override
    void batchFailed() {
        if (hooked) {
            connection.afterFailure(plan);
        }
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        try {
            bindAppended();
            beforeExecute();
            ResultSet rs = ps.executeQuery();
            afterExecute();
            return wrap(rs);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        try {
            bindAppended();
            beforeExecute();
            int count = ps.executeUpdate();
            afterExecute();
            return count;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        try {
            bindAppended();
            beforeExecute();
            long count = ps.executeLargeUpdate();
            afterExecute();
            return count;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute() throws SQLException {
        try {
            bindAppended();
            beforeExecute();
            boolean hasResultSet = ps.execute();
            afterExecute();
            return hasResultSet;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void addBatch() throws SQLException {
        try {
            bindAppended();
            ps.addBatch();
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return batched(() -> {
            int[] counts = ps.executeBatch();
            afterExecute();
            return counts;
        });
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return batched(() -> {
            long[] counts = ps.executeLargeBatch();
            afterExecute();
            return counts;
        });
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return ResultSetMetaDataProxy.wrap(ps.getMetaData());
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        try {
            return ParameterMetaDataProxy.wrap(ps.getParameterMetaData(),
                    binder == null ? 0 : binder.appendedParameters());
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    // Plain delegation below.

    @Override public void clearParameters() throws SQLException { try { ps.clearParameters(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setArray(int parameterIndex, Array x) throws SQLException { try { ps.setArray(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setAsciiStream(int parameterIndex, InputStream x, int n2) throws SQLException { try { ps.setAsciiStream(parameterIndex, x, n2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setAsciiStream(int parameterIndex, InputStream x, long length2) throws SQLException { try { ps.setAsciiStream(parameterIndex, x, length2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException { try { ps.setAsciiStream(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException { try { ps.setBigDecimal(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBinaryStream(int parameterIndex, InputStream x, int n2) throws SQLException { try { ps.setBinaryStream(parameterIndex, x, n2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBinaryStream(int parameterIndex, InputStream x, long length2) throws SQLException { try { ps.setBinaryStream(parameterIndex, x, length2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException { try { ps.setBinaryStream(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBlob(int parameterIndex, InputStream x, long length2) throws SQLException { try { ps.setBlob(parameterIndex, x, length2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBlob(int parameterIndex, InputStream x) throws SQLException { try { ps.setBlob(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBlob(int parameterIndex, Blob x) throws SQLException { try { ps.setBlob(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBoolean(int parameterIndex, boolean x) throws SQLException { try { ps.setBoolean(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setByte(int parameterIndex, byte x) throws SQLException { try { ps.setByte(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setBytes(int parameterIndex, byte[] x) throws SQLException { try { ps.setBytes(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setCharacterStream(int parameterIndex, Reader x, int n2) throws SQLException { try { ps.setCharacterStream(parameterIndex, x, n2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setCharacterStream(int parameterIndex, Reader x, long length2) throws SQLException { try { ps.setCharacterStream(parameterIndex, x, length2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setCharacterStream(int parameterIndex, Reader x) throws SQLException { try { ps.setCharacterStream(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setClob(int parameterIndex, Reader x, long length2) throws SQLException { try { ps.setClob(parameterIndex, x, length2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setClob(int parameterIndex, Reader x) throws SQLException { try { ps.setClob(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setClob(int parameterIndex, Clob x) throws SQLException { try { ps.setClob(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setDate(int parameterIndex, Date x, Calendar calendar2) throws SQLException { try { ps.setDate(parameterIndex, x, calendar2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setDate(int parameterIndex, Date x) throws SQLException { try { ps.setDate(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setDouble(int parameterIndex, double x) throws SQLException { try { ps.setDouble(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setFloat(int parameterIndex, float x) throws SQLException { try { ps.setFloat(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setInt(int parameterIndex, int x) throws SQLException { try { ps.setInt(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setLong(int parameterIndex, long x) throws SQLException { try { ps.setLong(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNCharacterStream(int parameterIndex, Reader x, long length2) throws SQLException { try { ps.setNCharacterStream(parameterIndex, x, length2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNCharacterStream(int parameterIndex, Reader x) throws SQLException { try { ps.setNCharacterStream(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNClob(int parameterIndex, Reader x, long length2) throws SQLException { try { ps.setNClob(parameterIndex, x, length2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNClob(int parameterIndex, Reader x) throws SQLException { try { ps.setNClob(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNClob(int parameterIndex, NClob x) throws SQLException { try { ps.setNClob(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNString(int parameterIndex, String x) throws SQLException { try { ps.setNString(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNull(int parameterIndex, int x, String s2) throws SQLException { try { ps.setNull(parameterIndex, x, s2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setNull(int parameterIndex, int x) throws SQLException { try { ps.setNull(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, int n2, int n3) throws SQLException { try { ps.setObject(parameterIndex, x, n2, n3); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, int n2) throws SQLException { try { ps.setObject(parameterIndex, x, n2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, SQLType sQLType2, int n3) throws SQLException { try { ps.setObject(parameterIndex, x, sQLType2, n3); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, SQLType sQLType2) throws SQLException { try { ps.setObject(parameterIndex, x, sQLType2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setObject(int parameterIndex, Object x) throws SQLException { try { ps.setObject(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setRef(int parameterIndex, Ref x) throws SQLException { try { ps.setRef(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setRowId(int parameterIndex, RowId x) throws SQLException { try { ps.setRowId(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setSQLXML(int parameterIndex, SQLXML x) throws SQLException { try { ps.setSQLXML(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setShort(int parameterIndex, short x) throws SQLException { try { ps.setShort(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setString(int parameterIndex, String x) throws SQLException { try { ps.setString(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setTime(int parameterIndex, Time x, Calendar calendar2) throws SQLException { try { ps.setTime(parameterIndex, x, calendar2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setTime(int parameterIndex, Time x) throws SQLException { try { ps.setTime(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setTimestamp(int parameterIndex, Timestamp x, Calendar calendar2) throws SQLException { try { ps.setTimestamp(parameterIndex, x, calendar2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException { try { ps.setTimestamp(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public void setURL(int parameterIndex, URL x) throws SQLException { try { ps.setURL(parameterIndex, x); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Deprecated @Override public void setUnicodeStream(int parameterIndex, InputStream x, int n2) throws SQLException { try { ps.setUnicodeStream(parameterIndex, x, n2); } catch (SQLException e) { throw SqlErrors.translate(e); } }
}
