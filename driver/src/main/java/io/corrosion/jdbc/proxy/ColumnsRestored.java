package io.corrosion.jdbc.proxy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A metadata result set of sqlite-jdbc whose values in some columns the driver answers itself ({@link #restored}): what
 * the application declared where the driver changed the schema underneath. Every getter of such a column reads it.
 */
abstract class ColumnsRestored extends ResultSetProxy {
    ColumnsRestored(Statement statement, ResultSet rs) {
        super(statement, rs);
    }

    /** The value of {@code column} in the current row as the application would see it; null to read it as it is. */
    abstract Object restored(int column) throws SQLException;

    private int index(String label) throws SQLException {
        try {
            return rs.findColumn(label);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public String getString(int column) throws SQLException {
        Object r = restored(column);
        return r == null ? super.getString(column) : r.toString();
    }

    @Override
    public String getString(String label) throws SQLException {
        return getString(index(label));
    }

    @Override
    public Object getObject(int column) throws SQLException {
        Object r = restored(column);
        return r == null ? super.getObject(column) : r;
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return getObject(index(label));
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        Object r = restored(column);
        if (!(r instanceof Number n)) {
            return type.isInstance(r) ? type.cast(r) : super.getObject(column, type);
        }
        Object value = type == Boolean.class ? (Object) (n.longValue() != 0) : type == Long.class ? (Object) n.longValue()
                : type == Short.class ? (Object) n.shortValue() : type == String.class ? n.toString() : (Object) n.intValue();
        return type.cast(value);
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        return getObject(index(label), type);
    }

    @Override
    public int getInt(int column) throws SQLException {
        return restored(column) instanceof Number n ? n.intValue() : super.getInt(column);
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(index(label));
    }

    @Override
    public long getLong(int column) throws SQLException {
        return restored(column) instanceof Number n ? n.longValue() : super.getLong(column);
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(index(label));
    }

    @Override
    public short getShort(int column) throws SQLException {
        return restored(column) instanceof Number n ? n.shortValue() : super.getShort(column);
    }

    @Override
    public short getShort(String label) throws SQLException {
        return getShort(index(label));
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        return restored(column) instanceof Number n ? n.longValue() != 0 : super.getBoolean(column);
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(index(label));
    }
}
