package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * The CRRs of one connection's database, read from the registry and the tables' own schema, cached until
 * {@code PRAGMA schema_version} changes.
 */
final class CrrCatalog {
    /** sqlite-jdbc's own: the schema version is read without a ResultSet ({@link FirstRow}). */
    private final SQLiteConnection conn;
    private PreparedStatement schemaVersionQuery;
    private long schemaVersion = -1;
    private Map<String, TableInfo> byName = Map.of();
    private Map<Long, TableInfo> byId = Map.of();

    CrrCatalog(SQLiteConnection conn) {
        this.conn = conn;
    }

    Collection<TableInfo> tables() throws SQLException {
        refreshIfStale();
        return byName.values();
    }

    /** The tables, checking the schema version only if asked (once per transaction on the merge path). */
    Collection<TableInfo> tables(boolean recheck) throws SQLException {
        if (recheck || schemaVersion == -1) {
            refreshIfStale();
        }
        return byName.values();
    }

    TableInfo table(String name) throws SQLException {
        refreshIfStale();
        return byName.get(name);
    }

    TableInfo table(long id) throws SQLException {
        refreshIfStale();
        return byId.get(id);
    }

    /** The table with this id as of the last check of the schema version ({@link #tables(boolean)}). */
    TableInfo checkedTable(long id) {
        return byId.get(id);
    }

    /** The CRR's name as registered, for a name that matches it ignoring case (as SQLite does); null if none. */
    String nameIgnoringCase(String table) throws SQLException {
        TableInfo t = table(table);
        if (t != null) {
            return t.name();
        }
        for (TableInfo candidate : tables()) {
            if (candidate.name().equalsIgnoreCase(table)) {
                return candidate.name();
            }
        }
        return null;
    }

    void invalidate() {
        schemaVersion = -1;
    }

    /** The file's schema version as this connection sees it: SQLite changes it with every change of the schema. */
    long schemaVersion() throws SQLException {
        if (schemaVersionQuery == null) {
            schemaVersionQuery = conn.prepareStatement("PRAGMA schema_version");
        }
        return FirstRow.read(schemaVersionQuery, new Object[0], row -> row.getLong(0), -1L);
    }

    /**
     * Whether the file's schema is in order, as a connection that just opened checks it: another connection found it so
     * at this schema version (its catalog is taken as is, {@link CheckedCatalog}), or {@code ddl} finds nothing to
     * repair now (this catalog is offered to the connections after it).
     */
    boolean checkedOnOpen(LocalJournal journal, CrrDdl ddl) throws SQLException {
        long version = schemaVersion();
        CheckedCatalog checked = CheckedCatalog.of(journal);
        if (checked != null && checked.schemaVersion() == version) {
            byName = checked.byName();
            byId = checked.byId();
            schemaVersion = version;
            return true;
        }
        if (ddl.needsRepair()) {
            return false;
        }
        refreshIfStale(); // outside a transaction: what it reads is committed
        if (schemaVersion == version) {
            CheckedCatalog.offer(journal, new CheckedCatalog(version, byName, byId));
        }
        return true;
    }

    private void refreshIfStale() throws SQLException {
        long current = schemaVersion();
        if (current == schemaVersion) {
            return;
        }
        Map<String, TableInfo> names = new LinkedHashMap<>();
        Map<Long, TableInfo> ids = new HashMap<>();
        List<Object[]> registered = new ArrayList<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT tbl, name, key_kind FROM " + CrrMetadata.REGISTRY + " ORDER BY name")) {
            while (rs.next()) {
                registered.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)});
            }
        }
        for (Object[] r : registered) {
            TableInfo t = describe(conn, (String) r[1], (Long) r[0], TableInfo.KeyKind.valueOf((String) r[2]));
            names.put(t.name(), t);
            ids.put(t.id(), t);
        }
        byName = names;
        byId = ids;
        schemaVersion = current;
    }

    /** A registered CRR as the registry and the table's current columns describe it; live columns in table order. */
    static TableInfo describe(Connection c, String name, long id, TableInfo.KeyKind kind) throws SQLException {
        Map<String, Integer> slots = new HashMap<>();
        int maxSlot = 0;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT slot, name, live FROM " + CrrMetadata.REGISTRY_COLUMNS + " WHERE tbl = ? ORDER BY slot")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    maxSlot = Math.max(maxSlot, rs.getInt(1));
                    if (rs.getInt(3) == 1) {
                        slots.put(rs.getString(2), rs.getInt(1));
                    }
                }
            }
        }
        List<TableInfo.Column> columns = new ArrayList<>();
        Map<String, String> fills = new LinkedHashMap<>();
        Map<String, String> standIns = new LinkedHashMap<>();
        for (ColumnDef col : columns(c, name)) {
            Integer slot = slots.get(col.name());
            if (col.pk() == 0 && slot != null) {
                columns.add(new TableInfo.Column(col.name(), slot));
            }
            if (col.pk() == 0 && col.notNull() && col.defaultSql() == null) {
                fills.put(col.name(), TableInfo.fillLiteral(col.type()));
            }
            if (col.pk() == 0) {
                standIns.put(col.name(), col.notNull() ? TableInfo.fillLiteral(col.type()) : "NULL");
            }
        }
        return new TableInfo(name, id, kind, pkColumns(c, name), columns, maxSlot, fills, standIns, ranged(c, name, id));
    }

    /**
     * Whether the table may have clock ranges: its capture triggers look them up (its delete trigger names their table),
     * or it has some (between {@code crsql_begin_alter} and {@code crsql_commit_alter} it has no triggers, and its
     * ranges are still records to read). Ranges appear only with such triggers, and a table's triggers change only with
     * the schema, whose version the catalog is cached by; ranges written out since leave it ranged, harmlessly.
     */
    private static boolean ranged(Connection c, String table, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger'"
                + " AND name = ? AND instr(sql, ?) > 0), EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'"
                + " AND name = ?)")) {
            p.setString(1, CaptureTriggers.deleteTriggerName(table));
            p.setString(2, ClockRanges.TABLE);
            p.setString(3, ClockRanges.TABLE);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                if (rs.getInt(1) == 1 || rs.getInt(2) == 0) {
                    return rs.getInt(1) == 1;
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + ClockRanges.TABLE + " WHERE tbl = ?)")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    /** A column as {@code pragma_table_info} reports it. */
    record ColumnDef(String name, String type, boolean notNull, String defaultSql, int pk) {}

    /**
     * The columns of {@code table} in the database file. Reads name the {@code main} schema: a TEMP table of the same
     * name would hide the table from them.
     */
    static List<ColumnDef> columns(Connection c, String table) throws SQLException {
        List<ColumnDef> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?, 'main') ORDER BY cid")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new ColumnDef(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getString(4), rs.getInt(5)));
                }
            }
        }
        return out;
    }

    static List<String> pkColumns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT name FROM pragma_table_info(?, 'main') WHERE pk > 0 ORDER BY pk")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** ROWID when the single primary key column aliases the rowid (no separate pk index exists). */
    static TableInfo.KeyKind keyKind(Connection c, String table) throws SQLException {
        List<String> pks = pkColumns(c, table);
        if (pks.size() != 1) {
            return TableInfo.KeyKind.PACKED;
        }
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pragma_index_list(?, 'main') WHERE origin = 'pk'")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 0 ? TableInfo.KeyKind.ROWID : TableInfo.KeyKind.VALUE;
            }
        }
    }

    static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }
}
