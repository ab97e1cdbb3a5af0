package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.core.DB;

/**
 * The driver's Statement: every SQL string passes the interceptor (a cached plan lookup) and, unless it is a plain
 * read, the statement hook; result sets are wrapped so that {@code getStatement()} answers this proxy.
 */
public class StatementProxy implements Statement {
    final ConnectionProxy connection;
    /** The last SQL run through {@link #intercepted} went through the hook (it was not a plain read). */
    private boolean lastHooked;
    /** The sqlite-jdbc statement; {@link ClosedStatement} once this closed and the statement went to another use. */
    private Statement raw;
    /** Plans of the {@code addBatch(sql)} strings in order; the hook sees those that are not plain reads. */
    private final List<SqlPlan> batchPlans = new ArrayList<>();
    private ResultSet lastRaw;
    private ResultSet lastWrapped;
    /** The update counts of this statement's executions. */
    final UpdateCounts counts;
    /** The generated key of the last execution when the driver knows it; sqlite-jdbc's is used otherwise. */
    final KnownKey knownKey;
    /** A setting of the sqlite-jdbc statement changed, or it answered generated keys: not for {@link StatementCache}. */
    boolean rawChanged;

    StatementProxy(ConnectionProxy connection, Statement raw) {
        this.connection = connection;
        this.raw = raw;
        this.counts = new UpdateCounts(connection);
        this.knownKey = new KnownKey(connection.raw());
    }

    @FunctionalInterface
    interface SqlCall<T> {
        T run(String sql) throws SQLException;
    }

    @FunctionalInterface
    interface Execution<T> {
        T run() throws SQLException;
    }

    /**
     * Runs an execution without sqlite-jdbc's generated-keys check and bookkeeping, and puts back the connection's
     * setting at open (not what it reads now, which another thread's execution may have switched off meanwhile).
     */
    final <T> T withoutKeyCheck(Execution<T> execution) throws SQLException {
        org.sqlite.SQLiteConnectionConfig cfg = connection.raw().getConnectionConfig();
        cfg.setGetGeneratedKeys(false);
        try {
            return execution.run();
        } finally {
            cfg.setGetGeneratedKeys(connection.generatedKeys());
        }
    }

