package io.corrosion.jdbc.node;

import io.corrosion.jdbc.crr.CrrRule;
import io.corrosion.jdbc.crr.CrrSchemaException;
import io.corrosion.jdbc.crr.TableKeys;
import io.corrosion.jdbc.crr.UniqueChecks;
import io.corrosion.jdbc.intercept.ChangesInsert;
import io.corrosion.jdbc.intercept.CreateTableShape;
import io.corrosion.jdbc.intercept.CrrTableDdl;
import io.corrosion.jdbc.intercept.Identifiers;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.SchemaReads;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.intercept.TriggerConflictRewrite;
import io.corrosion.jdbc.intercept.TriggerKeyRewrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRR side of the statement hook: schema statements on replicated tables.
 * <ul>
 *   <li>{@code CREATE TABLE}: rewritten ({@link CrrTableDdl}: key NOT NULL, hidden key for keyless tables, UNIQUE
 *       constraints out), then made a CRR in the same scope; a table that cannot be one is refused with the rule and
 *       the remedy and not created. {@code CREATE TABLE ... AS SELECT} comes here as the CREATE TABLE it runs as
 *       ({@link TableAsSelect}).</li>
 *   <li>{@code CREATE UNIQUE INDEX}: created as a plain index enforced as UNIQUE for local writes.</li>
 *   <li>{@code CREATE TRIGGER}: body statements with a conflict clause or an UPSERT bracketed for those checks
 *       ({@link TriggerConflictRewrite}).</li>
 *   <li>{@code ALTER TABLE}: capture off before ({@code crsql_begin_alter}), metadata updated after
 *       ({@code crsql_commit_alter}; a rename moves the CRR).</li>
 *   <li>{@code DROP TABLE}/{@code DROP INDEX}: the CRR's metadata or the index's checks go with it.</li>
 *   <li>{@code PRAGMA recursive_triggers = ON}, {@code RESTORE FROM} and more: refused ({@link SchemaRefusals}).</li>
 *   <li>reads of {@code sqlite_master}, {@code pragma_table_xinfo}, ...: without the driver's objects
 *       ({@link SchemaReads}).</li>
 * </ul>
 * All of it runs in {@link NodeConnection}'s DDL scope.
 */
final class SchemaStatements {
    private static final Logger log = LoggerFactory.getLogger(SchemaStatements.class);
    private final SchemaPolicy policy;
    private final SchemaRefusals refusals;
    /** Replicated tables dropped on this file since it opened, lower-cased: a table renamed to one was rebuilt. */
    private final Set<String> droppedCrrs = ConcurrentHashMap.newKeySet();

    SchemaStatements(SchemaPolicy policy) {
        this.policy = policy;
        this.refusals = new SchemaRefusals(policy);
    }

    /** What this file's schema statements refuse before anything runs. */
    SchemaRefusals refusals() {
        return refusals;
    }

    /** True if the statement's target table replicates. */
    boolean replicates(StatementPlan statement) {
        return policy.replicates(statement);
    }

