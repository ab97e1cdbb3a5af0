package io.corrosion.jdbc.chaos;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.crr.SqlValues;

/** Small shared formatting of changes and keys for the checker's reports. */
final class Histories {
    private Histories() {}

    /** A row of a table: its name and packed pk in hex. */
    static String rowKey(String table, byte[] pk) {
        return table + PackedColumns.unpack(pk);
    }

    /** A column of a row ({@code -1} for the row's sentinel). */
    static String cellKey(Change c) {
        return rowKey(c.table(), c.pk()) + "." + c.cid();
    }

    static String describe(Change c) {
        String site = SqlValues.hex(c.siteId());
        return cellKey(c) + " = " + (c.isSentinel() ? (c.isDelete() ? "<deleted>" : "<alive>") : SqlValues.show(c.val()))
                + " [cl " + c.cl() + ", col_version " + c.colVersion() + ", site " + site.substring(0, Math.min(8, site.length()))
                + ", db_version " + c.dbVersion() + ", seq " + c.seq() + "]";
    }
}
