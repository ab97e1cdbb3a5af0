package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.SqlErrors;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;
import java.util.Set;

/**
 * The driver's ResultSet: {@link #getStatement()} answers the statement proxy the application used, and every error
 * gets an SQLState. Everything else goes straight to sqlite-jdbc.
 */
@SuppressWarnings("deprecation")
public class ResultSetProxy implements ResultSet {
    /** Types whose SQL NULL sqlite-jdbc's {@code getObject(i, type)} does not answer with null. */
    private static final Set<Class<?>> NULL_REFUSED =
            Set.of(Integer.class, Long.class, Double.class, Float.class, Boolean.class, Short.class, Byte.class);

    private final Statement statement;
    final ResultSet rs;

    ResultSetProxy(Statement statement, ResultSet rs) {
        this.statement = statement;
        this.rs = rs;
    }

    /** {@code rs} wrapped, or null if {@code rs} is null (no result). */
    static ResultSet wrap(Statement statement, ResultSet rs) {
        return rs == null ? null : new ResultSetProxy(statement, rs);
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    /** As the statement's: once the connection is closed (a shutdown, say), 08003 rather than sqlite-jdbc's HY010. */
    final SQLException translate(SQLException e) {
        return statement instanceof StatementProxy s ? s.translate(e) : SqlErrors.translate(e);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return ResultSetMetaDataProxy.wrap(rs.getMetaData());
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Wrappers.unwrap(this, rs, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return Wrappers.isWrapperFor(this, rs, iface);
    }

    @Override
    public String toString() {
        return "ResultSetProxy[" + rs + "]";
    }

    /*
     * Integers wider than an int: sqlite-jdbc returns their low 32 bits from getInt, silently. Generated keys pass
     * 2^31 after about two million rows per node and table (they are interleaved by node slot), so a Java int read of
     * one must fail loudly, not hand Hibernate or jOOQ another row's id.
     */

    @Override
    public int getInt(int columnIndex) throws SQLException {
        try {
            return toInt(rs.getLong(columnIndex), columnIndex);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        try {
            return toInt(rs.getLong(columnLabel), rs.findColumn(columnLabel));
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * As sqlite-jdbc answers, but for two things. An SQL NULL is null, as JDBC has it, where sqlite-jdbc refuses it for
     * {@code Integer}, {@code Long}, {@code Double} and {@code Float} ("Bad value for type ...") and answers
     * {@code false} for {@code Boolean}. And an {@code Integer} outside the int range fails (22003) instead of wrapping.
     * sqlite-jdbc answers {@code Integer.class} for INTEGER and REAL values only: TEXT and BLOB are refused.
     * {@code Short} and {@code Byte}, which sqlite-jdbc does not implement, are read as {@code Integer} is, each with its
     * own range.
     */
    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        try {
            if (NULL_REFUSED.contains(type) && rs.getObject(columnIndex) == null) {
                return null;
            }
            if (type == Short.class || type == Byte.class) {
                rs.getObject(columnIndex, Integer.class); // refuses TEXT and BLOB as for Integer
                long value = rs.getLong(columnIndex);
                if (type == Short.class) {
                    return type.cast((short) narrow(value, Short.MIN_VALUE, Short.MAX_VALUE, columnIndex, "short"));
                }
                return type.cast((byte) narrow(value, Byte.MIN_VALUE, Byte.MAX_VALUE, columnIndex, "byte"));
            }
            T value = rs.getObject(columnIndex, type);
            return type == Integer.class ? type.cast(toInt(rs.getLong(columnIndex), columnIndex)) : value;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        try {
            return getObject(rs.findColumn(columnLabel), type);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static long narrow(long value, long min, long max, int column, String type) throws SQLException {
        if (value < min || value > max) {
            throw new SQLException("Column " + column + " holds " + value + ", which does not fit a Java " + type
                    + "; read it with getInt or getLong", "22003");
        }
        return value;
    }

    private static int toInt(long value, int column) throws SQLException {
        int narrow = (int) value;
        if (narrow != value) {
            throw new SQLException("Column " + column + " holds " + value + ", which does not fit a Java int; read "
                    + "it with getLong (for generated keys: map the id as Long, or declare the key BIGINT)", "22003");
        }
        return narrow;
    }

    // Plain delegation below: sqlite-jdbc does the work, SqlErrors gives the error its SQLState.

    @Override public boolean absolute(int n) throws SQLException { try { return rs.absolute(n); } catch (SQLException e) { throw translate(e); } }
    @Override public void afterLast() throws SQLException { try { rs.afterLast(); } catch (SQLException e) { throw translate(e); } }
    @Override public void beforeFirst() throws SQLException { try { rs.beforeFirst(); } catch (SQLException e) { throw translate(e); } }
    @Override public void cancelRowUpdates() throws SQLException { try { rs.cancelRowUpdates(); } catch (SQLException e) { throw translate(e); } }
    @Override public void clearWarnings() throws SQLException { try { rs.clearWarnings(); } catch (SQLException e) { throw translate(e); } }
    /** Closes the results; an auto-commit RETURNING write commits now, which the connection's hook hears. */
    @Override
    public void close() throws SQLException {
        try {
            rs.close();
        } catch (SQLException e) {
            throw translate(e);
        }
        resultsDone();
    }

    private void resultsDone() {
        if (statement instanceof StatementProxy s && s.resultsEndHooked()) { // a plain read's results: nothing to hear
            s.connection.resultsDone();
        }
    }
    @Override public void deleteRow() throws SQLException { try { rs.deleteRow(); } catch (SQLException e) { throw translate(e); } }
    @Override public int findColumn(String columnLabel) throws SQLException { try { return rs.findColumn(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean first() throws SQLException { try { return rs.first(); } catch (SQLException e) { throw translate(e); } }
    @Override public Array getArray(String columnLabel) throws SQLException { try { return rs.getArray(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Array getArray(int columnIndex) throws SQLException { try { return rs.getArray(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public InputStream getAsciiStream(String columnLabel) throws SQLException { try { return rs.getAsciiStream(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public InputStream getAsciiStream(int columnIndex) throws SQLException { try { return rs.getAsciiStream(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Deprecated @Override public BigDecimal getBigDecimal(String columnLabel, int n1) throws SQLException { try { return rs.getBigDecimal(columnLabel, n1); } catch (SQLException e) { throw translate(e); } }
    @Override public BigDecimal getBigDecimal(String columnLabel) throws SQLException { try { return rs.getBigDecimal(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Deprecated @Override public BigDecimal getBigDecimal(int columnIndex, int n1) throws SQLException { try { return rs.getBigDecimal(columnIndex, n1); } catch (SQLException e) { throw translate(e); } }
    @Override public BigDecimal getBigDecimal(int columnIndex) throws SQLException { try { return rs.getBigDecimal(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public InputStream getBinaryStream(String columnLabel) throws SQLException { try { return rs.getBinaryStream(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public InputStream getBinaryStream(int columnIndex) throws SQLException { try { return rs.getBinaryStream(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Blob getBlob(String columnLabel) throws SQLException { try { return rs.getBlob(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Blob getBlob(int columnIndex) throws SQLException { try { return rs.getBlob(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean getBoolean(String columnLabel) throws SQLException { try { return rs.getBoolean(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean getBoolean(int columnIndex) throws SQLException { try { return rs.getBoolean(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public byte getByte(String columnLabel) throws SQLException { try { return rs.getByte(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public byte getByte(int columnIndex) throws SQLException { try { return rs.getByte(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public byte[] getBytes(String columnLabel) throws SQLException { try { return rs.getBytes(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public byte[] getBytes(int columnIndex) throws SQLException { try { return rs.getBytes(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Reader getCharacterStream(String columnLabel) throws SQLException { try { return rs.getCharacterStream(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Reader getCharacterStream(int columnIndex) throws SQLException { try { return rs.getCharacterStream(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Clob getClob(String columnLabel) throws SQLException { try { return rs.getClob(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Clob getClob(int columnIndex) throws SQLException { try { return rs.getClob(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public int getConcurrency() throws SQLException { try { return rs.getConcurrency(); } catch (SQLException e) { throw translate(e); } }
    @Override public String getCursorName() throws SQLException { try { return rs.getCursorName(); } catch (SQLException e) { throw translate(e); } }
    @Override public Date getDate(String columnLabel, Calendar calendar1) throws SQLException { try { return rs.getDate(columnLabel, calendar1); } catch (SQLException e) { throw translate(e); } }
    @Override public Date getDate(String columnLabel) throws SQLException { try { return rs.getDate(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Date getDate(int columnIndex, Calendar calendar1) throws SQLException { try { return rs.getDate(columnIndex, calendar1); } catch (SQLException e) { throw translate(e); } }
    @Override public Date getDate(int columnIndex) throws SQLException { try { return rs.getDate(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public double getDouble(String columnLabel) throws SQLException { try { return rs.getDouble(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public double getDouble(int columnIndex) throws SQLException { try { return rs.getDouble(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public int getFetchDirection() throws SQLException { try { return rs.getFetchDirection(); } catch (SQLException e) { throw translate(e); } }
    @Override public int getFetchSize() throws SQLException { try { return rs.getFetchSize(); } catch (SQLException e) { throw translate(e); } }
    @Override public float getFloat(String columnLabel) throws SQLException { try { return rs.getFloat(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public float getFloat(int columnIndex) throws SQLException { try { return rs.getFloat(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public int getHoldability() throws SQLException { try { return rs.getHoldability(); } catch (SQLException e) { throw translate(e); } }
    @Override public long getLong(String columnLabel) throws SQLException { try { return rs.getLong(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public long getLong(int columnIndex) throws SQLException { try { return rs.getLong(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Reader getNCharacterStream(String columnLabel) throws SQLException { try { return rs.getNCharacterStream(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Reader getNCharacterStream(int columnIndex) throws SQLException { try { return rs.getNCharacterStream(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public NClob getNClob(String columnLabel) throws SQLException { try { return rs.getNClob(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public NClob getNClob(int columnIndex) throws SQLException { try { return rs.getNClob(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public String getNString(String columnLabel) throws SQLException { try { return rs.getNString(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public String getNString(int columnIndex) throws SQLException { try { return rs.getNString(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Object getObject(String columnLabel, Map<String, Class<?>> map1) throws SQLException { try { return rs.getObject(columnLabel, map1); } catch (SQLException e) { throw translate(e); } }
    @Override public Object getObject(String columnLabel) throws SQLException { try { return rs.getObject(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Object getObject(int columnIndex, Map<String, Class<?>> map1) throws SQLException { try { return rs.getObject(columnIndex, map1); } catch (SQLException e) { throw translate(e); } }
    @Override public Object getObject(int columnIndex) throws SQLException { try { return rs.getObject(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Ref getRef(String columnLabel) throws SQLException { try { return rs.getRef(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Ref getRef(int columnIndex) throws SQLException { try { return rs.getRef(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public int getRow() throws SQLException { try { return rs.getRow(); } catch (SQLException e) { throw translate(e); } }
    @Override public RowId getRowId(String columnLabel) throws SQLException { try { return rs.getRowId(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public RowId getRowId(int columnIndex) throws SQLException { try { return rs.getRowId(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public SQLXML getSQLXML(String columnLabel) throws SQLException { try { return rs.getSQLXML(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public SQLXML getSQLXML(int columnIndex) throws SQLException { try { return rs.getSQLXML(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public short getShort(String columnLabel) throws SQLException { try { return rs.getShort(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public short getShort(int columnIndex) throws SQLException { try { return rs.getShort(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public String getString(String columnLabel) throws SQLException { try { return rs.getString(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public String getString(int columnIndex) throws SQLException { try { return rs.getString(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Time getTime(String columnLabel, Calendar calendar1) throws SQLException { try { return rs.getTime(columnLabel, calendar1); } catch (SQLException e) { throw translate(e); } }
    @Override public Time getTime(String columnLabel) throws SQLException { try { return rs.getTime(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Time getTime(int columnIndex, Calendar calendar1) throws SQLException { try { return rs.getTime(columnIndex, calendar1); } catch (SQLException e) { throw translate(e); } }
    @Override public Time getTime(int columnIndex) throws SQLException { try { return rs.getTime(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public Timestamp getTimestamp(String columnLabel, Calendar calendar1) throws SQLException { try { return rs.getTimestamp(columnLabel, calendar1); } catch (SQLException e) { throw translate(e); } }
    @Override public Timestamp getTimestamp(String columnLabel) throws SQLException { try { return rs.getTimestamp(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public Timestamp getTimestamp(int columnIndex, Calendar calendar1) throws SQLException { try { return rs.getTimestamp(columnIndex, calendar1); } catch (SQLException e) { throw translate(e); } }
    @Override public Timestamp getTimestamp(int columnIndex) throws SQLException { try { return rs.getTimestamp(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public int getType() throws SQLException { try { return rs.getType(); } catch (SQLException e) { throw translate(e); } }
    @Override public URL getURL(String columnLabel) throws SQLException { try { return rs.getURL(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public URL getURL(int columnIndex) throws SQLException { try { return rs.getURL(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Deprecated @Override public InputStream getUnicodeStream(String columnLabel) throws SQLException { try { return rs.getUnicodeStream(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Deprecated @Override public InputStream getUnicodeStream(int columnIndex) throws SQLException { try { return rs.getUnicodeStream(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public SQLWarning getWarnings() throws SQLException { try { return rs.getWarnings(); } catch (SQLException e) { throw translate(e); } }
    @Override public void insertRow() throws SQLException { try { rs.insertRow(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isAfterLast() throws SQLException { try { return rs.isAfterLast(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isBeforeFirst() throws SQLException { try { return rs.isBeforeFirst(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isClosed() throws SQLException { try { return rs.isClosed(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isFirst() throws SQLException { try { return rs.isFirst(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isLast() throws SQLException { try { return rs.isLast(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean last() throws SQLException { try { return rs.last(); } catch (SQLException e) { throw translate(e); } }
    @Override public void moveToCurrentRow() throws SQLException { try { rs.moveToCurrentRow(); } catch (SQLException e) { throw translate(e); } }
    @Override public void moveToInsertRow() throws SQLException { try { rs.moveToInsertRow(); } catch (SQLException e) { throw translate(e); } }
    /** The next row; past the last one, an auto-commit RETURNING write has committed, which the connection's hook hears. */
    @Override
    public boolean next() throws SQLException {
        boolean row;
        try {
            row = rs.next();
        } catch (SQLException e) {
            throw translate(e);
        }
        if (!row) {
            resultsDone();
        }
        return row;
    }
    @Override public boolean previous() throws SQLException { try { return rs.previous(); } catch (SQLException e) { throw translate(e); } }
    @Override public void refreshRow() throws SQLException { try { rs.refreshRow(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean relative(int n) throws SQLException { try { return rs.relative(n); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean rowDeleted() throws SQLException { try { return rs.rowDeleted(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean rowInserted() throws SQLException { try { return rs.rowInserted(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean rowUpdated() throws SQLException { try { return rs.rowUpdated(); } catch (SQLException e) { throw translate(e); } }
    @Override public void setFetchDirection(int n) throws SQLException { try { rs.setFetchDirection(n); } catch (SQLException e) { throw translate(e); } }
    @Override public void setFetchSize(int n) throws SQLException { try { rs.setFetchSize(n); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateArray(String columnLabel, Array x) throws SQLException { try { rs.updateArray(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateArray(int columnIndex, Array x) throws SQLException { try { rs.updateArray(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateAsciiStream(String columnLabel, InputStream x, int n2) throws SQLException { try { rs.updateAsciiStream(columnLabel, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateAsciiStream(String columnLabel, InputStream x, long length2) throws SQLException { try { rs.updateAsciiStream(columnLabel, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateAsciiStream(String columnLabel, InputStream x) throws SQLException { try { rs.updateAsciiStream(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateAsciiStream(int columnIndex, InputStream x, int n2) throws SQLException { try { rs.updateAsciiStream(columnIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateAsciiStream(int columnIndex, InputStream x, long length2) throws SQLException { try { rs.updateAsciiStream(columnIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateAsciiStream(int columnIndex, InputStream x) throws SQLException { try { rs.updateAsciiStream(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBigDecimal(String columnLabel, BigDecimal x) throws SQLException { try { rs.updateBigDecimal(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBigDecimal(int columnIndex, BigDecimal x) throws SQLException { try { rs.updateBigDecimal(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBinaryStream(String columnLabel, InputStream x, int n2) throws SQLException { try { rs.updateBinaryStream(columnLabel, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBinaryStream(String columnLabel, InputStream x, long length2) throws SQLException { try { rs.updateBinaryStream(columnLabel, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBinaryStream(String columnLabel, InputStream x) throws SQLException { try { rs.updateBinaryStream(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBinaryStream(int columnIndex, InputStream x, int n2) throws SQLException { try { rs.updateBinaryStream(columnIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBinaryStream(int columnIndex, InputStream x, long length2) throws SQLException { try { rs.updateBinaryStream(columnIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBinaryStream(int columnIndex, InputStream x) throws SQLException { try { rs.updateBinaryStream(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBlob(String columnLabel, InputStream x, long length2) throws SQLException { try { rs.updateBlob(columnLabel, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBlob(String columnLabel, InputStream x) throws SQLException { try { rs.updateBlob(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBlob(String columnLabel, Blob x) throws SQLException { try { rs.updateBlob(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBlob(int columnIndex, InputStream x, long length2) throws SQLException { try { rs.updateBlob(columnIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBlob(int columnIndex, InputStream x) throws SQLException { try { rs.updateBlob(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBlob(int columnIndex, Blob x) throws SQLException { try { rs.updateBlob(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBoolean(String columnLabel, boolean x) throws SQLException { try { rs.updateBoolean(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBoolean(int columnIndex, boolean x) throws SQLException { try { rs.updateBoolean(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateByte(String columnLabel, byte x) throws SQLException { try { rs.updateByte(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateByte(int columnIndex, byte x) throws SQLException { try { rs.updateByte(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBytes(String columnLabel, byte[] x) throws SQLException { try { rs.updateBytes(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateBytes(int columnIndex, byte[] x) throws SQLException { try { rs.updateBytes(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateCharacterStream(String columnLabel, Reader x, int n2) throws SQLException { try { rs.updateCharacterStream(columnLabel, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateCharacterStream(String columnLabel, Reader x, long length2) throws SQLException { try { rs.updateCharacterStream(columnLabel, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateCharacterStream(String columnLabel, Reader x) throws SQLException { try { rs.updateCharacterStream(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateCharacterStream(int columnIndex, Reader x, int n2) throws SQLException { try { rs.updateCharacterStream(columnIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateCharacterStream(int columnIndex, Reader x, long length2) throws SQLException { try { rs.updateCharacterStream(columnIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateCharacterStream(int columnIndex, Reader x) throws SQLException { try { rs.updateCharacterStream(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateClob(String columnLabel, Reader x, long length2) throws SQLException { try { rs.updateClob(columnLabel, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateClob(String columnLabel, Reader x) throws SQLException { try { rs.updateClob(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateClob(String columnLabel, Clob x) throws SQLException { try { rs.updateClob(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateClob(int columnIndex, Reader x, long length2) throws SQLException { try { rs.updateClob(columnIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateClob(int columnIndex, Reader x) throws SQLException { try { rs.updateClob(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateClob(int columnIndex, Clob x) throws SQLException { try { rs.updateClob(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateDate(String columnLabel, Date x) throws SQLException { try { rs.updateDate(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateDate(int columnIndex, Date x) throws SQLException { try { rs.updateDate(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateDouble(String columnLabel, double x) throws SQLException { try { rs.updateDouble(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateDouble(int columnIndex, double x) throws SQLException { try { rs.updateDouble(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateFloat(String columnLabel, float x) throws SQLException { try { rs.updateFloat(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateFloat(int columnIndex, float x) throws SQLException { try { rs.updateFloat(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateInt(String columnLabel, int x) throws SQLException { try { rs.updateInt(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateInt(int columnIndex, int x) throws SQLException { try { rs.updateInt(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateLong(String columnLabel, long x) throws SQLException { try { rs.updateLong(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateLong(int columnIndex, long x) throws SQLException { try { rs.updateLong(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNCharacterStream(String columnLabel, Reader x, long length2) throws SQLException { try { rs.updateNCharacterStream(columnLabel, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNCharacterStream(String columnLabel, Reader x) throws SQLException { try { rs.updateNCharacterStream(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNCharacterStream(int columnIndex, Reader x, long length2) throws SQLException { try { rs.updateNCharacterStream(columnIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNCharacterStream(int columnIndex, Reader x) throws SQLException { try { rs.updateNCharacterStream(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNClob(String columnLabel, Reader x, long length2) throws SQLException { try { rs.updateNClob(columnLabel, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNClob(String columnLabel, Reader x) throws SQLException { try { rs.updateNClob(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNClob(String columnLabel, NClob x) throws SQLException { try { rs.updateNClob(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNClob(int columnIndex, Reader x, long length2) throws SQLException { try { rs.updateNClob(columnIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNClob(int columnIndex, Reader x) throws SQLException { try { rs.updateNClob(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNClob(int columnIndex, NClob x) throws SQLException { try { rs.updateNClob(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNString(String columnLabel, String x) throws SQLException { try { rs.updateNString(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNString(int columnIndex, String x) throws SQLException { try { rs.updateNString(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNull(String columnLabel) throws SQLException { try { rs.updateNull(columnLabel); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateNull(int columnIndex) throws SQLException { try { rs.updateNull(columnIndex); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(String columnLabel, Object x, int n2) throws SQLException { try { rs.updateObject(columnLabel, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(String columnLabel, Object x, SQLType sQLType2, int n3) throws SQLException { try { rs.updateObject(columnLabel, x, sQLType2, n3); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(String columnLabel, Object x, SQLType sQLType2) throws SQLException { try { rs.updateObject(columnLabel, x, sQLType2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(String columnLabel, Object x) throws SQLException { try { rs.updateObject(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(int columnIndex, Object x, int n2) throws SQLException { try { rs.updateObject(columnIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(int columnIndex, Object x, SQLType sQLType2, int n3) throws SQLException { try { rs.updateObject(columnIndex, x, sQLType2, n3); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(int columnIndex, Object x, SQLType sQLType2) throws SQLException { try { rs.updateObject(columnIndex, x, sQLType2); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateObject(int columnIndex, Object x) throws SQLException { try { rs.updateObject(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateRef(String columnLabel, Ref x) throws SQLException { try { rs.updateRef(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateRef(int columnIndex, Ref x) throws SQLException { try { rs.updateRef(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateRow() throws SQLException { try { rs.updateRow(); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateRowId(String columnLabel, RowId x) throws SQLException { try { rs.updateRowId(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateRowId(int columnIndex, RowId x) throws SQLException { try { rs.updateRowId(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateSQLXML(String columnLabel, SQLXML x) throws SQLException { try { rs.updateSQLXML(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateSQLXML(int columnIndex, SQLXML x) throws SQLException { try { rs.updateSQLXML(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateShort(String columnLabel, short x) throws SQLException { try { rs.updateShort(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateShort(int columnIndex, short x) throws SQLException { try { rs.updateShort(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateString(String columnLabel, String x) throws SQLException { try { rs.updateString(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateString(int columnIndex, String x) throws SQLException { try { rs.updateString(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateTime(String columnLabel, Time x) throws SQLException { try { rs.updateTime(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateTime(int columnIndex, Time x) throws SQLException { try { rs.updateTime(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateTimestamp(String columnLabel, Timestamp x) throws SQLException { try { rs.updateTimestamp(columnLabel, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void updateTimestamp(int columnIndex, Timestamp x) throws SQLException { try { rs.updateTimestamp(columnIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean wasNull() throws SQLException { try { return rs.wasNull(); } catch (SQLException e) { throw translate(e); } }
}
