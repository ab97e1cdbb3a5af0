package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The statements the Java paths (merge, primary-key change, backfill) run against one CRR, prepared once per
 * connection and table shape.
 */
final class TableStatements implements AutoCloseable {
    /** SQLite's primary result code for a constraint failure (sqlite-jdbc's error code). */
    private static final int SQLITE_CONSTRAINT = 19;
    private final Connection conn;
    final TableInfo table;
    private final List<String> recordColumns;
    private final Map<String, PreparedStatement> cache = new HashMap<>();
    private final Map<List<String>, PreparedStatement> upserts = new HashMap<>();
    private final Map<List<String>, PreparedStatement> updates = new HashMap<>();

    private final String loadSql;
    private final String storeSql;
    private final String logSql;
    /** {@link #reinsert}'s statement, built on first use (only a connection that inserts a key seen before needs it). */
    private String reinsertSql;
    /** {@link #insertPkOnly}'s statement, prepared on first use. */
    private PreparedStatement pkOnly;
    /** {@link #row}'s query, built on first use (only the agent's reads need it). */
    private String rowSql;

    TableStatements(Connection conn, TableInfo table) {
        this.conn = conn;
        this.table = table;
        this.recordColumns = ClockTables.recordColumns(table);
        this.loadSql = "SELECT " + String.join(", ", recordColumns) + " FROM " + Sql.ident(table.clockTable()) + " WHERE key = ?";
        this.storeSql = "INSERT OR REPLACE INTO " + Sql.ident(table.clockTable()) + " (" + String.join(", ", recordColumns)
                + ") VALUES (" + Sql.placeholders(recordColumns.size()) + ")";
        this.logSql = "INSERT OR IGNORE INTO " + CrrMetadata.LOG + " (site, db_version, tbl, key) VALUES (?, ?, ?, ?)";
    }

    private PreparedStatement stmt(String sql) throws SQLException {
        PreparedStatement p = cache.get(sql);
        if (p == null) {
            p = conn.prepareStatement(sql);
            cache.put(sql, p);
        }
        return p;
    }

    /**
     * The key's clock record: its row in the clock table, else the record a range stands for ({@link ClockRanges}), else
     * an empty record not {@link ClockRecord#stored}.
     */
    ClockRecord load(Object key) throws SQLException {
        ClockRecord rec = loadRow(key);
        if (!rec.stored && table.ranged() && key instanceof Long k) {
            ClockRanges.Range r = ClockRanges.cover(stmt(ClockRanges.COVER), table.id(), k);
            if (r != null) {
                return r.record(k, table.maxSlot());
            }
        }
        return rec;
    }

    /**
     * Writes out the record of {@code key} if a range stands for it (a capture trigger is about to update it); returns
     * whether it did.
     */
    boolean materialize(long key) throws SQLException {
        ClockRanges.Range r = ClockRanges.cover(stmt(ClockRanges.COVER), table.id(), key);
        if (r == null) {
            return false;
        }
        writeOut(r, key);
        return true;
    }

    /** Writes out the records of {@code key}'s block of {@code r} and cuts them out of it. */
    private void writeOut(ClockRanges.Range r, long key) throws SQLException {
        long[] block = r.block(key);
        ClockRanges.writeOut(stmt(ClockRanges.writeOutSql(table, r.slots())), stmt(ClockRanges.DELETE),
                stmt(ClockRanges.INSERT), table.id(), r, block[0], block[1]);
    }

    private ClockRecord loadRow(Object key) throws SQLException {
        ClockRecord rec = new ClockRecord(key, table.maxSlot());
        return FirstRow.read(stmt(loadSql), new Object[] {key}, row -> {
            rec.stored = true;
            for (int s = 0; s <= table.maxSlot(); s++) {
                int base = 1 + s * ClockTables.FIELDS.size();
                if (!row.isNull(base)) {
                    rec.slots[s] = new ClockRecord.Clock(row.getLong(base), row.getLong(base + 1), row.getLong(base + 2),
                            row.getLong(base + 3), row.getString(base + 4));
                }
            }
            return rec;
        }, rec);
    }