    /** Runs {@code sql} through plan, hook and {@code call}; every error leaves with an SQLState. */
    final <T> T intercepted(String sql, SqlCall<T> call) throws SQLException {
        try {
            knownKey.forget();
            connection.statementStarting();
            SqlPlan plan = connection.plan(sql);
            counts.executing(plan);
            lastHooked = !plan.plainRead();
            if (plan.plainRead()) {
                try {
                    return call.run(connection.readSql(plan));
                } finally {
                    connection.statementThrough();
                }
            }
            String rewritten = connection.rewrite(plan);
            T result;
            try {
                connection.beforeExecute(plan);
                result = counts.counting(plan, () -> call.run(rewritten));
            } catch (SQLException | RuntimeException e) {
                connection.afterFailure(plan);
                throw e;
            }
            connection.afterExecute(plan);
            return result;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * {@code Statement.executeUpdate(sql)} and its variants: the rows the string's INSERT, UPDATE and DELETE statements
     * changed, the sum of SQLite's {@code changes()} of each, as a PreparedStatement reports one. sqlite-jdbc reports
     * how much {@code total_changes()} grew, which also counts the rows that triggers and the driver's own SQL
     * functions wrote; so a string of several statements runs one statement at a time here, in the order SQLite's
     * {@code sqlite3_exec} (sqlite-jdbc's way) would run them.
     */
    final long update(String sql, SqlCall<? extends Number> call) throws SQLException {
        SqlPlan plan = connection.plan(sql);
        if (plan.isMultiStatement()) {
            return intercepted(sql, toRun -> eachStatement(plan, toRun, call));
        }
        long sqliteJdbcCount = intercepted(sql, call).longValue();
        if (counts.changesInserted() >= 0) {
            return counts.changesInserted();
        }
        if (UpdateCounts.changesNoRows(plan)) {
            return 0;
        }
        if (plan.plainRead() || !plan.first().kind().isDml()) {
            return sqliteJdbcCount;
        }
        try {
            return connection.physical().getDatabase().changes();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Runs the statements of {@code toRun}, the rewrite of {@code plan}, one by one, and adds up {@code changes()} of
     * those that are the application's INSERT, UPDATE or DELETE (SQLite counts no other); a rewrite keeps one statement
     * for each ({@link io.corrosion.jdbc.intercept.StatementHook}). All of it on the database's lock, as sqlite-jdbc
     * runs a string, so that no other thread's statement comes between.
     */
    private long eachStatement(SqlPlan plan, String toRun, SqlCall<? extends Number> call) throws SQLException {
        List<String> statements = toRun.equals(plan.sql())
                ? plan.statements().stream().map(StatementPlan::sql).toList() : Interceptor.split(toRun);
        if (statements.size() != plan.statements().size()) {
            throw new SQLException("The driver rewrote a string of " + plan.statements().size() + " statements into "
                    + statements.size() + " (a bug in the driver; run the statements one by one): " + plan.sql(),
                    SqlErrors.GENERAL_ERROR);
        }
        DB db = connection.physical().getDatabase();
        synchronized (db) {
            long changed = 0;
            for (int i = 0; i < statements.size(); i++) {
                String statement = statements.get(i);
                connection.beforeStatement(plan, i);
                // Without sqlite-jdbc's generated keys: its SELECT last_insert_rowid() would stay open while the next
                // statement runs, and a VACUUM there fails ("SQL statements in progress").
                changed += counts.ofStatement(plan.statements().get(i), db,
                        () -> withoutKeyCheck(() -> call.run(statement)));
            }
            // as sqlite-jdbc answers a string that begins with an INSERT: the last row the string inserted
            knownKey.set(connection.generatedKeys() && plan.first().kind().isInsert()
                    ? KnownKey.lastInsertRowid(connection.raw()) : null);
            return changed;
        }
    }

    /**
     * Whether the end of this statement's results is worth the hook's hearing ({@link StatementHook#resultsDone}): a
     * write's (RETURNING) results, not a plain read's, which never reaches the hook.
     */
    boolean resultsEndHooked() {
        return lastHooked;
    }

    /** The wrapper of a result set this statement produced; the same wrapper for the same result set. */
    final ResultSet wrap(ResultSet rs) {
        if (rs == null) {
            return null;
        }
        if (rs != lastRaw) {
            lastRaw = rs;
            lastWrapped = new ResultSetProxy(this, rs);
        }
        return lastWrapped;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return wrap(intercepted(sql, raw::executeQuery));
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return intercepted(sql, raw::execute);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return intercepted(sql, s -> raw.execute(s, autoGeneratedKeys));
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return intercepted(sql, s -> raw.execute(s, columnIndexes));
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return intercepted(sql, s -> raw.execute(s, columnNames));
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) update(sql, raw::executeUpdate);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return (int) update(sql, s -> raw.executeUpdate(s, autoGeneratedKeys));
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return (int) update(sql, s -> raw.executeUpdate(s, columnIndexes));
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return (int) update(sql, s -> raw.executeUpdate(s, columnNames));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return update(sql, raw::executeLargeUpdate);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return update(sql, s -> raw.executeLargeUpdate(s, autoGeneratedKeys));
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return update(sql, s -> raw.executeLargeUpdate(s, columnIndexes));
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return update(sql, s -> raw.executeLargeUpdate(s, columnNames));
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        try {
            SqlPlan plan = connection.plan(sql);
            raw.addBatch(plan.plainRead() ? sql : connection.rewrite(plan));
            batchPlans.add(plan);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        batchCleared();
        batchPlans.clear();
        try {
            raw.clearBatch();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * sqlite-jdbc runs the first statement of each string: one that changes no rows counts 0, as {@link #visible} has
     * it.
     */
    @Override
    public int[] executeBatch() throws SQLException {
        List<SqlPlan> plans = List.copyOf(batchPlans);
        long before = connection.changesInserted();
        int[] result = batched(raw::executeBatch);
        for (int i = 0; i < result.length; i++) {
            result[i] = (int) counts.ofBatch(plans, i, result[i], before);
        }
        return result;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        List<SqlPlan> plans = List.copyOf(batchPlans);
        long before = connection.changesInserted();
        long[] result = batched(raw::executeLargeBatch);
        for (int i = 0; i < result.length; i++) {
            result[i] = counts.ofBatch(plans, i, result[i], before);
        }
        return result;
    }

    /** Runs a batch, then lets the hook see each string batched with {@code addBatch(sql)}. */
    <T> T batched(Execution<T> call) throws SQLException {
        try {
            T counts;
            boolean ran = false;
            try {
                connection.statementStarting();
                beforeBatch();
                ran = true;
                counts = call.run();
            } catch (SQLException | RuntimeException e) {
                batchFailed();
                if (!ran) {
                    clearRefusedBatch(e); // sqlite-jdbc clears a batch it runs, whatever the outcome
                }
                throw e;
            }
            for (SqlPlan plan : hookedBatch()) {
                connection.afterExecute(plan);
            }
            return counts;
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            batchPlans.clear();
        }
    }

    /**
     * The exception for a failure of the raw statement: once the connection is closed (the database shut down, say),
     * the raw statement went with it, and the application hears 08003, on which pools act, not sqlite-jdbc's HY010.
     */
    final SQLException translate(SQLException e) {
        return connection.wasClosed() ? SqlErrors.connectionClosed() : SqlErrors.translate(e);
    }

    private void clearRefusedBatch(Exception cause) {
        try {
            raw.clearBatch();
            batchCleared();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The application cleared the batch. */
    void batchCleared() {}

    /** Tells the hook that the batch is about to run. */
    void beforeBatch() throws SQLException {
        List<SqlPlan> hooked = hookedBatch();
        connection.beforeBatch(hooked);
        for (SqlPlan plan : hooked) {
            connection.beforeExecute(plan);
        }
    }

    /** Tells the hook that the batch failed. */
    void batchFailed() {
        for (SqlPlan plan : hookedBatch()) {
            connection.afterFailure(plan);
        }
    }

    /** The {@code addBatch(sql)} strings the hook sees: all but plain reads. */
    private List<SqlPlan> hookedBatch() {
        return batchPlans.stream().filter(p -> !p.plainRead()).toList();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        try {
            if (connection.wasClosed()) {
                throw SqlErrors.connectionClosed(); // sqlite-jdbc's statement that never ran throws an NPE
            }
            return wrap(raw.getResultSet());
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        try {
            if (!knownKey.isKnown()) {
                rawChanged = true;
                return ResultSetProxy.wrap(this, raw.getGeneratedKeys());
            }
            return ResultSetProxy.wrap(this, knownKey.resultSet());
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Also once closed, as sqlite-jdbc answers (its metadata result sets' statements report closed while in use). */
    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        try {
            knownKey.close();
            if (!handedBack()) {
                raw.close();
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            batchPlans.clear();
            lastRaw = null;
            lastWrapped = null;
        }
    }

    /** As this closes, hands the sqlite-jdbc statement on to another use; false if the caller closes it instead. */
    boolean handedBack() throws SQLException {
        return false;
    }

    /** The sqlite-jdbc statement went to another use: this proxy is closed and must never reach it again. */
    final void detach() {
        raw = ClosedStatement.INSTANCE;
    }

    /** The result set this statement's last execution produced, if the application was handed one. */
    final ResultSet lastResults() {
        return lastWrapped;
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return raw.isClosed();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Wrappers.unwrap(this, raw, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return Wrappers.isWrapperFor(this, raw, iface);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + raw + "]";
    }

    // Plain delegation below.

    @Override public void cancel() throws SQLException { try { raw.cancel(); } catch (SQLException e) { throw translate(e); } }
    @Override public void clearWarnings() throws SQLException { try { raw.clearWarnings(); } catch (SQLException e) { throw translate(e); } }
    @Override public void closeOnCompletion() throws SQLException { rawChanged = true; try { raw.closeOnCompletion(); } catch (SQLException e) { throw translate(e); } }
    @Override public String enquoteIdentifier(String s, boolean flag1) throws SQLException { try { return raw.enquoteIdentifier(s, flag1); } catch (SQLException e) { throw translate(e); } }
    @Override public String enquoteLiteral(String s) throws SQLException { try { return raw.enquoteLiteral(s); } catch (SQLException e) { throw translate(e); } }
    @Override public String enquoteNCharLiteral(String s) throws SQLException { try { return raw.enquoteNCharLiteral(s); } catch (SQLException e) { throw translate(e); } }
    @Override public int getFetchDirection() throws SQLException { try { return raw.getFetchDirection(); } catch (SQLException e) { throw translate(e); } }
    @Override public int getFetchSize() throws SQLException { try { return raw.getFetchSize(); } catch (SQLException e) { throw translate(e); } }
    @Override public long getLargeMaxRows() throws SQLException { try { return raw.getLargeMaxRows(); } catch (SQLException e) { throw translate(e); } }
    @Override public long getLargeUpdateCount() throws SQLException { try { return counts.visible(raw.getLargeUpdateCount()); } catch (SQLException e) { throw translate(e); } }
    @Override public int getMaxFieldSize() throws SQLException { try { return raw.getMaxFieldSize(); } catch (SQLException e) { throw translate(e); } }
    @Override public int getMaxRows() throws SQLException { try { return raw.getMaxRows(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean getMoreResults() throws SQLException { try { return raw.getMoreResults(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean getMoreResults(int n) throws SQLException { try { return raw.getMoreResults(n); } catch (SQLException e) { throw translate(e); } }
    @Override public int getQueryTimeout() throws SQLException { try { return raw.getQueryTimeout(); } catch (SQLException e) { throw translate(e); } }
    @Override public int getResultSetConcurrency() throws SQLException { try { return raw.getResultSetConcurrency(); } catch (SQLException e) { throw translate(e); } }
    @Override public int getResultSetHoldability() throws SQLException { try { return raw.getResultSetHoldability(); } catch (SQLException e) { throw translate(e); } }
    @Override public int getResultSetType() throws SQLException { try { return raw.getResultSetType(); } catch (SQLException e) { throw translate(e); } }
    @Override public int getUpdateCount() throws SQLException { try { return (int) counts.visible(raw.getUpdateCount()); } catch (SQLException e) { throw translate(e); } }
    @Override public SQLWarning getWarnings() throws SQLException { try { return raw.getWarnings(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isCloseOnCompletion() throws SQLException { try { return raw.isCloseOnCompletion(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isPoolable() throws SQLException { try { return raw.isPoolable(); } catch (SQLException e) { throw translate(e); } }
    @Override public boolean isSimpleIdentifier(String s) throws SQLException { try { return raw.isSimpleIdentifier(s); } catch (SQLException e) { throw translate(e); } }
    @Override public void setCursorName(String s) throws SQLException { rawChanged = true; try { raw.setCursorName(s); } catch (SQLException e) { throw translate(e); } }
    @Override public void setEscapeProcessing(boolean flag) throws SQLException { rawChanged |= !flag; try { raw.setEscapeProcessing(flag); } catch (SQLException e) { throw translate(e); } }
    @Override public void setFetchDirection(int n) throws SQLException { rawChanged |= n != ResultSet.FETCH_FORWARD; try { raw.setFetchDirection(n); } catch (SQLException e) { throw translate(e); } }
    @Override public void setFetchSize(int n) throws SQLException { rawChanged |= n != 0; try { raw.setFetchSize(n); } catch (SQLException e) { throw translate(e); } }
    @Override public void setLargeMaxRows(long length) throws SQLException { rawChanged |= length != 0; try { raw.setLargeMaxRows(length); } catch (SQLException e) { throw translate(e); } }
    @Override public void setMaxFieldSize(int n) throws SQLException { rawChanged |= n != 0; try { raw.setMaxFieldSize(n); } catch (SQLException e) { throw translate(e); } }
    @Override public void setMaxRows(int n) throws SQLException { rawChanged |= n != 0; try { raw.setMaxRows(n); } catch (SQLException e) { throw translate(e); } }
    @Override public void setPoolable(boolean flag) throws SQLException { rawChanged |= !flag; try { raw.setPoolable(flag); } catch (SQLException e) { throw translate(e); } }
    @Override
    public void setQueryTimeout(int n) throws SQLException {
        rawChanged |= n != 0;
        try {
            raw.setQueryTimeout(n);
        } catch (SQLException e) {
            throw translate(e);
        }
        if (n > 0) {
            connection.queryTimeoutSet(); // its statements' lock waits are sqlite-jdbc's (see statementThrough)
        }
    }
}
