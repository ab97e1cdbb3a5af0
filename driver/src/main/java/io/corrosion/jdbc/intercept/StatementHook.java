package io.corrosion.jdbc.intercept;

import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * The one place where the CRR engine sees the application's SQL. The proxies call it for every SQL string except
 * plain reads ({@link SqlPlan#plainRead()}), which run untouched and never reach the hook, but for
 * {@link #rewriteRead} of those with a {@code *} result column or a NATURAL join.
 *
 * <p>Call sequence on the application's physical connection:
 * <ul>
 *   <li>{@code Statement.execute*(sql)}: {@link #rewrite}, {@link #beforeExecute}, the execution, {@link #afterExecute}.</li>
 *   <li>{@code Statement.addBatch(sql)}: {@link #rewrite} at addBatch; {@link #beforeExecute} per added string right
 *       before {@code executeBatch()}, {@link #afterExecute} per added string after it succeeds.</li>
 *   <li>{@code Connection.prepareStatement(sql)}: {@link #rewrite} once, at prepare; {@link #beforeExecute} right before
 *       and {@link #afterExecute} after each successful {@code execute*()} and {@code executeBatch()}.</li>
 *   <li>{@code Connection.commit()} and {@code setAutoCommit(true)}: {@link #afterExecute} with the plan of
 *       {@code COMMIT} once they succeeded.</li>
 * </ul>
 * {@code afterExecute} is not called when the execution throws; {@link #afterFailure} is, once per failed
 * {@code execute*()}/{@code executeBatch()} (for a batch of {@code addBatch(sql)} strings: once per string). A
 * {@code Connection.rollback(Savepoint)} reaches {@code afterExecute} as the plan of the
 * {@code ROLLBACK TO SAVEPOINT <name>} that sqlite-jdbc runs for it.
 *
 * <p>Rules for implementations:
 * <ul>
 *   <li>Be cheap for statements you do not care about: check {@link StatementPlan#kind()} first.</li>
 *   <li>Never write on {@code connection} between a DML statement and the application's next statement: the
 *       application may read {@code last_insert_rowid()} or {@code getGeneratedKeys()} next. Work after DDL (CRR
 *       setup after CREATE TABLE/ALTER TABLE) is fine if it sets {@code last_insert_rowid()} back
 *       ({@code io.corrosion.jdbc.keys.LastInsertRowid}).</li>
 *   <li>A rewrite must keep the statement's parameters ({@code ?}) in the same number and order; it may append
 *       parameters after the application's last one if {@link #parameterBinder} binds them.</li>
 *   <li>A rewrite of a string of several statements keeps one statement for each, in order:
 *       {@code Statement.executeUpdate} runs them one by one to count the rows each changed.</li>
 *   <li>Throw {@link SQLException} with a real SQLState to refuse a statement (e.g. a schema cr-sqlite rejects).</li>
 * </ul>
 */
public interface StatementHook {

    /** The hook of a database without a CRR engine: runs everything as written. */
    StatementHook NONE = new StatementHook() {
        @Override
        public String rewrite(SqlPlan plan, SQLiteConnection connection) {
            return plan.sql();
        }

        @Override
        public void afterExecute(SqlPlan plan, SQLiteConnection connection) {}

        @Override
        public String toString() {
            return "StatementHook.NONE";
        }
    };

    /**
     * The SQL to run in place of {@code plan.sql()}; return {@code plan.sql()} to run it as written.
     *
     * @param connection the application's physical connection the statement will run on
     */
    String rewrite(SqlPlan plan, SQLiteConnection connection) throws SQLException;

    /**
     * The SQL to run for a plain read ({@link SqlPlan#plainRead()}) that has a {@code *} result column or a NATURAL
     * join ({@link SqlPlan#starOrNatural()}); no other method of the hook is called for it.
     */
    default String rewriteRead(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        return plan.sql();
    }

    /**
     * Work right before an execution of {@code plan} (e.g. taking a CRR's capture off before ALTER TABLE). When it
     * throws, the statement does not run and {@link #afterFailure} is called, as for a failed execution.
     */
    default void beforeExecute(SqlPlan plan, SQLiteConnection connection) throws SQLException {}

    /**
     * Where a string of several statements runs one statement at a time ({@code Statement.executeUpdate}), before each
     * of them, after {@link #beforeExecute}: what that statement alone needs (its conflict clause).
     */
    default void beforeStatement(SqlPlan plan, int index, SQLiteConnection connection) throws SQLException {}

    /**
     * Before a batch of SQL strings ({@code Statement.addBatch(sql)}) runs, before {@link #beforeExecute} of each: when
     * it throws, nothing of the batch runs.
     */
    default void beforeBatch(List<SqlPlan> plans, SQLiteConnection connection) throws SQLException {}

    /** Work after a successful execution of {@code plan} (e.g. CRR setup after CREATE TABLE). */
    void afterExecute(SqlPlan plan, SQLiteConnection connection) throws SQLException;

    /**
     * For a statement being prepared: the binder of parameters that {@link #rewrite} appended to it, or null if it
     * appended none. Called once per {@code prepareStatement}, right after {@link #rewrite}, with the same plan.
     */
    default ParameterBinder parameterBinder(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        return null;
    }

    /**
     * For a statement being prepared, after {@link #parameterBinder}: what runs its JDBC batches at once, or null. The
     * proxy then hands each {@code executeBatch()} to it with the values the binder bound to the batch's rows
     * ({@link #beforeExecute} and {@link #afterExecute} are still called around it).
     */
    default BatchCapture batchCapture(SqlPlan plan, SQLiteConnection connection, ParameterBinder binder)
            throws SQLException {
        return null;
    }

    /**
     * Called when an execution of {@code plan} threw: SQLite has undone the failed statement's writes, including any
     * an SQL function made while it ran, but earlier statements of the transaction (and of a failed batch) stand.
     * Must not throw.
     */
    default void afterFailure(SqlPlan plan, SQLiteConnection connection) {}

    /**
     * A result set of a statement on {@code connection} reached its end or was closed: an auto-commit write that
     * returns rows ({@code RETURNING}) commits then, after the statement's {@link #afterExecute}. Must not throw.
     */
    default void resultsDone(SQLiteConnection connection) {}

    /**
     * The rows statements on {@code connection} have inserted into {@code crsql_changes} so far: the update count of
     * such an INSERT is the difference across it (SQLite counts no row of an INSERT into a view).
     */
    default long changesInserted(SQLiteConnection connection) {
        return 0;
    }
}
