package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.LockWait;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.intercept.BatchCapture;
import io.corrosion.jdbc.intercept.ChangesInsert;
import io.corrosion.jdbc.intercept.Identifiers;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.ParameterBinder;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.replication.NodeReplication;
import java.sql.CallableStatement;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

/**
 * The application's connection: one physical sqlite-jdbc connection, the interceptor and the database file's statement
 * hook; {@link NodeApiConnection} adds the CRR and replication API, {@link DelegatedCalls} the plain calls. equals/hashCode are identity (pools and
 * Hibernate's leak detection rely on it).
 */
public final class ConnectionProxy extends DelegatedCalls {
    private static final SqlPlan COMMIT = Interceptor.classify("COMMIT");

    private final SQLiteConnection raw;
    private final CorrosionConfig config;
    private final Optional<String> databasePath;
    private final Interceptor interceptor;
    private final StatementHook hook;
    private final LockWait lockWait;
    private final Consumer<ConnectionProxy> onClose;
    /** This connection's transaction as SQLite, sqlite-jdbc and the file's transaction gate see it. */
    private final ConnectionTransaction transaction;
    /**
     * Whether sqlite-jdbc reports generated keys on this connection (its {@code getGeneratedKeys} setting at open):
     * statements switch it off around executions that need none, and put back this, not what they read, which another
     * thread's execution may have switched off meanwhile.
     */
    private final boolean generatedKeys;
    /** Closed write statements kept for the next prepare of the same SQL. */
    private final StatementCache statements;
    /** A statement of this connection was given a query timeout (see {@link #statementThrough}). */
    private volatile boolean queryTimeouts;
    private volatile boolean closed;

    /** @param onClose called once when the application closes this connection, after the physical one is closed */
    public ConnectionProxy(SQLiteConnection raw, CorrosionConfig config, Optional<String> databasePath,
            Interceptor interceptor, StatementHook hook, CrrApi crr, NodeReplication replication, LockWait lockWait,
            Consumer<ConnectionProxy> onClose) {
        super(crr, replication);
        this.raw = raw;
        this.config = config;
        this.databasePath = databasePath;
        this.interceptor = interceptor;
        this.hook = hook;
        this.transaction = new ConnectionTransaction(raw, new GateTransaction(replication.transactionGate()));
        this.lockWait = lockWait;
        this.generatedKeys = raw.getConnectionConfig().isGetGeneratedKeys();
        this.statements = new StatementCache(config.statementCacheSize());
        this.onClose = onClose;
    }

    @Override
    public Optional<String> databasePath() {
        return databasePath;
    }

    @Override
    public CorrosionConfig config() {
        return config;
    }

    /** The sqlite-jdbc connection underneath, for the statement proxies of this package. */
    @Override
    SQLiteConnection raw() {
        return raw;
    }

    /** The physical sqlite-jdbc connection underneath. */
    public SQLiteConnection physical() {
        return raw;
    }

