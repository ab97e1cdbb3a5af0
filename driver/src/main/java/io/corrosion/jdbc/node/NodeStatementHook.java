package io.corrosion.jdbc.node;

import io.corrosion.jdbc.InternalTables;
import io.corrosion.jdbc.intercept.BatchCapture;
import io.corrosion.jdbc.intercept.ChangesInsert;
import io.corrosion.jdbc.intercept.ConflictResolution;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.ParameterBinder;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.keys.LastInsertRowid;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The node's statement hook: the key allocator's hook first (its SQL is what the CRR side rewrites further; its
 * parameter binder right after its rewrite), then the CRR side ({@link SchemaStatements}). After an execution both see
 * the application's original plan. DML and reads cost the key hook's lookup plus a scan of the plan's statement kinds;
 * a statement through the hook also looks its connection up once before it runs, to tell the UNIQUE checks its
 * conflict clause (none, mostly) and forget what trigger bodies of an earlier, failed statement left.
 */
final class NodeStatementHook implements StatementHook {
    /** Below this many rows a batch is captured row by row: the bulk path costs a few statements of its own. */
    static final int BULK_ROWS = 64;
    private static final Logger log = LoggerFactory.getLogger(NodeStatementHook.class);

    private final StatementHook keys;
    private final SchemaStatements schema;
    private final Function<SQLiteConnection, NodeConnection> connections;
    private final HiddenKeyStars stars = new HiddenKeyStars();
    private final TableAsSelect tableAsSelect;
    private final ClaimsRule claims;

    /** The slot conflict rule for the claims a statement merged through {@code crsql_changes}, after it ran. */
    @FunctionalInterface
    interface ClaimsRule {
        void resolve(NodeConnection c) throws SQLException;
    }

    NodeStatementHook(StatementHook keys, SchemaStatements schema, TableAsSelect tableAsSelect,
            Function<SQLiteConnection, NodeConnection> connections, ClaimsRule claims) {
        this.keys = keys;
        this.schema = schema;
        this.tableAsSelect = tableAsSelect;
        this.connections = connections;
        this.claims = claims;
    }

    @Override
    public String rewrite(SqlPlan written, SQLiteConnection connection) throws SQLException {
        SqlPlan plan = UpsertTargets.rewrite(written, connections.apply(connection));
        SchemaRefusals.refuseRestore(plan);
        SchemaRefusals.refuseMainObjectOnChanges(plan);
        SchemaRefusals.refuseChangesOfOtherSchema(plan);
        changesViewFor(plan, connection); // sqlite-jdbc prepares the statement right after
        CopyStatements.refuseInAString(plan);
        String keyed = keys.rewrite(plan, connection);
        String schemaSql = SchemaStatements.mayRewrite(plan) ? schema.rewrite(plan, keyed, connection) : keyed;
        String sql = stars.rewrite(plan, schemaSql, connection);
        StatementPlan ctas = tableAsSelect.of(plan);
        if (ctas == null) {
            return sql;
        }
        tableAsSelect.refuseBesideOthers(List.of(plan));
        // the CREATE TABLE it runs as, rewritten as the application's own: with the hidden key
        return rewrite(Interceptor.classify(tableAsSelect.createTable(ctas, sql, connection)), connection);
    }

    /**
     * SQL that names {@code crsql_changes} finds the connection's view of it made, of the CRRs as they are now: it is a
     * TEMP view made on demand ({@link io.corrosion.jdbc.crr.CrrSession#ensureChangesView}). An ALTER TABLE finds it
     * gone: SQLite checks every view, TEMP ones too, against a renamed or dropped column, and this one may name the
     * columns of CRRs as they were before another connection changed them.
     */
    private void changesViewFor(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        boolean names = false;
        boolean alters = false;
        for (StatementPlan s : plan.statements()) { // runs before every DML statement: no scan of the text unless needed
            names |= s.mentionsInternal() && InternalTables.changesMentionedIn(s.sql());
            alters |= s.kind() == StatementKind.ALTER_TABLE;
        }
        NodeConnection c = names || alters ? connections.apply(connection) : null;
        if (c == null) {
            return;
        }
        if (names) { // an ALTER TABLE that names it too (in a string) makes it: SQLite then checks it as it is now
            c.session.ensureChangesView();
        } else {
            c.session.dropChangesView();
        }
    }

    /**
     * After a {@code CREATE TABLE ... AS SELECT} of a replicated table ran as a CREATE TABLE and the table became a
     * CRR, in its scope: the rows of the query, inserted as the application's INSERT would be (node-private keys).
     */
    private void fill(SqlPlan plan, NodeConnection c) throws SQLException {
        StatementPlan ctas = tableAsSelect.of(plan);
        Optional<String> insert = ctas == null ? Optional.empty() : tableAsSelect.fill(ctas, c);
        if (insert.isPresent()) {
            String sql = rewrite(Interceptor.classify(insert.get()), c.raw);
            try (Statement st = c.raw.createStatement()) {
                st.executeUpdate(sql);
            }
        }
    }

