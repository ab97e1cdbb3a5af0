package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.SqlErrors;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** ResultSetMetaData whose errors carry an SQLState. */
final class ResultSetMetaDataProxy implements ResultSetMetaData {
    private final ResultSetMetaData md;

    private ResultSetMetaDataProxy(ResultSetMetaData md) {
        this.md = md;
    }

    static ResultSetMetaData wrap(ResultSetMetaData md) {
        return md == null ? null : new ResultSetMetaDataProxy(md);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : md.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || md.isWrapperFor(iface);
    }

    @Override public String getCatalogName(int column) throws SQLException { try { return md.getCatalogName(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getColumnClassName(int column) throws SQLException { try { return md.getColumnClassName(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getColumnCount() throws SQLException { try { return md.getColumnCount(); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getColumnDisplaySize(int column) throws SQLException { try { return md.getColumnDisplaySize(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getColumnLabel(int column) throws SQLException { try { return md.getColumnLabel(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getColumnName(int column) throws SQLException { try { return md.getColumnName(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getColumnType(int column) throws SQLException { try { return md.getColumnType(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getColumnTypeName(int column) throws SQLException { try { return md.getColumnTypeName(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getPrecision(int column) throws SQLException { try { return md.getPrecision(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getScale(int column) throws SQLException { try { return md.getScale(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getSchemaName(int column) throws SQLException { try { return md.getSchemaName(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getTableName(int column) throws SQLException { try { return md.getTableName(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isAutoIncrement(int column) throws SQLException { try { return md.isAutoIncrement(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isCaseSensitive(int column) throws SQLException { try { return md.isCaseSensitive(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isCurrency(int column) throws SQLException { try { return md.isCurrency(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isDefinitelyWritable(int column) throws SQLException { try { return md.isDefinitelyWritable(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int isNullable(int column) throws SQLException { try { return md.isNullable(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isReadOnly(int column) throws SQLException { try { return md.isReadOnly(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isSearchable(int column) throws SQLException { try { return md.isSearchable(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isSigned(int column) throws SQLException { try { return md.isSigned(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isWritable(int column) throws SQLException { try { return md.isWritable(column); } catch (SQLException e) { throw SqlErrors.translate(e); } }
}
