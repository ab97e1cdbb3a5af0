package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a UNIQUE check's REPLACE needs to know of a table's foreign keys ({@link ReplaceOrphans}, {@link
 * ReplaceChildren}), read from the schema once and kept while the schema version and {@code foreign_keys} stay: a
 * REPLACE that collides with a row on every write (an {@code INSERT OR REPLACE} upsert by a UNIQUE column) reads no
 * schema. One per connection.
 */
final class ReplaceQueries {
    /**
     * @param pk       the table's primary key columns
     * @param orphans  {@link ReplaceOrphans#query}, or null
     * @param children {@link ReplaceChildren#query}, or null
     */
    record Queries(List<String> pk, String orphans, String children) {}

    private final Map<String, Queries> byTable = new HashMap<>();
    private long schemaVersion = -1;
    private boolean foreignKeys;

    Queries of(Connection c, CrrCatalog catalog, String table) throws SQLException {
        long version = catalog.schemaVersion();
        boolean on = ReplaceOrphans.foreignKeysOn(c);
        if (version != schemaVersion || on != foreignKeys) {
            byTable.clear();
            schemaVersion = version;
            foreignKeys = on;
        }
        Queries q = byTable.get(table);
        if (q == null) {
            List<String> pk = CrrCatalog.pkColumns(c, table);
            q = new Queries(pk, ReplaceOrphans.query(c, table, pk), ReplaceChildren.query(c, table, pk));
            byTable.put(table, q);
        }
        return q;
    }
}