    @Override
    public String rewriteRead(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        return stars.rewriteRead(plan, connection);
    }

    @Override
    public ParameterBinder parameterBinder(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        return keys.parameterBinder(plan, connection);
    }

    /**
     * A prepared plain INSERT into a replicated table whose keys the driver binds (so every row's key is fresh and
     * node-private): batches of {@value #BULK_ROWS} rows or more in a transaction are captured at once
     * ({@link io.corrosion.jdbc.crr.CrrSession#bulkInsert}) instead of by the insert trigger row by row.
     */
    @Override
    public BatchCapture batchCapture(SqlPlan plan, SQLiteConnection connection, ParameterBinder binder) {
        if (plan.statements().size() != 1) {
            return null;
        }
        StatementPlan s = plan.first();
        if (s.kind() != StatementKind.INSERT || s.orAction() != ConflictResolution.NONE || s.onConflict() || s.returning()
                || !schema.replicates(s)) {
            return null;
        }
        NodeConnection c = connections.apply(connection);
        if (c == null) {
            return null;
        }
        String table = s.table().get();
        return (keys, batch) -> {
            String crr = keys.size() < BULK_ROWS ? null : c.session.crrName(table);
            return crr == null ? batch.run() : c.session.bulkInsert(crr, keys, batch::run);
        };
    }

