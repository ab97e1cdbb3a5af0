package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.Reentrant;
import io.corrosion.jdbc.intercept.RowidKeyDdl;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Which tables have a single integer key that is their rowid, read from the schema ({@code pragma_table_xinfo}, and
 * {@code sqlite_master.sql} for the declared type a rewrite kept) and cached per file until the next DDL statement the
 * driver sees, or the commit or rollback of a transaction that ran one.
 *
 * <p>Lookups happen while the application prepares an INSERT, often inside its transaction. A read there would start
 * the transaction's snapshot before its first write, and a deferred transaction that reads before it writes fails with
 * SQLITE_BUSY when another connection commits in between; so the committed schema is read on the driver's own schema
 * connection. Only a table that connection cannot see yet is read on the application's connection: the application's
 * open transaction created it, and so already holds the write lock.
 */
final class KeyTables {
    /** Reads the committed schema; the application's connection for in-memory databases. */
    interface SchemaReader {
        <T> T read(SchemaRead<T> read) throws SQLException;

        /** Reads on {@code connection} itself (maybe inside a running INSERT). */
        static SchemaReader of(SQLiteConnection connection) {
            return new SchemaReader() {
                @Override
                public <T> T read(SchemaRead<T> read) throws SQLException {
                    return Reentrant.run(connection, () -> read.read(connection));
                }
            };
        }
    }

    @FunctionalInterface
    interface SchemaRead<T> {
        T read(SQLiteConnection c) throws SQLException;
    }

    /** What the schema says of a table: nothing (no such table), or whether it has a single integer key. */
    private record Lookup(boolean exists, Optional<TableKey> key) {}

    private final Map<String, Optional<TableKey>> cache = new ConcurrentHashMap<>();

    Optional<TableKey> lookup(SchemaReader committed, SQLiteConnection application, String table) throws SQLException {
        String name = table.toLowerCase(Locale.ROOT);
        Optional<TableKey> key = cache.get(name);
        if (key != null) {
            return key;
        }
        Lookup lookup = committed.read(c -> read(c, table));
        if (!lookup.exists()) {
            lookup = read(application, table);
        }
        if (lookup.exists()) { // a table created later, even outside the driver, is looked up then
            cache.put(name, lookup.key());
        }
        return lookup.key();
    }

    /**
     * The table as {@code application}'s transaction sees it, which changed the schema: read there, and not cached (no
     * other connection sees it so yet, and the transaction may roll back).
     */
    Optional<TableKey> lookupInTransaction(SQLiteConnection application, String table) throws SQLException {
        return SchemaReader.of(application).read(c -> read(c, table)).key();
    }

    void invalidate() {
        cache.clear();
    }

    /**
     * True if the table's key is its rowid: SQLite keeps no separate index for it. Only then is the allocated key what
     * {@code last_insert_rowid()} and {@code getGeneratedKeys()} report; keys of other tables (WITHOUT ROWID, or
     * created before the driver with a type other than INTEGER) are left to the application, as in sqlite-jdbc.
     */
    private static boolean isRowidAlias(SQLiteConnection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pragma_index_list(?, 'main') WHERE origin = 'pk'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0;
            }
        }
    }

    private static Lookup read(SQLiteConnection c, String table) throws SQLException {
        String column = null;
        String type = null;
        int position = -1;
        List<String> insertable = new ArrayList<>();
        int keyColumns = 0;
        Set<String> rowidAliases = new HashSet<>(List.of("rowid", "oid", "_rowid_"));
        String declaredName;
        String createSql;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Lookup(false, Optional.empty()); // no such table (or a view)
                }
                declaredName = rs.getString(1);
                createSql = rs.getString(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, type, pk, hidden FROM pragma_table_xinfo(?, 'main') ORDER BY cid")) {
            ps.setString(1, declaredName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rowidAliases.remove(rs.getString(1).toLowerCase(Locale.ROOT)); // a column of that name is a column
                    int hidden = rs.getInt(4);
                    if (rs.getInt(3) > 0) {
                        keyColumns++;
                        column = rs.getString(1);
                        type = rs.getString(2);
                        position = hidden == 0 ? insertable.size() : -1;
                    }
                    if (hidden == 0) {
                        insertable.add(rs.getString(1));
                    }
                }
            }
        }
        if (keyColumns != 1 || position < 0) {
            return new Lookup(true, Optional.empty());
        }
        type = RowidKeyDdl.declaredKeyTypes(createSql).getOrDefault(column.toLowerCase(Locale.ROOT), type);
        if (!RowidKeyDdl.isIntegerLike(type) || !isRowidAlias(c, declaredName)) {
            return new Lookup(true, Optional.empty());
        }
        return new Lookup(true, Optional.of(new TableKey(declaredName, column, position, insertable, type,
                Set.copyOf(rowidAliases))));
    }
}