    void store(ClockRecord rec) throws SQLException {
        PreparedStatement p = stmt(storeSql);
        p.setObject(1, rec.key);
        for (int s = 0; s <= table.maxSlot(); s++) {
            int base = 2 + s * ClockTables.FIELDS.size();
            ClockRecord.Clock c = rec.slots[s];
            if (c == null) {
                for (int f = 0; f < ClockTables.FIELDS.size(); f++) {
                    p.setObject(base + f, null);
                }
            } else {
                p.setLong(base, c.version);
                p.setLong(base + 1, c.dbVersion);
                p.setLong(base + 2, c.site);
                p.setLong(base + 3, c.seq);
                p.setObject(base + 4, c.ts == null || c.ts.equals("0") ? null : c.ts);
            }
        }
        p.executeUpdate();
        rec.stored = true;
        if (rec.virtual) {
            // Its range, looked up again (a capture trigger may have cut the key out meanwhile), lets go of the key; the
            // record just stored stays (a write-out keeps records there already).
            materialize((Long) rec.key);
            rec.virtual = false;
        }
    }

    /** Writes the record of a key seen before, inserted again ({@link CaptureTriggers#reinsert}). */
    void reinsert(Object key, long dbVersion, long firstSeq, String ts) throws SQLException {
        if (reinsertSql == null) {
            reinsertSql = CaptureTriggers.reinsert(table);
        }
        PreparedStatement p = stmt(reinsertSql);
        p.setObject(1, key);
        p.setLong(2, dbVersion);
        p.setLong(3, firstSeq);
        p.setString(4, ts);
        p.executeUpdate();
    }

    void log(long site, long dbVersion, Object key) throws SQLException {
        PreparedStatement p = stmt(logSql);
        p.setLong(1, site);
        p.setLong(2, dbVersion);
        p.setLong(3, table.id());
        p.setObject(4, key);
        p.executeUpdate();
    }

    private int bindPk(PreparedStatement p, Object key, int from) throws SQLException {
        int i = from;
        for (Object v : table.pkValuesOf(key)) {
            p.setObject(i++, v);
        }
        return i;
    }

    void deleteRow(Object key) throws SQLException {
        PreparedStatement p = stmt("DELETE FROM " + Sql.ident(table.name()) + " WHERE " + Sql.pkMatch(table.pkColumns(), ""));
        bindPk(p, key, 1);
        p.executeUpdate();
    }

    /** The row with only its key (and fills): cr-sqlite's {@code INSERT OR IGNORE INTO T(pks)}. */
    void insertPkOnly(Object key) throws SQLException {
        if (pkOnly == null) {
            pkOnly = stmt(insertSql(List.of(), table.fills()));
        }
        insert(pkOnly, key, List.of(), List.of());
    }

    /**
     * Writes some columns of a row: an UPDATE if the row exists (no other column is touched, so none of the table's
     * constraints sees a stand-in value), else an INSERT (see {@link #upsert}).
     */
    void write(Object key, List<String> columns, List<Object> values, boolean rowExists) throws SQLException {
        if (rowExists && update(key, columns, values) > 0) {
            return;
        }
        upsert(key, columns, values);
    }

    private int update(Object key, List<String> columns, List<Object> values) throws SQLException {
        PreparedStatement p = updates.get(columns);
        if (p == null) {
            StringJoiner sets = new StringJoiner(", ");
            for (String c : columns) {
                sets.add(Sql.ident(c) + " = ?");
            }
            p = stmt("UPDATE " + Sql.ident(table.name()) + " SET " + sets + " WHERE " + Sql.pkMatch(table.pkColumns(), ""));
            updates.put(List.copyOf(columns), p);
        }
        int i = 1;
        for (Object v : values) {
            p.setObject(i++, v);
        }
        bindPk(p, key, i);
        return p.executeUpdate();
    }

    /**
     * {@code INSERT ... ON CONFLICT DO UPDATE} of some columns: missing rows get the other columns' defaults, and the
     * table's {@link TableInfo#fills} where there is none (stand-ins if the table refuses them, see {@link #insert}).
     */
    private void upsert(Object key, List<String> columns, List<Object> values) throws SQLException {
        PreparedStatement p = upserts.get(columns);
        if (p == null) {
            p = stmt(insertSql(columns, table.fills()));
            upserts.put(List.copyOf(columns), p);
        }
        insert(p, key, columns, values);
    }

