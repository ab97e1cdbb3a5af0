package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.intercept.ChangesInsert;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.core.DB;

/**
 * The update counts of one statement's executions, as the application expects them. A statement that changes no rows
 * (DDL, a view, a trigger, a PRAGMA, ...) counts 0, where sqlite-jdbc counts the driver's writes or SQLite's
 * {@code changes()} of an older statement. An INSERT into {@code crsql_changes} counts one per row inserted, as
 * cr-sqlite's virtual table has it: SQLite counts none for an INSERT into a view, whose INSTEAD OF trigger merges them.
 */
final class UpdateCounts {
    private final ConnectionProxy connection;
    /** The last execution changes no rows. */
    private boolean noRowsChanged;
    /** The rows the last execution inserted into {@code crsql_changes} if it was such an INSERT, else -1. */
    private long changesInserted = -1;

    UpdateCounts(ConnectionProxy connection) {
        this.connection = connection;
    }

    /** {@code plan} is about to run; of a string, its first statement (sqlite-jdbc runs no other). */
    void executing(SqlPlan plan) {
        noRowsChanged = changesNoRows(plan);
        changesInserted = -1;
    }

    /** Runs an execution of {@code plan}, noting the rows it inserted into {@code crsql_changes} if it does. */
    <T> T counting(SqlPlan plan, StatementProxy.Execution<T> execution) throws SQLException {
        changesInserted = -1;
        if (!insertsChanges(plan)) {
            return execution.run();
        }
        long before = connection.changesInserted();
        T result = execution.run();
        changesInserted = connection.changesInserted() - before;
        return result;
    }

    /** The rows the last execution inserted into {@code crsql_changes}; -1 if it was no such INSERT. */
    long changesInserted() {
        return changesInserted;
    }

    /** The count to report for the last execution, of which sqlite-jdbc reported {@code count}. */
    long visible(long count) {
        if (changesInserted >= 0) {
            return changesInserted;
        }
        return noRowsChanged && count > 0 ? 0 : count;
    }

    /**
     * Runs statement {@code s} of a string that runs one statement at a time, and returns what it adds to the string's
     * count: SQLite's {@code changes()} for an INSERT, UPDATE or DELETE, the rows inserted into {@code crsql_changes}
     * for such an INSERT, 0 for any other.
     */
    long ofStatement(StatementPlan s, DB db, StatementProxy.Execution<?> run) throws SQLException {
        long before = connection.changesInserted();
        run.run();
        if (ChangesInsert.insertsChanges(s)) {
            return connection.changesInserted() - before;
        }
        return s.kind().isDml() ? db.changes() : 0;
    }

    /**
     * The count of string {@code i} of a batch that ran, of which sqlite-jdbc reported {@code count}: 0 for one that
     * changes no rows; for one that inserts into {@code crsql_changes}, its rows if it is the only such string, else
     * {@link Statement#SUCCESS_NO_INFO} (sqlite-jdbc runs the batch at once).
     */
    long ofBatch(List<SqlPlan> plans, int i, long count, long insertedBefore) {
        if (insertsChanges(plans.get(i))) {
            return plans.stream().filter(UpdateCounts::insertsChanges).count() == 1
                    ? connection.changesInserted() - insertedBefore : Statement.SUCCESS_NO_INFO;
        }
        return changesNoRows(plans.get(i)) ? 0 : count;
    }

    /**
     * The statement that {@code execute(sql)} or a prepared statement runs, the string's first (sqlite-jdbc runs no
     * other), is neither a read nor an INSERT, UPDATE or DELETE, or there is none: JDBC's update count is 0, whatever
     * rows the CRR setup wrote or SQLite's changes() still counts.
     */
    static boolean changesNoRows(SqlPlan plan) {
        return !plan.plainRead() && (plan.statements().isEmpty()
                || plan.first().kind() != StatementKind.READ && !plan.first().kind().isDml());
    }

    /** Whether the statement that runs of {@code plan} (its first) inserts into {@code crsql_changes}. */
    static boolean insertsChanges(SqlPlan plan) {
        return !plan.plainRead() && !plan.statements().isEmpty() && ChangesInsert.insertsChanges(plan.first());
    }
}
