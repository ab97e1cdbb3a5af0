package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.InternalTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Making tables CRRs and keeping their metadata right through schema changes: {@code crsql_as_crr},
 * {@code crsql_begin_alter}/{@code crsql_commit_alter}, dropping a CRR, and regenerating {@code crsql_changes}.
 */
final class CrrDdl {
    private final CrrSession session;
    private final Connection conn;
    /** Tables between {@link #beginAlter} and {@link #commitAlter}, lower-cased: the indexes whose checks are off. */
    private final Map<String, List<String>> checksOff = new HashMap<>();

    CrrDdl(CrrSession session, Connection conn) {
        this.session = session;
        this.conn = conn;
    }

    /** crsql_as_crr: validates, creates clock table and triggers, back-fills existing rows. Idempotent. */
    void asCrr(String table, Set<CrrRule> rules) throws SQLException {
        if (InternalTables.isInternal(table)) {
            throw new SQLException("Table " + table + " is internal to the CRR engine and cannot be a CRR", CrrErrors.SCHEMA_NOT_SUPPORTED);
        }
        asCrrUnchecked(table, rules);
    }

    /** Like {@link #asCrr}, for the driver's own tables that replicate (the key allocator's slot claims). */
    void asInternalCrr(String table) throws SQLException {
        asCrrUnchecked(table, CrrRule.DRIVER);
    }