    /** True if {@link #rewrite} may change the plan's SQL. */
    static boolean mayRewrite(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            StatementKind k = s.kind();
            if (k == StatementKind.CREATE_TABLE || k == StatementKind.CREATE_INDEX || k == StatementKind.PRAGMA
                    || k == StatementKind.READ && s.mentionsInternal()
                    || k == StatementKind.OTHER && TriggerKeyRewrite.isCreateTrigger(s.sql())
                    || k == StatementKind.INSERT && s.insertColumns().isEmpty() && ChangesInsert.insertsChanges(s)) {
                return true;
            }
        }
        return false;
    }

    /** The SQL to run for {@code original}, whose key rewrite produced {@code keyed}, on {@code connection}. */
    String rewrite(SqlPlan original, String keyed, Connection connection) throws SQLException {
        List<StatementPlan> statements = keyed.equals(original.sql()) ? original.statements()
                : Interceptor.classify(keyed).statements();
        List<String> out = new ArrayList<>(statements.size());
        boolean changed = false;
        for (StatementPlan s : statements) {
            String sql = rewriteOne(s, connection);
            changed |= !sql.equals(s.sql());
            out.add(sql);
        }
        if (!changed) {
            return keyed;
        }
        return out.size() == 1 ? out.get(0) : String.join(";\n", out);
    }

    private String rewriteOne(StatementPlan s, Connection connection) throws SQLException {
        switch (s.kind()) {
            case CREATE_TABLE -> {
                if (policy.replicates(s)) {
                    Optional<CreateTableShape> shape = CreateTableShape.parse(s.sql());
                    if (shape.isPresent()) {
                        SchemaRefusals.refuseReplaceBesideSkippingConstraint(s.sql(), shape.get());
                        return CrrTableDdl.rewrite(s.sql(), shape.get()).sql();
                    }
                }
            }
            case CREATE_INDEX -> {
                if (policy.replicates(s) && CrrTableDdl.isUniqueIndex(s.sql()) && !onTempTable(s, connection)) {
                    return CrrTableDdl.withoutUnique(s.sql());
                }
            }
            case PRAGMA -> {
                SchemaRefusals.refuseRecursiveTriggers(s.sql());
                return SchemaReads.rewrite(s.sql());
            }
            case READ -> {
                return s.mentionsInternal() ? SchemaReads.rewrite(s.sql()) : s.sql();
            }
            case INSERT -> {
                return ChangesInsert.withCrSqliteColumns(s);
            }
            case OTHER -> {
                if (TriggerKeyRewrite.isCreateTrigger(s.sql()) && !TriggerConflictRewrite.isDriversOwn(s.objectName())) {
                    return TriggerConflictRewrite.rewrite(s.sql(), s.objectName(), t -> TableKeys.columns(connection, t));
                }
            }
            default -> { }
        }
        return s.sql();
    }

    /**
     * True if {@code index}, a statement naming no schema (a CREATE INDEX, an UPSERT), is on a TEMP table: SQLite finds a
     * TEMP table before one of main, and its UNIQUE index stays unique (a TEMP table is never replicated).
     */
    static boolean onTempTable(StatementPlan index, Connection connection) throws SQLException {
        if (index.schema() != null || index.table().isEmpty()) {
            return false;
        }
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            p.setString(1, index.table().get());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** True if the plan changes the schema of a replicated table: it runs in a DDL scope. */
    boolean needsScope(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            switch (s.kind()) {
                case CREATE_TABLE, ALTER_TABLE, DROP_TABLE -> {
                    if (policy.replicates(s) || localRenamedToReplicated(s).isPresent()) {
                        return true;
                    }
                }
                case CREATE_INDEX -> {
                    if (policy.replicates(s) && CrrTableDdl.isUniqueIndex(s.sql())) {
                        return true;
                    }
                }
                case DROP_INDEX -> {
                    if (s.targetsMainSchema()) {
                        return true;
                    }
                }
                case OTHER -> {
                    if (TriggerKeyRewrite.isCreateTrigger(s.sql())) {
                        return true;
                    }
                }
                default -> { }
            }
        }
        return false;
    }

    /**
     * {@link OnlyColumnDrops#refuseAfter} for the last ALTER of each replicated table in the plan, before any of them
     * is taken into its CRR: the one SQLite would have refused.
     */
    private void refuseDropsOfEveryColumn(SqlPlan plan, NodeConnection c) throws SQLException {
        Map<String, String> lastAlters = new HashMap<>();
        for (StatementPlan s : plan.statements()) {
            String crr = s.kind() == StatementKind.ALTER_TABLE && policy.replicates(s) ? c.session.crrName(s.table().get()) : null;
            if (crr != null) {
                lastAlters.put(crr, s.sql());
            }
        }
        for (Map.Entry<String, String> alter : lastAlters.entrySet()) {
            String table = SchemaLookup.tableName(c, alter.getKey());
            if (table != null) { // not renamed since
                OnlyColumnDrops.refuseAfter(alter.getValue(), c.raw, table);
            }
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * In the scope, before the statements run: notes which tables CREATE TABLE and which indexes CREATE INDEX find
     * already there (not one a DROP INDEX before it in the string takes away), and takes capture off the CRRs that
     * ALTER TABLE changes.
     */
    void before(SqlPlan plan, NodeConnection c) throws SQLException {
        Set<String> droppedIndexes = new HashSet<>();
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.CREATE_TABLE && policy.replicates(s)
                    && SchemaLookup.tableName(c, s.table().get()) != null) {
                c.preexisting.add(s.table().get().toLowerCase(Locale.ROOT));
            }
            if (s.kind() == StatementKind.DROP_INDEX && s.targetsMainSchema() && s.objectName() != null) {
                droppedIndexes.add(lower(s.objectName()));
            }
            if (s.kind() == StatementKind.CREATE_INDEX && policy.replicates(s) && s.objectName() != null
                    && !droppedIndexes.contains(lower(s.objectName()))
                    && SchemaLookup.indexName(c, s.objectName()) != null) {
                c.preexistingIndexes.add(lower(s.objectName()));
            }
            if (s.kind() == StatementKind.DROP_TABLE && policy.replicates(s)) {
                String crr = c.session.crrName(s.table().get());
                if (crr != null) {
                    c.columnsBeforeAlter.put(crr, SchemaLookup.columns(c, crr)); // recorded as dropped with the table
                    String rebuilt = c.session.schema().holdForRebuild(crr); // a rename may take its clocks, or a table now
                    if (rebuilt != null) {
                        log.info("Table {} was rebuilt in one transaction (filled from {}, dropped now): its rows keep"
                                + " their clocks; values the copy changed and rows it left out replicate as updates and"
                                + " deletes", rebuilt, crr);
                    }
                }
            }
            if (s.kind() == StatementKind.ALTER_TABLE && policy.replicates(s)) {
                String crr = c.session.crrName(s.table().get());
                Optional<String> renamed = CrrTableDdl.renamedTo(s.sql());
                if (crr != null && renamed.isPresent() && !policy.replicates(renamed.get())) {
                    throw new SQLException("Table " + crr + " replicates, and " + renamed.get() + " is a name the"
                            + " driver keeps local (the local-tables property, or a name of its own list): a replicated"
                            + " table cannot take it (it would go on replicating, with keys that are no longer"
                            + " node-private). Rename it to another name, or copy its rows into a new table of that"
                            + " name", "0A000");
                }
                if (crr != null) {
                    SchemaRefusals.refuseSkippingColumnBesideReplace(s.sql(), c.raw, crr);
                    OnlyColumnDrops.refuseBefore(s.sql(), c.raw, SchemaLookup.tableName(c, crr));
                    c.session.schema().beginAlter(crr);
                    c.altering.add(crr);
                    c.columnsBeforeAlter.put(crr, SchemaLookup.columns(c, crr));
                }
            }
        }
    }

    /** In the scope, after the statements ran. */
    void after(SqlPlan plan, NodeConnection c) throws SQLException {
        refuseDropsOfEveryColumn(plan, c);
        for (StatementPlan s : plan.statements()) {
            switch (s.kind()) {
                case CREATE_TABLE -> created(s, c);
                case CREATE_INDEX -> indexed(s, c);
                case ALTER_TABLE -> altered(s, c);
                case DROP_TABLE -> dropped(s, c);
                case DROP_INDEX -> {
                    if (s.targetsMainSchema() && s.objectName() != null) {
                        c.session.schema().dropUnique(s.objectName());
                    }
                }
                case OTHER -> {
                    if (TriggerKeyRewrite.isCreateTempTrigger(s.sql())) {
                        tempTriggerCreated(c);
                    } else if (TriggerKeyRewrite.isCreateTrigger(s.sql())) {
                        triggerCreated(c);
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * An application trigger on a CRR: the table's capture triggers go after it, so that they fire first. The newest
     * trigger of the file is the one created (or, with IF NOT EXISTS, one that was there: remaking capture is harmless).
     */
    private static void triggerCreated(NodeConnection c) throws SQLException {
        String table = null;
        String trigger = null;
        try (Statement st = c.raw.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT tbl_name, name FROM main.sqlite_master WHERE type = 'trigger' ORDER BY rowid DESC LIMIT 1")) {
            if (rs.next()) {
                table = rs.getString(1);
                trigger = rs.getString(2);
            }
        }
        boolean driversOwn = TriggerConflictRewrite.isDriversOwn(trigger);
        if (table != null && !driversOwn && c.session.crrName(table) != null) {
            c.session.schema().captureBeforeNewestTrigger(c.session.crrName(table));
        }
    }

    /**
     * A TEMP trigger on a CRR fires before the capture triggers, whatever the driver does (SQLite fires a connection's
     * TEMP triggers first): said once per trigger, as a WARN, since what it does can keep a row from replicating.
     */
    private static void tempTriggerCreated(NodeConnection c) throws SQLException {
        try (Statement st = c.raw.createStatement(); ResultSet rs = st.executeQuery("SELECT m.tbl_name, m.name,"
                + " EXISTS (SELECT 1 FROM temp.sqlite_master AS t WHERE t.type = 'table' AND t.name = m.tbl_name"
                + " COLLATE NOCASE) FROM temp.sqlite_master AS m WHERE m.type = 'trigger' ORDER BY m.rowid DESC LIMIT 1")) {
            if (rs.next() && !rs.getBoolean(3) && c.session.crrName(rs.getString(1)) != null) {
                log.warn("TEMP trigger {} on replicated table {} fires before the driver captures the row: a row it writes"
                        + " in its own table replicates wrongly, and a row an OR FAIL statement keeps after it failed does"
                        + " not replicate. Create it as a trigger of the file (README, 'Triggers')", rs.getString(2),
                        rs.getString(1));
            }
        }
    }

    private void created(StatementPlan s, NodeConnection c) throws SQLException {
        if (!policy.replicates(s)) {
            return;
        }
        String table = SchemaLookup.tableName(c, s.table().get());
        if (table == null || c.session.crrName(table) != null) {
            return; // not created (execute() runs only a string's first statement), or IF NOT EXISTS kept a CRR
        }
        if (c.preexisting.contains(table.toLowerCase(Locale.ROOT))) {
            upgradeExisting(c, table); // IF NOT EXISTS found a table made outside the driver since the file opened
            return;
        }
        Optional<CreateTableShape> shape = CreateTableShape.parse(s.sql());
        c.session.schema().asCrr(table, CrrRule.DRIVER);
        DroppedSchema.present(c.raw, table);
        if (shape.isPresent()) {
            for (CreateTableShape.Unique u : replaceLast(shape.get().uniques())) {
                String index = SchemaLookup.freeIndexName(c, table, CrrTableDdl.uniqueIndexName(table, u));
                List<String> quoted = u.columns().stream().map(Identifiers::quote).toList();
                exec(c, "CREATE INDEX IF NOT EXISTS " + Identifiers.quote(index) + " ON " + Identifiers.quote(table)
                        + " (" + String.join(", ", quoted) + UniqueChecks.onConflictNote(u.onConflict())
                        + UniqueChecks.keyFirstNote(shape.get().primaryKeyStart() > u.start()) + ")");
                c.session.schema().enforceUnique(table, index);
            }
        }
        warnOfCollatedKey(c, table);
        log.debug("Table {} is a CRR", table);
    }

    /**
     * The UNIQUE constraints in the order to enforce them: SQLite checks those declared {@code ON CONFLICT REPLACE}
     * after the others (a row that another one ignores, fails or aborts deletes nothing), and fires the newest trigger
     * first, so their checks are made first. {@link UniqueChecks#recreate} keeps the order.
     */
    private static List<CreateTableShape.Unique> replaceLast(List<CreateTableShape.Unique> uniques) {
        List<CreateTableShape.Unique> out = new ArrayList<>(uniques);
        out.sort(Comparator.comparing(u -> !"REPLACE".equals(u.onConflict())));
        return out;
    }

    /** A key column compared with a collation: two nodes can write one row under two spellings (README, "Constraints"). */
    private static void warnOfCollatedKey(NodeConnection c, String table) throws SQLException {
        try (PreparedStatement p = c.raw.prepareStatement("SELECT group_concat(name || ' ' || coll, ', ')"
                + " FROM pragma_index_xinfo((SELECT name FROM pragma_index_list(?1) WHERE origin = 'pk'))"
                + " WHERE key = 1 AND coll <> 'BINARY'")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    log.warn("Table {}: its primary key is compared with a collation ({}), but changes carry keys byte"
                            + " for byte: rows that two nodes write under two spellings of one key stay different on"
                            + " each node. Keep keys in one spelling, e.g. lower(...), with the BINARY collation",
                            table, rs.getString(1));
                }
            }
        }
    }

    /** A table made outside the driver: upgraded like those found when the file opened, or left local with a WARN. */
    void upgradeExisting(NodeConnection c, String table) throws SQLException {
        try {
            c.session.schema().upgradeToCrr(table);
            DroppedSchema.present(c.raw, table);
            if (c.session.crrName(table) != null) {
                warnOfCollatedKey(c, table);
            }
        } catch (CrrSchemaException e) {
            policy.leaveLocal(table, e.getMessage());
            log.warn("Table {} stays local (not replicated): {}", table, e.getMessage());
        }
    }

    private void indexed(StatementPlan s, NodeConnection c) throws SQLException {
        if (!policy.replicates(s) || !CrrTableDdl.isUniqueIndex(s.sql()) || s.objectName() == null
                || c.preexistingIndexes.contains(lower(s.objectName()))) {
            return; // IF NOT EXISTS found an index of that name: SQLite keeps it as it is, unique or not
        }
        String crr = c.session.crrName(s.table().get());
        if (crr != null) {
            c.session.schema().enforceUnique(crr, s.objectName());
        }
    }

    /**
     * The new name of a local table that {@code ALTER TABLE ... RENAME TO} gives a name that replicates: it is upgraded
     * then, as the next open would upgrade it.
     */
    private Optional<String> localRenamedToReplicated(StatementPlan s) {
        if (s.kind() != StatementKind.ALTER_TABLE || !s.targetsMainSchema() || policy.replicates(s)) {
            return Optional.empty();
        }
        return CrrTableDdl.renamedTo(s.sql()).filter(policy::replicates);
    }

    private void altered(StatementPlan s, NodeConnection c) throws SQLException {
        Optional<String> fromLocal = localRenamedToReplicated(s);
        if (fromLocal.isPresent()) {
            String to = SchemaLookup.tableName(c, fromLocal.get());
            if (to != null && c.session.crrName(to) == null) {
                upgradeExisting(c, to);
            }
            return;
        }
        if (!policy.replicates(s)) {
            return;
        }
        String crr = c.session.crrName(s.table().get());
        if (crr == null || !c.altering.remove(crr)) {
            return;
        }
        Optional<String> renamed = CrrTableDdl.renamedTo(s.sql());
        List<String> before = c.columnsBeforeAlter.remove(crr);
        if (renamed.isPresent() && SchemaLookup.tableName(c, crr) == null) {
            String to = SchemaLookup.tableName(c, renamed.get());
            boolean carried = c.session.schema().renameCrr(crr, to);
            c.session.schema().renamedInTriggers(crr, to);
            DroppedSchema.dropped(c.raw, crr, List.of()); // its old name is gone, with its columns
            DroppedSchema.dropped(c.raw, crr, SchemaLookup.columns(c, to));
            DroppedSchema.present(c.raw, to);
            boolean rebuilt = droppedCrrs.remove(to.toLowerCase(Locale.ROOT));
            if (carried) {
                log.info("Table {} was rebuilt ({} created, filled, {} dropped, {} renamed to {}) in one transaction: its"
                        + " rows keep their clocks; values the copy changed and rows it left out replicate as updates"
                        + " and deletes", to, crr, to, crr, to);
            } else if (rebuilt) {
                log.warn("Table {} was rebuilt ({} created, filled, {} dropped, {} renamed to {}) but not in one"
                        + " transaction, or with another primary key: replication sees a new table, whose rows are all"
                        + " new writes of this node, and forgot the old one's clocks and deletes. Updates and deletes"
                        + " made around the rebuild can be lost; rebuild in one transaction (README, 'Table rebuilds')",
                        to, crr, to, crr, to);
            }
        } else {
            c.session.schema().commitAlter(crr);
            Set<String> now = new HashSet<>(SchemaLookup.columns(c, crr));
            List<String> gone = before == null ? List.of()
                    : before.stream().filter(col -> !now.contains(col)).toList();
            if (!gone.isEmpty()) {
                DroppedSchema.dropped(c.raw, crr, gone); // DROP COLUMN, or the old name of RENAME COLUMN
            }
            DroppedSchema.present(c.raw, crr);
        }
    }

    private void dropped(StatementPlan s, NodeConnection c) throws SQLException {
        String table = s.table().get();
        policy.forget(table);
        String crr = c.session.crrName(table);
        if (crr != null && SchemaLookup.tableName(c, crr) == null) {
            c.session.schema().dropCrr(crr);
            droppedCrrs.add(crr.toLowerCase(Locale.ROOT));
            DroppedSchema.dropped(c.raw, crr, List.of());
            // and its columns: a table created again without one of them (a rebuild) has that one dropped
            List<String> before = c.columnsBeforeAlter.remove(crr);
            if (before != null && !before.isEmpty()) {
                DroppedSchema.dropped(c.raw, crr, before);
            }
        }
    }

    private static void exec(NodeConnection c, String sql) throws SQLException {
        try (Statement st = c.raw.createStatement()) {
            st.execute(sql);
        }
    }
}