    /**
     * Runs an insert of a row that may be new; if the table refuses it (a default of another type in a STRICT column, or
     * a generated column computed from one), runs it again with the table's {@link TableInfo#standIns} in every column
     * not written: a merge creates the row before the version that carries those columns' values arrives. A local write
     * could not have made such a row, so this path is rare; it throws the first refusal if the second insert fails too.
     */
    private void insert(PreparedStatement p, Object key, List<String> columns, List<Object> values) throws SQLException {
        try {
            bind(p, key, values).executeUpdate();
        } catch (SQLException refused) {
            if (refused.getErrorCode() != SQLITE_CONSTRAINT) {
                throw refused;
            }
            try {
                bind(stmt(insertSql(columns, table.standIns())), key, values).executeUpdate();
            } catch (SQLException again) {
                refused.addSuppressed(again);
                throw refused;
            }
        }
    }

    private PreparedStatement bind(PreparedStatement p, Object key, List<Object> values) throws SQLException {
        int i = bindPk(p, key, 1);
        for (Object v : values) {
            p.setObject(i++, v);
        }
        return p;
    }

    /**
     * The insert of a row's key and {@code columns} (an {@code INSERT OR IGNORE} of the key alone if there are none, else
     * an upsert of them), with {@code fills}' literals in the other columns they name.
     */
    private String insertSql(List<String> columns, Map<String, String> fills) {
        StringBuilder names = new StringBuilder(Sql.idents(table.pkColumns(), ""));
        StringBuilder literals = new StringBuilder(Sql.placeholders(table.pkColumns().size()));
        if (!columns.isEmpty()) {
            names.append(", ").append(Sql.idents(columns, ""));
            literals.append(", ").append(Sql.placeholders(columns.size()));
        }
        fills.forEach((column, literal) -> {
            if (!columns.contains(column)) {
                names.append(", ").append(Sql.ident(column));
                literals.append(", ").append(literal);
            }
        });
        String insert = " INTO " + Sql.ident(table.name()) + " (" + names + ") VALUES (" + literals + ")";
        if (columns.isEmpty()) {
            return "INSERT OR IGNORE" + insert;
        }
        StringJoiner sets = new StringJoiner(", ");
        for (String c : columns) {
            sets.add(Sql.ident(c) + " = excluded." + Sql.ident(c));
        }
        return "INSERT" + insert + " ON CONFLICT DO UPDATE SET " + sets;
    }

    /** The row's non-key columns in {@link TableInfo#columns()} order (values normalized), or null if there is none. */
    Object[] row(Object key) throws SQLException {
        if (table.columns().isEmpty()) {
            return new Object[0];
        }
        if (rowSql == null) {
            StringJoiner cols = new StringJoiner(", ");
            for (TableInfo.Column c : table.columns()) {
                cols.add(Sql.ident(c.name()));
            }
            rowSql = "SELECT " + cols + " FROM " + Sql.ident(table.name()) + " WHERE " + Sql.pkMatch(table.pkColumns(), "");
        }
        int n = table.columns().size();
        return FirstRow.read(stmt(rowSql), table.pkValuesOf(key).toArray(), r -> {
            Object[] out = new Object[n];
            for (int i = 0; i < n; i++) {
                out[i] = r.getObject(i);
            }
            return out;
        }, null);
    }

    /** The current value of a column; throws if the row does not exist. */
    Object value(Object key, String column) throws SQLException {
        PreparedStatement p = stmt("SELECT " + Sql.ident(column) + " FROM " + Sql.ident(table.name()) + " WHERE "
                + Sql.pkMatch(table.pkColumns(), ""));
        Object[] value = FirstRow.read(p, table.pkValuesOf(key).toArray(), r -> new Object[] {r.getObject(0)}, null);
        if (value == null) {
            throw new SQLException("could not find row to merge with for tbl " + table.name(), CrrErrors.INTERNAL);
        }
        return value[0];
    }

    /** Whether the clock record of the row has a field of {@code dbVersion}. */
    boolean hasFieldOf(Object key, long dbVersion) throws SQLException {
        StringJoiner versions = new StringJoiner(", ");
        for (int slot = 0; slot <= table.maxSlot(); slot++) {
            versions.add(Sql.f(slot, "db"));
        }
        PreparedStatement p = stmt("SELECT 1 FROM " + Sql.ident(table.clockTable()) + " WHERE key = ? AND ? IN ("
                + versions + ")");
        return FirstRow.read(p, new Object[] {key, dbVersion}, r -> true, false);
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement p : cache.values()) {
            p.close();
        }
        cache.clear();
        upserts.clear();
        updates.clear();
        pkOnly = null;
    }
}
