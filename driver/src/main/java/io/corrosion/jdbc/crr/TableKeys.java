package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A table's primary key as the schema declares it, for the interceptor's rewrites outside this package. */
public final class TableKeys {
    private TableKeys() {}

    /** The primary key columns of {@code table} in main, in order: what the guard of a DELETE trigger compares. */
    public static List<String> columns(Connection c, String table) throws SQLException {
        return CrrCatalog.pkColumns(c, table);
    }

    /** True if the key of {@code table} is a single {@code INTEGER PRIMARY KEY}, an alias of its rowid. */
    public static boolean isRowid(Connection c, String table) throws SQLException {
        return CrrCatalog.keyKind(c, table) == TableInfo.KeyKind.ROWID;
    }
}