    /** Whether a statement of the plan has an OR clause or is an UPSERT: the UNIQUE checks have heard of it. */
    private static boolean anyConflictClause(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.orAction() != ConflictResolution.NONE || isUpsert(s)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the plan inserts into {@code crsql_changes}: a merge ({@link MergePragmas}). */
    private static boolean mergesChanges(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (ChangesInsert.insertsChanges(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a statement of the plan is neither a read nor a write of rows: BEGIN or COMMIT, DDL (its own scope),
     * ATTACH, DETACH, VACUUM, a PRAGMA, ... A merge beside it runs as written, not in a transaction the driver begins
     * around the merge ({@link NodeConnection#beginMerge}), where a BEGIN or DETACH would fail, a COMMIT end it early,
     * and a PRAGMA do nothing.
     */
    private static boolean ownsTransaction(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() != StatementKind.READ && !s.kind().isDml()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUpsert(StatementPlan s) {
        return s.onConflict() && s.table().isPresent();
    }

    /**
     * Tells the UNIQUE checks of replicated tables the OR clause and the UPSERT of the statement about to run, the
     * string's first ({@code execute}, a prepared statement: sqlite-jdbc runs no other) or, where a string runs one
     * statement at a time ({@link #beforeStatement}), each in turn; none for an empty string. It also forgets the
     * trigger body clauses a failed statement left.
     */
    private static void statementConflicts(NodeConnection c, SqlPlan plan, int index) {
        StatementPlan s = index < plan.statements().size() ? plan.statements().get(index) : null;
        String resolution = s == null || s.orAction() == ConflictResolution.NONE ? null : s.orAction().name();
        boolean upsert = s != null && isUpsert(s);
        c.session.statementConflicts(resolution, upsert ? s.table().get() : null, upsert && s.onConflictIgnoresAny());
    }

    @Override
    public void beforeExecute(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        NodeConnection c = connections.apply(connection);
        if (c != null) {
            c.notices.statementStarting(); // first: a failure from here on is this statement's
        }
        changesViewFor(plan, connection); // a rollback since the prepare may have taken the view away
        if (c != null && plan.statements().size() > 1) {
            schema.refusals().refuseMixed(List.of(plan), c);
        }
        if (c != null && c.merging == null && mergesChanges(plan)) {
            c.merging = MergePragmas.enter(connection, "INSERT INTO crsql_changes"); // before BEGIN: pragmas of its own
            if (!c.batchOwnsTransaction && !ownsTransaction(plan)) {
                c.beginMerge();
            }
        }
        keys.beforeExecute(plan, connection);
        if (c == null) {
            return;
        }
        statementConflicts(c, plan, 0);
        if (schema.needsScope(plan)) {
            c.enterDdl();
            schema.before(plan, c);
        }
    }

    @Override
    public void beforeStatement(SqlPlan plan, int index, SQLiteConnection connection) {
        NodeConnection c = connections.apply(connection);
        if (c != null) {
            c.notices.statementStarting();
            statementConflicts(c, plan, index);
        }
    }

    @Override
    public void beforeBatch(List<SqlPlan> plans, SQLiteConnection connection) throws SQLException {
        NodeConnection c = connections.apply(connection);
        if (c != null) {
            c.notices.statementStarting();
            c.batchOwnsTransaction = plans.stream().anyMatch(NodeStatementHook::ownsTransaction);
        }
        if (c != null && plans.size() > 1) {
            schema.refusals().refuseMixed(plans, c);
            tableAsSelect.refuseBesideOthers(plans);
        }
    }

    /** After a statement: no clause of it stays for what the driver writes on the connection before the next one. */
    private void resetConflictResolution(SqlPlan plan, SQLiteConnection connection, boolean failed) {
        if (failed || anyConflictClause(plan)) {
            NodeConnection c = connections.apply(connection);
            if (c != null) {
                c.session.statementConflicts(null, null, false);
            }
        }
    }

    /** After a statement that merged: the connection's foreign keys and CHECK constraints back as they were. */
    private static void mergeDone(NodeConnection c) throws SQLException {
        if (c != null && c.merging != null) {
            MergePragmas merging = c.merging;
            c.merging = null;
            merging.close();
        }
    }

    /** A RETURNING write's commit, made as its results ended, is done: the journal need not prove it. */
    @Override
    public void resultsDone(SQLiteConnection connection) {
        NodeConnection node = connections.apply(connection);
        if (node != null) {
            node.session.commitFinished();
        }
    }

    @Override
    public void afterExecute(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        NodeConnection node = connections.apply(connection);
        if (node != null) {
            node.batchOwnsTransaction = false;
            node.session.commitFinished(); // first: a commit during this call is done, whatever follows
            try {
                claims.resolve(node);
                node.commitMerge();
            } catch (SQLException | RuntimeException e) {
                // the statement's merges do not stay without their rule: in auto-commit mode undone with the driver's
                // transaction (nothing committed), in the application's left to its rollback; then cleaned up after as
                // a failed statement is
                node.rollbackMerge(e);
                afterFailure(plan, connection);
                throw e;
            }
            node.session.commitFinished(); // the rule's commit, or the statement's with it
            node.notices.finished();
            mergeDone(node); // after the commit: SQLite keeps foreign_keys as it is inside a transaction
        }
        try {
            keys.afterExecute(plan, connection); // within the schema change's scope: a renamed table's key counter
        } catch (SQLException | RuntimeException e) {
            NodeConnection c = connections.apply(connection);
            if (c != null && c.inDdlScope()) {
                c.abandonDdl();
            }
            throw e;
        }
        resetConflictResolution(plan, connection, false);
        if (isRollback(plan)) {
            NodeConnection c = connections.apply(connection);
            if (c != null) {
                c.session.rolledBackToSavepoint(); // ROLLBACK TO undid part of the transaction
            }
        }
        if (schema.needsScope(plan)) {
            NodeConnection c = connections.apply(connection);
            if (c != null && c.inDdlScope()) {
                try {
                    long rowid = LastInsertRowid.of(connection);
                    schema.after(plan, c);
                    fill(plan, c);
                    // the engine's rows are not the application's, nor are a CREATE TABLE ... AS SELECT's, in SQLite
                    LastInsertRowid.restore(connection, rowid);
                    c.leaveDdl(true);
                } catch (SQLException | RuntimeException e) {
                    c.abandonDdl();
                    throw e;
                }
            }
        }
        CopyStatements.afterCopies(plan);
    }

    @Override
    public void afterFailure(SqlPlan plan, SQLiteConnection connection) {
        NodeConnection failed = connections.apply(connection);
        if (failed != null) {
            failed.batchOwnsTransaction = false;
            failed.notices.statementFailed();
        }
        keys.afterFailure(plan, connection);
        resetConflictResolution(plan, connection, true);
        NodeConnection c = connections.apply(connection);
        if (c != null && c.inDdlScope()) {
            c.abandonDdl();
        }
        if (c != null) {
            CopyStatements.afterFailedCopy(plan, c.session.siteId());
        }
        // SQLite undid the failed statement's writes, the engine's among them; after the scope's rollback, so that what
        // forgetting records (the taken db version) is not undone by it
        forgetTransactionCaches(connection);
        if (failed != null) {
            try {
                // SQLite undid the failed statement's merges, not those of the statements of the string (or batch)
                // before it, which commit with their rule as in auto-commit each would have: the rule reads each claim
                // from the file, so one that was undone is not found; last, on fresh caches
                claims.resolve(failed);
                failed.commitMerge();
            } catch (SQLException | RuntimeException e) {
                boolean undone = failed.rollbackMerge(e);
                log.warn("The slot conflict rule for the claims merged before a failed statement failed{}: {}",
                        undone ? "; the statements of its string or batch before it were rolled back with them" : "",
                        e.getMessage(), e);
            }
            failed.session.commitFinished();
            failed.notices.finished();
            try {
                mergeDone(failed); // after the commit: SQLite keeps foreign_keys as it is inside a transaction
            } catch (SQLException e) {
                log.warn("{}", e.getMessage(), e);
            }
        }
    }

    @Override
    public long changesInserted(SQLiteConnection connection) {
        NodeConnection c = connections.apply(connection);
        return c == null ? 0 : c.session.changesInserted();
    }

    private static boolean isRollback(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.TRANSACTION && s.sql().stripLeading().regionMatches(true, 0, "ROLLBACK", 0, 8)) {
                return true;
            }
        }
        return false;
    }

    private void forgetTransactionCaches(SQLiteConnection connection) {
        NodeConnection c = connections.apply(connection);
        if (c != null) {
            c.session.forgetTransactionCaches();
        }
    }

    @Override
    public String toString() {
        return "NodeStatementHook[" + keys + "]";
    }
}