    private void asCrrUnchecked(String table, Set<CrrRule> rules) throws SQLException {
        if (!CrrCatalog.tableExists(conn, table)) {
            throw new SQLException("Table " + table + " does not exist; create it before making it a CRR", CrrErrors.UNKNOWN_TABLE);
        }
        CrrRule.check(conn, table, rules);
        if (session.catalog().table(table) != null) {
            commitAlter(table, false);
            return;
        }
        long id = CrrMetadata.nextTableId(conn);
        TableInfo.KeyKind kind = CrrCatalog.keyKind(conn, table);
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO " + CrrMetadata.REGISTRY + " (tbl, name, key_kind) VALUES (?, ?, ?)")) {
            p.setLong(1, id);
            p.setString(2, table);
            p.setString(3, kind.name());
            p.executeUpdate();
        }
        int slot = 0;
        for (CrrCatalog.ColumnDef col : CrrCatalog.columns(conn, table)) {
            if (col.pk() == 0) {
                registerColumn(id, ++slot, col.name());
            }
        }
        session.catalog().invalidate();
        session.tx().created.add(table.toLowerCase(java.util.Locale.ROOT));
        TableInfo t = CrrCatalog.describe(conn, table, id, kind);
        exec(ClockTables.create(t));
        createTriggers(t);
        new Backfill(session, conn).run(t, true);
        regenerateView();
    }

    private void registerColumn(long id, int slot, String name) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement(
                "INSERT INTO " + CrrMetadata.REGISTRY_COLUMNS + " (tbl, slot, name, live) VALUES (?, ?, ?, 1)")) {
            p.setLong(1, id);
            p.setInt(2, slot);
            p.setString(3, name);
            p.executeUpdate();
        }
    }

    /**
     * crsql_begin_alter: takes the capture triggers and the crsql_changes view off so the ALTER statements run on
     * the bare table (SQLite refuses to drop or rename a column a view or trigger still names).
     */
    void beginAlter(String table) throws SQLException {
        requireCrr(table);
        dropTriggers(table);
        checksOff.put(table.toLowerCase(Locale.ROOT), UniqueChecks.takeOff(conn, table));
        session.changesView().drop();
    }

    /**
     * crsql_commit_alter: maps new columns to new clock slots, compacts the clocks of removed columns and of rows
     * that are gone (keeping tombstones), recreates the triggers and back-fills with the current db version.
     * A changed primary key recreates the clock table from scratch, as cr-sqlite does.
     */
    void commitAlter(String table, boolean compactRows) throws SQLException {
        TableInfo old = requireCrr(table);
        // It may clear clock fields that are the last trace of a local version not in the log yet: after a crash the
        // number would be given again. The journal's entries and the local floor go into the log first.
        session.versions().flushInline();
        session.dropStatements(table);
        if (!CrrCatalog.tableExists(conn, table)) {
            dropCrr(table);
            return;
        }
        dropTriggers(table);
        List<String> pks = CrrCatalog.pkColumns(conn, table);
        TableInfo.KeyKind kind = CrrCatalog.keyKind(conn, table);
        if (!pks.equals(old.pkColumns()) || kind != old.keyKind()) {
            exec("DROP TABLE IF EXISTS " + Sql.ident(old.clockTable()));
            ClockRanges.drop(conn, old.id());
            exec("DELETE FROM " + CrrMetadata.REGISTRY + " WHERE tbl = " + old.id());
            exec("DELETE FROM " + CrrMetadata.REGISTRY_COLUMNS + " WHERE tbl = " + old.id());
            session.catalog().invalidate();
            asCrrUnchecked(table, Set.of());
            return;
        }
        // Ranges have the columns of their table: written out before they change (the triggers come back unranged).
        ClockRanges.materializeAll(conn, old);
        Map<String, Integer> live = new HashMap<>();
        for (TableInfo.Column c : old.columns()) {
            live.put(c.name(), c.slot());
        }
        Set<String> current = new LinkedHashSet<>();
        for (CrrCatalog.ColumnDef col : CrrCatalog.columns(conn, table)) {
            if (col.pk() == 0) {
                current.add(col.name());
            }
        }
        // Columns in the registry that no longer exist: retire their slot and drop their clocks.
        try (PreparedStatement p = conn.prepareStatement("SELECT slot, name FROM " + CrrMetadata.REGISTRY_COLUMNS
                + " WHERE tbl = ? AND live = 1")) {
            p.setLong(1, old.id());
            List<Object[]> retired = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (!current.contains(rs.getString(2))) {
                        retired.add(new Object[] {rs.getInt(1)});
                    }
                }
            }
            for (Object[] r : retired) {
                int slot = (Integer) r[0];
                exec("UPDATE " + CrrMetadata.REGISTRY_COLUMNS + " SET live = 0 WHERE tbl = " + old.id() + " AND slot = " + slot);
                exec("UPDATE " + Sql.ident(old.clockTable()) + " SET " + clearSlot(slot));
            }
        }
        int maxSlot = old.maxSlot();
        for (String name : current) {
            if (!live.containsKey(name)) {
                maxSlot++;
                registerColumn(old.id(), maxSlot, name);
                for (String ddl : ClockTables.addSlot(old, maxSlot)) {
                    exec(ddl);
                }
            }
        }
        session.catalog().invalidate();
        TableInfo t = CrrCatalog.describe(conn, table, old.id(), kind);
        if (compactRows) {
            compactGoneRows(t);
        }
        createTriggers(t);
        // Made afresh, so that their error names the table and columns by their names now (SQLite renames them in
        // the checks' SQL, not in their message): those beginAlter took off, else those still on
        List<String> off = checksOff.remove(table.toLowerCase(Locale.ROOT));
        if (off != null) {
            UniqueChecks.restore(conn, table, off, pks);
        } else {
            UniqueChecks.recreate(conn, table, pks);
        }
        TriggerOrder.settle(conn, table);
        new Backfill(session, conn).run(t, false);
        regenerateView();
    }

    /** Column clocks and live sentinels of rows no longer in the table go; tombstones stay; empty records go. */
    private void compactGoneRows(TableInfo t) throws SQLException {
        StringBuilder clear = new StringBuilder("cl = CASE WHEN cl % 2 = 0 THEN cl END");
        for (String f : List.of("db", "site", "seq", "ts")) {
            clear.append(", cl_").append(f).append(" = CASE WHEN cl % 2 = 0 THEN cl_").append(f).append(" END");
        }
        for (int s = 1; s <= t.maxSlot(); s++) {
            clear.append(", ").append(clearSlot(s));
        }
        exec("UPDATE " + Sql.ident(t.clockTable()) + " SET " + clear + " WHERE NOT EXISTS (SELECT 1 FROM "
                + Sql.ident(t.name()) + " AS u WHERE " + userRowMatchesKey(t, "u", Sql.ident(t.clockTable()) + ".key") + ")");
        StringBuilder allNull = new StringBuilder("cl IS NULL");
        for (int s = 1; s <= t.maxSlot(); s++) {
            allNull.append(" AND ").append(Sql.f(s, "v")).append(" IS NULL");
        }
        exec("DELETE FROM " + Sql.ident(t.clockTable()) + " WHERE " + allNull);
    }

    private static String clearSlot(int slot) {
        List<String> sets = new ArrayList<>();
        for (String f : ClockTables.FIELDS) {
            sets.add(Sql.f(slot, f) + " = NULL");
        }
        return String.join(", ", sets);
    }

    static String userRowMatchesKey(TableInfo t, String alias, String keyExpr) {
        if (t.keyKind() != TableInfo.KeyKind.PACKED) {
            return alias + "." + Sql.ident(t.pkColumns().get(0)) + " = " + keyExpr;
        }
        List<String> on = new ArrayList<>();
        for (int i = 0; i < t.pkColumns().size(); i++) {
            on.add(alias + "." + Sql.ident(t.pkColumns().get(i)) + " = crsql_internal_pk_part(" + keyExpr + ", " + i + ")");
        }
        return String.join(" AND ", on);
    }

    /**
     * After {@code ALTER TABLE from RENAME TO to} (between {@link #beginAlter} and this, capture was off): the CRR,
     * its clock table and its log entries follow the table. If the transaction dropped a table named {@code to}, this
     * is a rebuild, and the table keeps that one's clocks where it can ({@link Rebuilds}); returns whether it did.
     */
    boolean renameCrr(String from, String to) throws SQLException {
        TableInfo t = requireCrr(from);
        session.dropStatements(from);
        dropTriggers(from);
        exec("ALTER TABLE " + Sql.ident(t.clockTable()) + " RENAME TO " + Sql.ident(InternalTables.clockTable(to)));
        try (PreparedStatement p = conn.prepareStatement("UPDATE " + CrrMetadata.REGISTRY + " SET name = ? WHERE tbl = ?")) {
            p.setString(1, to);
            p.setLong(2, t.id());
            p.executeUpdate();
        }
        session.catalog().invalidate();
        List<String> off = checksOff.remove(from.toLowerCase(Locale.ROOT));
        if (off != null) {
            checksOff.put(to.toLowerCase(Locale.ROOT), off);
        }
        commitAlter(to, false); // the checks too, under the new name
        Rebuilds.renamed(session.tx(), from, to);
        return Rebuilds.carry(session, conn, requireCrr(to), to);
    }

    /**
     * Before {@code DROP TABLE} of a CRR: holds it for a rebuild's rename ({@link Rebuilds#hold}); if the transaction
     * renamed it away from a name a table it then created has now (the other recipe: rename {@code t} to
     * {@code t_old}, create {@code t}, copy, drop {@code t_old}), that table takes its clocks now; and a table the
     * transaction dropped and created again takes the clocks it had (a copy out and back: this drop is the copy's).
     * Returns the table that took clocks, or null.
     */
    String holdForRebuild(String table) throws SQLException {
        if (!Rebuilds.hold(session, conn, requireCrr(table))) {
            return null;
        }
        String original = Rebuilds.successor(session.tx(), table);
        TableInfo successor = original == null ? null : session.catalog().table(original);
        if (successor != null && Rebuilds.carry(session, conn, successor, table)) {
            return successor.name();
        }
        // Copied out and back (create t_copy, copy, drop t, create t, copy back, drop t_copy): t is filled again now.
        for (String name : Rebuilds.recreated(session.tx(), table)) {
            TableInfo again = session.catalog().table(name);
            if (again != null && Rebuilds.carry(session, conn, again, name)) {
                return again.name();
            }
        }
        return null;
    }

    /** Removes a CRR's metadata (its table already dropped, or it stops being replicated). */
    void dropCrr(String table) throws SQLException {
        TableInfo t = requireCrr(table);
        session.versions().flushInline(); // its clocks go: the journal's entries and the local floor stay recorded
        session.dropStatements(table);
        dropTriggers(table);
        exec("DROP TABLE IF EXISTS " + Sql.ident(t.clockTable()));
        ClockRanges.drop(conn, t.id());
        exec("DELETE FROM " + CrrMetadata.REGISTRY + " WHERE tbl = " + t.id());
        exec("DELETE FROM " + CrrMetadata.REGISTRY_COLUMNS + " WHERE tbl = " + t.id());
        // Version log entries of this table stay until compaction: they keep the local db version from going back.
        session.catalog().invalidate();
        regenerateView();
    }

    /** Whether {@link #repairDrift} has anything to do (read-only). */
    boolean needsRepair() throws SQLException {
        for (TableInfo t : session.catalog().tables()) {
            if (!CrrCatalog.tableExists(conn, t.name()) || drifted(t)) {
                return true;
            }
        }
        return false;
    }

    /** Repairs CRRs whose tables were dropped or altered without the engine. Returns the tables it repaired. */
    List<String> repairDrift() throws SQLException {
        List<String> repaired = new ArrayList<>();
        for (TableInfo t : List.copyOf(session.catalog().tables())) {
            if (!CrrCatalog.tableExists(conn, t.name())) {
                dropCrr(t.name());
                repaired.add(t.name());
            } else if (drifted(t)) {
                commitAlter(t.name(), true);
                repaired.add(t.name());
            }
        }
        return repaired;
    }

    private boolean drifted(TableInfo t) throws SQLException {
        List<String> now = new ArrayList<>();
        for (CrrCatalog.ColumnDef c : CrrCatalog.columns(conn, t.name())) {
            if (c.pk() == 0) {
                now.add(c.name());
            }
        }
        List<String> known = t.columns().stream().map(TableInfo.Column::name).toList();
        if (!now.equals(known) || !CrrCatalog.pkColumns(conn, t.name()).equals(t.pkColumns())) {
            return true;
        }
        return captureTriggers(t.name()).size() != CaptureTriggers.count(t);
    }

    /**
     * Removes version log entries no clock field refers to any more (rows overwritten or deleted since). The
     * committed local db version is first recorded as the floor, so it never goes back. Returns entries removed.
     */
    long compactLog() throws SQLException {
        session.versions().flushInline(); // also records the committed local db version as the floor
        long removed = 0;
        List<Long> ids = new ArrayList<>();
        for (TableInfo t : session.catalog().tables()) {
            ids.add(t.id());
            List<String> matches = new ArrayList<>();
            for (int s = 0; s <= t.maxSlot(); s++) {
                matches.add("(c." + Sql.f(s, "db") + " = l.db_version AND c." + Sql.f(s, "site") + " = l.site)");
            }
            // Records a clock range stands for carry its version too, and become rows of the clock table at that
            // version when written out: their entries stay while the range is there (ClockRanges).
            String ranged = " AND NOT (l.site = 0 AND EXISTS (SELECT 1 FROM " + ClockRanges.TABLE + " AS r WHERE r.tbl = l.tbl"
                    + " AND r.db = l.db_version))";
            try (Statement st = conn.createStatement()) {
                removed += st.executeUpdate("DELETE FROM " + CrrMetadata.LOG + " AS l WHERE l.tbl = " + t.id()
                        + " AND NOT EXISTS (SELECT 1 FROM " + Sql.ident(t.clockTable()) + " AS c WHERE c.key = l.key AND ("
                        + String.join(" OR ", matches) + "))" + ranged);
                // A range goes once none of its keys has a field of its version left (a partly stale one stays).
                removed += st.executeUpdate("DELETE FROM " + CrrMetadata.LOG_RANGES + " AS l WHERE l.tbl = " + t.id()
                        + " AND NOT EXISTS (SELECT 1 FROM " + Sql.ident(t.clockTable()) + " AS c WHERE "
                        + CrrMetadata.inLogRange(t, "c.key", "l") + " AND (" + String.join(" OR ", matches) + "))" + ranged);
            }
        }
        String others = ids.isEmpty() ? "" : " WHERE tbl NOT IN ("
                + ids.stream().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElse("") + ")";
        try (Statement st = conn.createStatement()) {
            removed += st.executeUpdate("DELETE FROM " + CrrMetadata.LOG + others);
            removed += st.executeUpdate("DELETE FROM " + CrrMetadata.LOG_RANGES + others);
        }
        return removed;
    }

    /** User tables that are not CRRs yet: what the driver upgrades when it opens a file made without it. */
    List<String> candidateTables() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'crsql\\_%' ESCAPE '\\'"
                + " AND name NOT LIKE '%\\_\\_crsql\\_%' ESCAPE '\\' AND name NOT LIKE '\\_\\_corrosion\\_%' ESCAPE '\\'"
                + " AND name NOT IN (SELECT name FROM " + CrrMetadata.REGISTRY + ")"
                + " AND name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main'"
                + " AND type IN ('virtual', 'shadow')) ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** After a change of the CRRs ({@link ConnectionChangesView#crrsChanged}). */
    void regenerateView() throws SQLException {
        session.catalog().invalidate();
        session.changesView().crrsChanged();
    }

    /**
     * Gives {@code t} capture triggers that look clock ranges up, so its bulk inserts may write ranges ({@link
     * ClockRanges}); returns it as it is now. A schema change: every connection reloads its schema.
     */
    TableInfo enterRangeMode(TableInfo t) throws SQLException {
        session.dropStatements(t.name());
        dropTriggers(t.name());
        TableInfo ranged = t.withRanged(true);
        createTriggers(ranged);
        regenerateView();
        return session.catalog().table(t.name());
    }

    /** {@link SessionSchema#upgradeToCrr}, in the caller's transaction. */
    void upgradeToCrr(String table) throws SQLException {
        CrrRule.check(conn, table, java.util.EnumSet.of(CrrRule.PRIMARY_KEY_NOT_NULL_OR_ROWID));
        List<String> refused = UniqueChecks.convertUniqueIndexes(conn, table, CrrCatalog.pkColumns(conn, table));
        if (!refused.isEmpty()) {
            throw new CrrSchemaException(table, CrrRule.NO_UNIQUE_INDEX, String.join(", ", refused));
        }
        asCrr(table, CrrRule.DRIVER);
        TriggerOrder.settle(conn, table);
    }

    private void createTriggers(TableInfo t) throws SQLException {
        for (String ddl : CaptureTriggers.create(t)) {
            exec(ddl);
        }
    }

    private void dropTriggers(String table) throws SQLException {
        for (String name : captureTriggers(table)) {
            exec("DROP TRIGGER IF EXISTS " + Sql.ident(name));
        }
    }

    /** The capture triggers a table has now: named {@code <table>__crsql_...}. */
    private List<String> captureTriggers(String table) throws SQLException {
        List<String> names = new ArrayList<>();
        String prefix = CaptureTriggers.namePrefix(table);
        try (PreparedStatement p = conn.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                + " AND tbl_name = ? AND substr(name, 1, ?) = ?")) {
            p.setString(1, table);
            p.setInt(2, prefix.length());
            p.setString(3, prefix);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * Brings a file of an older format to this one: 1 to 2, the capture triggers write no log entries any more (the
     * journal does); 2 to 3, they call Java once per row; 3 to 4, the log gets ranges (and the view reads them); 9 to
     * 10, the file's {@code crsql_changes} view goes (connections make TEMP ones); 10 to 11, a shorter insert trigger. All
     * recreate the capture triggers, after the application's (capture triggers fire first: newest first).
     */
    void migrateFormat(long from) throws SQLException {
        exec(CrrMetadata.createBulk());
        exec(ReplaceOrphans.create());
        exec(CrrMetadata.createLogRanges());
        exec(ClockRanges.create());
        if (from < 2) {
            CrrMetadata.migrateShared(conn);
        } else {
            CrrMetadata.setFormat(conn);
        }
        session.catalog().invalidate();
        if (from < 15) { // 12: every write of a body bracketed, the brackets of UPDATE triggers say so; 15: DELETE guard
            AppTriggers.bracketConflictClauses(conn); // first: the driver's triggers made below stay the newest
        }
        if (from < 10) {
            exec(ChangesView.dropFromMain());
        }
        for (TableInfo t : List.copyOf(session.catalog().tables())) {
            if (CrrCatalog.tableExists(conn, t.name())) {
                dropTriggers(t.name());
                createTriggers(t);
                UniqueChecks.recreate(conn, t.name(), CrrCatalog.pkColumns(conn, t.name()));
                TriggerOrder.settle(conn, t.name());
            }
        }
        regenerateView();
    }

    private TableInfo requireCrr(String table) throws SQLException {
        TableInfo t = session.catalog().table(table);
        if (t == null) {
            throw new SQLException("Table " + table + " is not a CRR", CrrErrors.UNKNOWN_TABLE);
        }
        return t;
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }
}
