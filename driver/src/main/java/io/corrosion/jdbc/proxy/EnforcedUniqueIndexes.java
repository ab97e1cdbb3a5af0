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
final class EnforcedUniqueIndexes extends ColumnsRestored {
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
        try {
            String index = rs.getString(indexNameColumn);
            return index != null && enforced.contains(index.toLowerCase(Locale.ROOT));
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** NON_UNIQUE is 0 for the driver's unique indexes; the other values are sqlite-jdbc's. */
    @Override
    Object restored(int column) throws SQLException {
        return column == nonUniqueColumn && enforcedHere() ? (Object) 0 : null;
    }
}
