package io.corrosion.jdbc.crr;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The row a UNIQUE check's REPLACE deletes right now ({@link ReplaceDeletes}), for the guard in the WHEN of the
 * application's DELETE triggers ({@code crsql_internal_replacing(table, OLD.<key>...)}): SQLite fires no DELETE trigger
 * for a REPLACE's deletes. One per connection.
 */
final class ReplacedRow {
    /** A row of {@code table} with these key values. */
    record Row(String table, List<Object> key) {}

    private Row row;

    /** Sets the row a REPLACE deletes now (null: none); returns the one before, to be set back. */
    Row set(Row now) {
        Row before = row;
        row = now;
        return before;
    }

    /** True while a REPLACE deletes this row of {@code table}. */
    boolean is(String table, List<Object> key) {
        if (row == null || !row.table().equalsIgnoreCase(table) || row.key().size() != key.size()) {
            return false;
        }
        for (int i = 0; i < key.size(); i++) {
            Object a = row.key().get(i);
            Object b = key.get(i);
            if (!(a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : Objects.equals(a, b))) {
                return false;
            }
        }
        return true;
    }
}
