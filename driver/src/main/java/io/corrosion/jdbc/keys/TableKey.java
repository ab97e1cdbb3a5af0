package io.corrosion.jdbc.keys;

import java.util.List;
import java.util.Set;

/**
 * A table whose primary key is one integer column and its rowid: the driver allocates that key when an INSERT leaves
 * it out or NULL.
 *
 * @param table             the table name as declared
 * @param column            the key column as declared
 * @param position          the key's position among the insertable (non-generated) columns, 0-based
 * @param insertable        the insertable (non-generated) columns in order, the key among them
 * @param declaredType      the key's type as the application declared it (before the driver made it a rowid alias)
 * @param rowidAliases      of {@code rowid}, {@code oid} and {@code _rowid_}, those no column takes (lower case): an
 *                          INSERT may name the key by them
 */
record TableKey(String table, String column, int position, List<String> insertable, String declaredType,
        Set<String> rowidAliases) {
    TableKey {
        insertable = List.copyOf(insertable);
    }

    /** How many insertable columns the table has. */
    int insertableColumns() {
        return insertable.size();
    }
}
