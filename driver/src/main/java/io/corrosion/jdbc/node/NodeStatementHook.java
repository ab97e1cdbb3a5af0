package io.corrosion.jdbc.node;

import io.corrosion.jdbc.intercept.BatchCapture;
import io.corrosion.jdbc.intercept.ChangesInsert;
import io.corrosion.jdbc.intercept.ConflictResolution;
import io.corrosion.jdbc.intercept.ParameterBinder;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.keys.LastInsertRowid;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The node's statement hook: the key allocator's hook first (its SQL is what the CRR side rewrites further; its
 * parameter binder right after its rewrite), then the CRR side ({@link SchemaStatements}). After an execution both see
 * the application's original plan. DML and reads cost the key hook's lookup plus a scan of the plan's statement kinds.
 */
final class NodeStatementHook implements StatementHook {
    /** Below this many rows a batch is captured row by row: the bulk path costs a few statements of its own. */
    static final int BULK_ROWS = 64;
    private static final Logger log = LoggerFactory.getLogger(NodeStatementHook.class);

    private final StatementHook keys;
    private final SchemaStatements schema;
    private final Function<SQLiteConnection, NodeConnection> connections;
    private final HiddenKeyStars stars = new HiddenKeyStars();

    NodeStatementHook(StatementHook keys, SchemaStatements schema, Function<SQLiteConnection, NodeConnection> connections) {
        this.keys = keys;
        this.schema = schema;
        this.connections = connections;
    }

    @Override
    public String rewrite(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        SchemaStatements.refuseRestore(plan);
        CopyStatements.refuseInAString(plan);
        String keyed = keys.rewrite(plan, connection);
        return stars.rewrite(plan, SchemaStatements.mayRewrite(plan) ? schema.rewrite(plan, keyed) : keyed, connection);
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

    /** The OR clause of a statement that has one, for the UNIQUE checks of replicated tables; null otherwise. */
    private static String conflictResolution(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.orAction() != ConflictResolution.NONE) {
                return s.orAction().name();
            }
        }
        return null;
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

    /** The UPSERT of the plan, for the UNIQUE checks of its table; null if it has none. */
    private static StatementPlan upsert(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.onConflict() && s.table().isPresent()) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void beforeExecute(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        if (plan.statements().size() > 1) {
            NodeConnection c = connections.apply(connection);
            if (c != null) {
                schema.refuseMixed(List.of(plan), c);
            }
        }
        if (mergesChanges(plan)) {
            NodeConnection c = connections.apply(connection);
            if (c != null && c.merging == null) {
                c.merging = MergePragmas.enter(connection, "INSERT INTO crsql_changes");
            }
        }
        keys.beforeExecute(plan, connection);
        String resolution = conflictResolution(plan);
        StatementPlan upsert = upsert(plan);
        if (resolution != null || upsert != null) {
            NodeConnection c = connections.apply(connection);
            if (c != null) {
                if (resolution != null) {
                    c.session.setConflictResolution(resolution);
                }
                if (upsert != null) {
                    c.session.setUpsert(upsert.table().get(), upsert.onConflictIgnoresAny());
                }
            }
        }
        if (schema.needsScope(plan)) {
            NodeConnection c = connections.apply(connection);
            if (c != null) {
                c.enterDdl();
                schema.before(plan, c);
            }
        }
    }

    @Override
    public void beforeBatch(List<SqlPlan> plans, SQLiteConnection connection) throws SQLException {
        NodeConnection c = connections.apply(connection);
        if (c != null && plans.size() > 1) {
            schema.refuseMixed(plans, c);
        }
    }

    private void resetConflictResolution(SqlPlan plan, SQLiteConnection connection) {
        if (conflictResolution(plan) != null || upsert(plan) != null) {
            NodeConnection c = connections.apply(connection);
            if (c != null) {
                c.session.setConflictResolution(ConflictResolution.ABORT.name());
                c.session.setUpsert(null, false);
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

    @Override
    public void afterExecute(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        NodeConnection node = connections.apply(connection);
        if (node != null) {
            node.session.commitFinished(); // first: a commit during this call is done, whatever follows
        }
        mergeDone(node);
        try {
            keys.afterExecute(plan, connection); // within the schema change's scope: a renamed table's key counter
        } catch (SQLException | RuntimeException e) {
            NodeConnection c = connections.apply(connection);
            if (c != null && c.inDdlScope()) {
                c.abandonDdl();
            }
            throw e;
        }
        resetConflictResolution(plan, connection);
        if (isRollback(plan)) {
            forgetTransactionCaches(connection); // ROLLBACK TO undid part of the transaction
        }
        if (schema.needsScope(plan)) {
            NodeConnection c = connections.apply(connection);
            if (c != null && c.inDdlScope()) {
                try {
                    long rowid = LastInsertRowid.of(connection);
                    schema.after(plan, c);
                    LastInsertRowid.restore(connection, rowid); // the engine's rows are not the application's
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
        try {
            mergeDone(connections.apply(connection));
        } catch (SQLException e) {
            log.warn("{}", e.getMessage(), e);
        }
        keys.afterFailure(plan, connection);
        resetConflictResolution(plan, connection);
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
