package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.crr.UniqueChecks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * {@code getIndexInfo} rows that say UNIQUE where the driver enforces it: on a replicated table a UNIQUE constraint or
 * index becomes a plain index with checks ({@link UniqueChecks}), which sqlite-jdbc reports as non-unique. Schema
 * readers (Liquibase's diff, jOOQ's code generation) would see no unique key. Every index is listed, whatever
 * {@code unique} asked, as sqlite-jdbc lists them.
 */
final class EnforcedUniqueIndexes extends ResultSetProxy {
    private final Set<String> enforced;
    private final int nonUniqueColumn;
    private final int indexNameColumn;

    /** {@code all}: the table's whole index listing ({@code unique} false); {@code enforced}: lower-cased names. */
    EnforcedUniqueIndexes(ResultSet all, Set<String> enforced) throws SQLException {
        super(all.getStatement(), all);
        this.enforced = enforced;
        this.nonUniqueColumn = all.findColumn("NON_UNIQUE");
        this.indexNameColumn = all.findColumn("INDEX_NAME");
    }

    private boolean enforcedHere() throws SQLException {
        String index = rs.getString(indexNameColumn);
        return index != null && enforced.contains(index.toLowerCase(Locale.ROOT));
    }

    private boolean nonUnique() throws SQLException {
        try {
            return rs.getBoolean(nonUniqueColumn) && !enforcedHere();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private int index(String label) throws SQLException {
        try {
            return rs.findColumn(label);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        return column == nonUniqueColumn ? nonUnique() : super.getBoolean(column);
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(index(label));
    }

    @Override
    public int getInt(int column) throws SQLException {
        return column == nonUniqueColumn ? (nonUnique() ? 1 : 0) : super.getInt(column);
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(index(label));
    }

    @Override
    public long getLong(int column) throws SQLException {
        return column == nonUniqueColumn ? getInt(column) : super.getLong(column);
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(index(label));
    }

    @Override
    public short getShort(int column) throws SQLException {
        return column == nonUniqueColumn ? (short) getInt(column) : super.getShort(column);
    }

    @Override
    public short getShort(String label) throws SQLException {
        return getShort(index(label));
    }

    @Override
    public String getString(int column) throws SQLException {
        return column == nonUniqueColumn ? Integer.toString(getInt(column)) : super.getString(column);
    }

    @Override
    public String getString(String label) throws SQLException {
        return getString(index(label));
    }

    @Override
    public Object getObject(int column) throws SQLException {
        return column == nonUniqueColumn ? (Object) getInt(column) : super.getObject(column);
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return getObject(index(label));
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        if (column != nonUniqueColumn) {
            return super.getObject(column, type);
        }
        Object value = type == Boolean.class ? (Object) nonUnique() : type == Long.class ? (Object) getLong(column)
                : type == Short.class ? (Object) getShort(column) : type == String.class ? getString(column)
                : (Object) getInt(column);
        return type.cast(value);
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        return getObject(index(label), type);
    }
}
