package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.intercept.RowidKeyDdl;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code getColumns} rows with the key types the application declared: the driver declares single-column integer keys
 * {@code INTEGER} to make them rowid aliases ({@link RowidKeyDdl}) and keeps the declared type in the table's SQL;
 * TYPE_NAME and DATA_TYPE of those columns report it the way sqlite-jdbc reports a column declared so.
 */
final class DeclaredKeyTypes extends ColumnsRestored {
    private final Map<String, Map<String, String>> declared;
    private final int tableColumn;
    private final int nameColumn;
    private final int typeNameColumn;
    private final int dataTypeColumn;

    private DeclaredKeyTypes(ResultSet rs, Map<String, Map<String, String>> declared) throws SQLException {
        super(rs.getStatement(), rs); // the statement of the listing it restores
        this.declared = declared;
        this.tableColumn = rs.findColumn("TABLE_NAME");
        this.nameColumn = rs.findColumn("COLUMN_NAME");
        this.typeNameColumn = rs.findColumn("TYPE_NAME");
        this.dataTypeColumn = rs.findColumn("DATA_TYPE");
    }

    /** {@code columns} as is if no table has rewritten keys, else wrapped. */
    static ResultSet restore(ResultSet columns, Statement schemaReader) throws SQLException {
        Map<String, Map<String, String>> declared = new HashMap<>();
        try (ResultSet rs = schemaReader.executeQuery("SELECT name, sql FROM main.sqlite_master WHERE type = 'table' "
                + "AND sql LIKE '%corrosion:declared=%'")) {
            while (rs.next()) {
                Map<String, String> types = RowidKeyDdl.declaredKeyTypes(rs.getString(2));
                if (!types.isEmpty()) {
                    declared.put(rs.getString(1).toLowerCase(Locale.ROOT), types);
                }
            }
        }
        return declared.isEmpty() ? columns : new DeclaredKeyTypes(columns, declared);
    }

    /** The declared type of the current row's column, or null if the driver did not rewrite it. */
    private String declaredType() throws SQLException {
        String table = rs.getString(tableColumn);
        Map<String, String> types = table == null ? null : declared.get(table.toLowerCase(Locale.ROOT));
        String column = types == null ? null : rs.getString(nameColumn);
        return column == null ? null : types.get(column.toLowerCase(Locale.ROOT));
    }

    /** TYPE_NAME as sqlite-jdbc derives it: upper case, without a size in parentheses. */
    static String typeName(String declaredType) {
        int paren = declaredType.indexOf('(');
        return (paren < 0 ? declaredType : declaredType.substring(0, paren)).trim().toUpperCase(Locale.ROOT);
    }

    /** DATA_TYPE as sqlite-jdbc derives it for integer-like types; untyped columns it reports as VARCHAR. */
    static int dataType(String declaredType) {
        return declaredType.isEmpty() ? Types.VARCHAR : Types.INTEGER;
    }

    @Override
    Object restored(int column) throws SQLException {
        String type = column == typeNameColumn || column == dataTypeColumn ? declaredType() : null;
        if (type == null) {
            return null;
        }
        return column == typeNameColumn ? typeName(type) : (Object) dataType(type);
    }
}