    SqlPlan plan(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("SQL is null", "42000");
        }
        return interceptor.plan(sql);
    }

    /** The SQL to run for a plain read: as written, or with the hidden key left out of its {@code *}. */
    String readSql(SqlPlan plan) throws SQLException {
        return plan.starOrNatural() ? hook.rewriteRead(plan, raw) : plan.sql();
    }

    String rewrite(SqlPlan plan) throws SQLException {
        if (plan.statements().size() == 1 && plan.first().kind() == StatementKind.PRAGMA) {
            Optional<String> busyTimeout = lockWait.answer(plan.first().sql());
            if (busyTimeout.isPresent()) {
                return busyTimeout.get();
            }
        }
        return hook.rewrite(plan, raw);
    }

    /** Before every statement: the first one of a transaction tells the file's gate ({@link ConnectionTransaction}). */
    void statementStarting() throws SQLException {
        checkOpen(); // a statement kept past its connection's close (a shutdown) says so: 08003, which pools act on
        transaction.statementStarting();
    }

    void beforeExecute(SqlPlan plan) throws SQLException {
        hook.beforeExecute(plan, raw);
    }

    /** The rows this connection's statements have inserted into {@code crsql_changes} so far. */
    long changesInserted() {
        return hook.changesInserted(raw);
    }

    void beforeStatement(SqlPlan plan, int index) throws SQLException {
        hook.beforeStatement(plan, index, raw);
    }

    void beforeBatch(List<SqlPlan> plans) throws SQLException {
        hook.beforeBatch(plans, raw);
    }

    /**
     * The hook first: it reports a commit during the statement finished before {@link ConnectionTransaction} asks
     * SQLite whether a transaction is open (a BEGIN and a ROLLBACK, whose rollback hook would end the commit's report).
     */
    void afterExecute(SqlPlan plan) throws SQLException {
        statementThrough();
        try {
            hook.afterExecute(plan, raw);
        } finally {
            transaction.transactionControlRan(plan, false);
        }
    }

    /** One of this connection's result sets reached its end or closed (see {@link StatementHook#resultsDone}). */
    void resultsDone() {
        hook.resultsDone(raw);
    }

    void afterFailure(SqlPlan plan) {
        statementThrough();
        transaction.transactionControlRan(plan, true);
        hook.afterFailure(plan, raw);
    }

    /** A statement ran (or failed): if it waited for the write lock, the agent hears that it is through. */
    void statementThrough() {
        lockWait.statementDone();
        if (queryTimeouts) {
            // sqlite-jdbc runs a statement that has a query timeout under SQLite's own busy handler, set to that
            // timeout, and afterwards sets SQLite's busy timeout back, which keeps SQLite's handler: ours goes back.
            try {
                BusyHandler.setHandler(raw, lockWait);
            } catch (SQLException closed) {
                // the connection is closed: nothing waits on it any more
            }
        }
    }

    boolean generatedKeys() {
        return generatedKeys;
    }

    /** A statement of this connection was given a query timeout. */
    void queryTimeoutSet() {
        queryTimeouts = true;
    }

    /** Closed by the application or by its database's shutdown. */
    @Override
    boolean wasClosed() {
        return closed;
    }

    @Override
    void transactionStatementStarting() throws SQLException {
        transaction.statementStarting();
    }

    @Override
    void checkOpen() throws SQLException {
        if (closed) {
            throw SqlErrors.connectionClosed();
        }
    }

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        try {
            return new StatementProxy(this, raw.createStatement());
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkOpen();
        try {
            return new StatementProxy(this, raw.createStatement(resultSetType, resultSetConcurrency));
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkOpen();
        try {
            return new StatementProxy(this,
                    raw.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @FunctionalInterface
    private interface Preparer {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    /**
     * @param variant the arguments of the {@code prepareStatement} overload besides the SQL: a statement kept in
     *                {@link #statements} is handed out again only for the same SQL and the same arguments
     */
    private PreparedStatement prepared(String sql, List<?> variant, Preparer preparer) throws SQLException {
        checkOpen();
        try {
            SqlPlan plan = plan(sql);
            if (plan.plainRead()) {
                String read = readSql(plan);
                return new PreparedStatementProxy(this, preparer.prepare(read), read, plan, null, null, null, null);
            }
            String toRun = rewrite(plan);
            ParameterBinder binder = hook.parameterBinder(plan, raw);
            BatchCapture batchCapture = binder == null ? null : hook.batchCapture(plan, raw, binder);
            ChangeRecorder changes = plan.statements().size() == 1 && crr != CrrApi.NONE
                    ? ChangesInsert.parameterColumns(plan.first()).map(ChangeRecorder::new).orElse(null) : null;
            StatementCache.Key key = statements.enabled() && changes == null && keepable(plan)
                    ? new StatementCache.Key(toRun, variant) : null;
            PreparedStatement kept = key == null ? null : statements.take(key);
            return new PreparedStatementProxy(this, kept != null ? kept : preparer.prepare(toRun), toRun, plan, binder,
                    changes, batchCapture, key);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /**
     * Whether a statement of {@code plan} goes back to {@link #statements} when it closes: one INSERT, UPDATE or
     * DELETE without RETURNING, which leaves no rows open behind it. Reads cost SQLite little to compile (no triggers).
     */
    private static boolean keepable(SqlPlan plan) {
        return plan.statements().size() == 1 && plan.first().kind().isDml() && !plan.first().returning();
    }

    /** Takes back a closed proxy's statement prepared under {@code key}, reset; false if not kept (the caller closes it). */
    boolean keep(StatementCache.Key key, PreparedStatement statement) {
        return !closed && statements.keep(key, statement);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepared(sql, List.of(), raw::prepareStatement);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepared(sql, List.of("keys", autoGeneratedKeys), s -> raw.prepareStatement(s, autoGeneratedKeys));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        List<Integer> indexes = columnIndexes == null ? List.of() : Arrays.stream(columnIndexes).boxed().toList();
        return prepared(sql, List.of("indexes", indexes), s -> raw.prepareStatement(s, columnIndexes));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepared(sql, List.of("names", columnNames == null ? List.of() : Arrays.asList(columnNames.clone())),
                s -> raw.prepareStatement(s, columnNames));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepared(sql, List.of(resultSetType, resultSetConcurrency),
                s -> raw.prepareStatement(s, resultSetType, resultSetConcurrency));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return prepared(sql, List.of(resultSetType, resultSetConcurrency, resultSetHoldability),
                s -> raw.prepareStatement(s, resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        throw noStoredProcedures();
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        throw noStoredProcedures();
    }

    private SQLException noStoredProcedures() throws SQLException {
        checkOpen();
        return new SQLFeatureNotSupportedException(
                "SQLite has no stored procedures, so there is no CallableStatement; use prepareStatement",
                SqlErrors.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        try {
            return new DatabaseMetaDataProxy(this, raw.getMetaData());
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /** Ends the gate's count of this connection's transaction, closes its kept statements and the physical one. */
    private void release() throws SQLException {
        transaction.ended();
        statements.close();
        try {
            raw.close();
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        } finally {
            onClose.accept(this);
        }
    }

    /** Closed at once, as JDBC says (pools evict with it): the physical connection is released on the executor. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor", "HY009");
        }
        if (closed) {
            return;
        }
        closed = true;
        executor.execute(() -> {
            try {
                release();
            } catch (SQLException ignored) {
                // abort is best effort by contract; the physical connection is gone either way
            }
        });
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen(); // an aborted connection is released later, on the executor
        try {
            transaction.rollback();
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        checkOpen(); // an aborted connection is released later, on the executor
        try {
            return transaction.setSavepoint(raw::setSavepoint);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen(); // an aborted connection is released later, on the executor
        try {
            return transaction.setSavepoint(() -> raw.setSavepoint(name));
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** The hook sees the commit as if the application had run {@code COMMIT}. */
    @Override
    public void commit() throws SQLException {
        checkOpen();
        try {
            transaction.commit();
            statementThrough();
            hook.afterExecute(COMMIT, raw);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** Switching auto-commit on commits an open transaction (JDBC): the hook sees that as {@code COMMIT}. */
    @Override
    public void setAutoCommit(boolean flag) throws SQLException {
        checkOpen();
        try {
            if (transaction.setAutoCommit(flag)) {
                hook.afterExecute(COMMIT, raw);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /** The hook sees the {@code ROLLBACK TO SAVEPOINT} sqlite-jdbc runs, as if the application had run it. */
    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        try {
            raw.rollback(savepoint);
            hook.afterExecute(plan("ROLLBACK TO SAVEPOINT " + Identifiers.quote(savepoint.getSavepointName())), raw);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    /**
     * A release that commits (the savepoint began the transaction in auto-commit) ends it ({@link ConnectionTransaction}).
     * The hook sees the {@code RELEASE SAVEPOINT} sqlite-jdbc runs, as if the application had run it: a commit is done.
     */
    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen(); // an aborted connection is released later, on the executor
        try {
            transaction.releaseSavepoint(savepoint, () -> hook.afterExecute(
                    plan("RELEASE SAVEPOINT " + Identifiers.quote(savepoint.getSavepointName())), raw));
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || raw.isClosed();
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
        return "CorrosionConnection[" + databasePath.orElse(":memory:") + (closed ? ", closed" : "") + "]";
    }
}
