package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.InternalTables;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A metadata result set that skips rows naming an internal table in any of the given columns. */
final class InternalRowsHidden extends ResultSetProxy {
    private final int[] tableColumns;

    InternalRowsHidden(Statement statement, ResultSet rs, String... tableColumnLabels) throws SQLException {
        super(statement, rs);
        int[] found = new int[tableColumnLabels.length];
        int n = 0;
        for (String label : tableColumnLabels) {
            int index = indexOf(rs, label);
            if (index > 0) {
                found[n++] = index;
            }
        }
        this.tableColumns = java.util.Arrays.copyOf(found, n);
    }

    private static int indexOf(ResultSet rs, String label) throws SQLException {
        var meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (label.equalsIgnoreCase(meta.getColumnLabel(i))) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public boolean next() throws SQLException {
        try {
            while (rs.next()) {
                if (!namesInternalTable()) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private boolean namesInternalTable() throws SQLException {
        for (int column : tableColumns) {
            if (InternalTables.isInternal(rs.getString(column))) {
                return true;
            }
        }
        return false;
    }
}
