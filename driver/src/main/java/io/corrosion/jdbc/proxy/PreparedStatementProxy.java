package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.intercept.BatchCapture;
import io.corrosion.jdbc.intercept.ConflictResolution;
import io.corrosion.jdbc.intercept.ParameterBinder;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * The driver's PreparedStatement. The SQL was planned and (unless a plain read) rewritten by the hook once, when the
 * statement was prepared; each execution costs one delegated call plus, for non-reads, the hook's
 * {@code afterExecute}.
 */
@SuppressWarnings("deprecation")
public final class PreparedStatementProxy extends StatementProxy implements PreparedStatement {
    /** The sqlite-jdbc statement; {@link ClosedStatement} once this closed and the statement went back to the cache. */
    private PreparedStatement ps;
    private final SqlPlan plan;
    private final boolean hooked;
    private final ParameterBinder binder;
    /** For {@code INSERT INTO crsql_changes (...) VALUES (?, ...)}: its parameters as changes; null otherwise. */
    private final ChangeRecorder changes;
    /** Runs this statement's batches at once; null if the hook has none for it. */
    private final BatchCapture batchCapture;
    /** The values the binder bound to the rows of the pending batch, for {@link #batchCapture}. */
    private final List<Object> batchBound = new ArrayList<>();
    /** A plain single-row INSERT whose key the binder binds: its generated key is the key bound ({@link #knownKey}). */
    private final boolean keyBound;
    /** An UPDATE or DELETE: sqlite-jdbc's generated-keys check after each execution can only say no (see {@link #run}). */
    private final boolean neverGeneratesKeys;
    /** {@link #getGeneratedKeys} was called: sqlite-jdbc then holds a result set its check clears. */
    private boolean keysAsked;
    /** The parameters of the SQL the application prepared, once asked ({@link #checkIndex}); -1 before. */
    private int applicationParameters = -1;
    /** Where {@code ps} goes back in the connection's {@link StatementCache} when this closes; null if it does not. */
    private final StatementCache.Key cacheKey;

    /**
     * @param sql      what {@code ps} was prepared with
     * @param cacheKey where {@code ps} goes back in the connection's statement cache at close; null if it does not
     */
    PreparedStatementProxy(ConnectionProxy connection, PreparedStatement ps, String sql, SqlPlan plan,
            ParameterBinder binder, ChangeRecorder changes, BatchCapture batchCapture, StatementCache.Key cacheKey) {
        super(connection, ps);
        this.ps = ps;
        this.cacheKey = cacheKey;
        this.plan = plan;
        this.hooked = !plan.plainRead();
        this.binder = binder;
        this.changes = changes;
        this.batchCapture = batchCapture;
        this.keyBound = binder != null && plainSingleInsert(plan);
        this.neverGeneratesKeys = startsWithKeyword(sql, "update") || startsWithKeyword(sql, "delete");
    }

    private static boolean startsWithKeyword(String sql, String keyword) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        int end = i + keyword.length();
        return sql.regionMatches(true, i, keyword, 0, keyword.length())
                && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
    }

    /**
     * Runs an execution of the statement. sqlite-jdbc matches the SQL against a pattern for INSERT/REPLACE after every
     * execution to decide whether to fetch generated keys (~0.3 µs, a few percent of a small UPDATE). For SQL that
     * starts with UPDATE or DELETE the answer is always no, and as long as nobody asked this statement for its generated
     * keys it has none to clear, so the check is skipped: the outcome is the same.
     */
    private <T> T run(Execution<T> execution) throws SQLException {
        return neverGeneratesKeys && !keysAsked ? withoutKeyCheck(execution) : execution.run();
    }


    private static boolean plainSingleInsert(SqlPlan plan) {
        if (plan.statements().size() != 1) {
            return false;
        }
        StatementPlan s = plan.first();
        return s.kind() == StatementKind.INSERT && s.orAction() == ConflictResolution.NONE && !s.onConflict() && !s.returning();
    }

    /**
     * An update of a plain single-row INSERT whose key the driver bound: without sqlite-jdbc's generated-keys
     * bookkeeping (a {@code SELECT last_insert_rowid()} prepared and run after every INSERT, about 3 µs), since the
     * generated key is the key bound. A failed execution leaves the previous key, as sqlite-jdbc does.
     */
    private long keyBoundUpdate(boolean large) throws SQLException {
        boolean wanted = connection.generatedKeys();
        Object key = binder.lastBound();
        long count = large ? withoutKeyCheck(ps::executeLargeUpdate) : withoutKeyCheck(ps::executeUpdate);
        if (wanted) {
            // not the key bound when no row was inserted: a trigger's RAISE(IGNORE), say
            knownKey.set(count == 1 && key instanceof Long l ? l : KnownKey.lastInsertRowid(connection.raw()));
        }
        return count;
    }

    private void record(int parameterIndex, Object value) throws SQLException {
        checkIndex(parameterIndex);
        if (changes != null) {
            changes.set(parameterIndex, value);
        }
    }

    private void unrecorded(int parameterIndex) throws SQLException {
        checkIndex(parameterIndex);
        if (changes != null) {
            changes.unknown(parameterIndex);
        }
    }

    /**
     * The parameters the driver appended (a key it allocates) are not the application's: binding one is out of range,
     * as it is without them (a bug in the application's parameter count must not pass unnoticed).
     */
    private void checkIndex(int parameterIndex) throws SQLException {
        if (binder != null && parameterIndex > applicationParameters()) {
            throw new SQLException("Parameter index " + parameterIndex + " out of range: the statement has "
                    + applicationParameters() + " parameters", "07009");
        }
    }

    private int applicationParameters() throws SQLException {
        if (applicationParameters < 0) {
            applicationParameters = ps.getParameterMetaData().getParameterCount() - binder.appendedParameters();
        }
        return applicationParameters;
    }

    /** The bound change merged through the CRR API: what the view's trigger would do, without the trigger. */
    private Change recordedChange() {
        return changes == null ? null : changes.current();
    }

    /**
     * Binds what the hook appended, before an execution or a batch row, after the statement passed the transaction gate
     * ({@link #beforeExecute}): binding a key may write its reservation, which takes the write lock. Taken before the
     * gate, an apply waiting at the gate for this transaction's lock stalled both for the gate's bound.
     */
    private void bindAppended() throws SQLException {
        if (binder != null) {
            binder.bind(ps);
        }
    }

    @Override
    boolean resultsEndHooked() {
        return hooked;
    }

    /** The plan of the SQL this statement was prepared with. */
    public SqlPlan plan() {
        return plan;
    }

    private void beforeExecute() throws SQLException {
        counts.executing(plan);
        connection.statementStarting();
        if (hooked) {
            connection.beforeExecute(plan);
        }
    }

    private void afterExecute() throws SQLException {
        if (hooked) {
            connection.afterExecute(plan);
        } else {
            connection.statementThrough();
        }
    }

    private SQLException failed(SQLException e) {
        if (hooked) {
            connection.afterFailure(plan);
        } else {
            connection.statementThrough();
        }
        return translate(e);
    }

    @Override
    void batchCleared() {
        if (changes != null) {
            changes.clearBatch();
        }
        batchBound.clear();
    }

    @Override
    void beforeBatch() throws SQLException {
        beforeExecute();
    }

    @Override
    void batchFailed() {
        if (hooked) {
            connection.afterFailure(plan);
        }
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        try {
            knownKey.forget();
            beforeExecute();
            bindAppended();
            ResultSet rs = ps.executeQuery();
            afterExecute();
            return wrap(rs);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        Change change = recordedChange();
        if (change != null) {
            connection.applyChanges(List.of(change));
            return 1; // a row inserted into crsql_changes, as cr-sqlite's virtual table counts it
        }
        try {
            beforeExecute();
            bindAppended();
            int count = keyBound ? (int) keyBoundUpdate(false)
                    : (int) counts.visible(counts.counting(plan, () -> run(ps::executeUpdate)));
            afterExecute();
            return count;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        Change change = recordedChange();
        if (change != null) {
            connection.applyChanges(List.of(change));
            return 1;
        }
        try {
            beforeExecute();
            bindAppended();
            long count = keyBound ? keyBoundUpdate(true)
                    : counts.visible(counts.counting(plan, () -> run(ps::executeLargeUpdate)));
            afterExecute();
            return count;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute() throws SQLException {
        try {
            knownKey.forget();
            beforeExecute();
            bindAppended();
            boolean hasResultSet = counts.counting(plan, () -> run(ps::execute));
            afterExecute();
            return hasResultSet;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void addBatch() throws SQLException {
        try {
            if (binder != null) {
                connection.statementStarting(); // the gate, before a key's reservation takes the write lock
            }
            bindAppended();
            ps.addBatch();
            if (changes != null) {
                changes.addBatch();
            }
            if (batchCapture != null) {
                batchBound.add(binder.lastBound());
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** A batch of recorded changes merged at once (one call, atomic); null if the batch must run as written. */
    private int[] mergedBatch() throws SQLException {
        List<Change> rows = changes == null ? null : changes.takeBatch();
        if (rows == null) {
            return null;
        }
        try {
            ps.clearBatch();
        } catch (SQLException e) {
            throw translate(e);
        }
        connection.applyChanges(rows);
        int[] counts = new int[rows.size()];
        Arrays.fill(counts, 1);
        return counts;
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        keysAsked = true;
        return super.getGeneratedKeys();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        knownKey.forget();
        int[] merged = mergedBatch();
        if (merged != null) {
            return merged;
        }
        return Arrays.stream(executeChangesBatch()).mapToInt(n -> (int) n).toArray();
    }

    /**
     * A batch as written; if it inserts into {@code crsql_changes} (a form the driver does not merge itself), a single
     * row's count is the rows it inserted, and each of several rows counts {@link java.sql.Statement#SUCCESS_NO_INFO}:
     * sqlite-jdbc runs them at once, and SQLite counts none of them (an INSERT into a view).
     */
    private long[] executeChangesBatch() throws SQLException {
        long before = connection.changesInserted();
        long[] result = batched(() -> {
            long[] c = Arrays.stream(runBatch()).asLongStream().toArray();
            afterExecute();
            return c;
        });
        if (UpdateCounts.insertsChanges(plan)) {
            Arrays.fill(result, result.length == 1 ? connection.changesInserted() - before : SUCCESS_NO_INFO);
        }
        return result;
    }

    /** The batch, through the hook's batch capture if it has one. */
    private int[] runBatch() throws SQLException {
        if (batchCapture == null) {
            return ps.executeBatch();
        }
        List<Object> bound = new ArrayList<>(batchBound);
        batchBound.clear();
        return batchCapture.execute(bound, ps::executeBatch);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        knownKey.forget();
        int[] merged = mergedBatch();
        if (merged != null) {
            return Arrays.stream(merged).asLongStream().toArray();
        }
        return executeChangesBatch();
    }

    /**
     * The statement goes back to the connection's cache, as a fresh prepare would make it: no parameters, no batch,
     * no warnings, no open results, no setting the application changed (a statement whose settings changed is closed).
     */
    @Override
    boolean handedBack() throws SQLException {
        if (cacheKey == null || rawChanged || connection.wasClosed() || ps == ClosedStatement.INSTANCE) {
            return false;
        }
        PreparedStatement kept = ps;
        try {
            ResultSet results = lastResults();
            if (results != null) {
                results.close();
            }
            kept.clearBatch();
            kept.clearParameters();
            kept.clearWarnings();
        } catch (SQLException e) {
            return false;
        }
        ps = ClosedStatement.INSTANCE;
        detach();
        if (!connection.keep(cacheKey, kept)) {
            kept.close();
        }
        return true;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return ResultSetMetaDataProxy.wrap(ps.getMetaData());
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        try {
            return ParameterMetaDataProxy.wrap(ps.getParameterMetaData(),
                    binder == null ? 0 : binder.appendedParameters());
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    // Plain delegation below.

    @Override public void clearParameters() throws SQLException { try { if (changes != null) { changes.clearParameters(); } ps.clearParameters(); } catch (SQLException e) { throw translate(e); } }
    @Override public void setArray(int parameterIndex, Array x) throws SQLException { try { unrecorded(parameterIndex); ps.setArray(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setAsciiStream(int parameterIndex, InputStream x, int n2) throws SQLException { try { unrecorded(parameterIndex); ps.setAsciiStream(parameterIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setAsciiStream(int parameterIndex, InputStream x, long length2) throws SQLException { try { unrecorded(parameterIndex); ps.setAsciiStream(parameterIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException { try { unrecorded(parameterIndex); ps.setAsciiStream(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException { try { unrecorded(parameterIndex); ps.setBigDecimal(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBinaryStream(int parameterIndex, InputStream x, int n2) throws SQLException { try { unrecorded(parameterIndex); ps.setBinaryStream(parameterIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBinaryStream(int parameterIndex, InputStream x, long length2) throws SQLException { try { unrecorded(parameterIndex); ps.setBinaryStream(parameterIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException { try { unrecorded(parameterIndex); ps.setBinaryStream(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBlob(int parameterIndex, InputStream x, long length2) throws SQLException { try { unrecorded(parameterIndex); ps.setBlob(parameterIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBlob(int parameterIndex, InputStream x) throws SQLException { try { unrecorded(parameterIndex); ps.setBlob(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBlob(int parameterIndex, Blob x) throws SQLException { try { unrecorded(parameterIndex); ps.setBlob(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBoolean(int parameterIndex, boolean x) throws SQLException { try { record(parameterIndex, x ? 1L : 0L); ps.setBoolean(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setByte(int parameterIndex, byte x) throws SQLException { try { record(parameterIndex, (long) x); ps.setByte(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setBytes(int parameterIndex, byte[] x) throws SQLException { try { record(parameterIndex, x); ps.setBytes(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setCharacterStream(int parameterIndex, Reader x, int n2) throws SQLException { try { unrecorded(parameterIndex); ps.setCharacterStream(parameterIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setCharacterStream(int parameterIndex, Reader x, long length2) throws SQLException { try { unrecorded(parameterIndex); ps.setCharacterStream(parameterIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setCharacterStream(int parameterIndex, Reader x) throws SQLException { try { unrecorded(parameterIndex); ps.setCharacterStream(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setClob(int parameterIndex, Reader x, long length2) throws SQLException { try { unrecorded(parameterIndex); ps.setClob(parameterIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setClob(int parameterIndex, Reader x) throws SQLException { try { unrecorded(parameterIndex); ps.setClob(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setClob(int parameterIndex, Clob x) throws SQLException { try { unrecorded(parameterIndex); ps.setClob(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setDate(int parameterIndex, Date x, Calendar calendar2) throws SQLException { try { unrecorded(parameterIndex); ps.setDate(parameterIndex, x, calendar2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setDate(int parameterIndex, Date x) throws SQLException { try { unrecorded(parameterIndex); ps.setDate(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setDouble(int parameterIndex, double x) throws SQLException { try { record(parameterIndex, x); ps.setDouble(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setFloat(int parameterIndex, float x) throws SQLException { try { record(parameterIndex, (double) x); ps.setFloat(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setInt(int parameterIndex, int x) throws SQLException { try { record(parameterIndex, (long) x); ps.setInt(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setLong(int parameterIndex, long x) throws SQLException { try { record(parameterIndex, x); ps.setLong(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNCharacterStream(int parameterIndex, Reader x, long length2) throws SQLException { try { unrecorded(parameterIndex); ps.setNCharacterStream(parameterIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNCharacterStream(int parameterIndex, Reader x) throws SQLException { try { unrecorded(parameterIndex); ps.setNCharacterStream(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNClob(int parameterIndex, Reader x, long length2) throws SQLException { try { unrecorded(parameterIndex); ps.setNClob(parameterIndex, x, length2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNClob(int parameterIndex, Reader x) throws SQLException { try { unrecorded(parameterIndex); ps.setNClob(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNClob(int parameterIndex, NClob x) throws SQLException { try { unrecorded(parameterIndex); ps.setNClob(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNString(int parameterIndex, String x) throws SQLException { try { unrecorded(parameterIndex); ps.setNString(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNull(int parameterIndex, int x, String s2) throws SQLException { try { record(parameterIndex, null); ps.setNull(parameterIndex, x, s2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setNull(int parameterIndex, int x) throws SQLException { try { record(parameterIndex, null); ps.setNull(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, int n2, int n3) throws SQLException { try { unrecorded(parameterIndex); ps.setObject(parameterIndex, x, n2, n3); } catch (SQLException e) { throw translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, int n2) throws SQLException { try { unrecorded(parameterIndex); ps.setObject(parameterIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, SQLType sQLType2, int n3) throws SQLException { try { unrecorded(parameterIndex); ps.setObject(parameterIndex, x, sQLType2, n3); } catch (SQLException e) { throw translate(e); } }
    @Override public void setObject(int parameterIndex, Object x, SQLType sQLType2) throws SQLException { try { unrecorded(parameterIndex); ps.setObject(parameterIndex, x, sQLType2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setObject(int parameterIndex, Object x) throws SQLException { try { record(parameterIndex, x); ps.setObject(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setRef(int parameterIndex, Ref x) throws SQLException { try { unrecorded(parameterIndex); ps.setRef(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setRowId(int parameterIndex, RowId x) throws SQLException { try { unrecorded(parameterIndex); ps.setRowId(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setSQLXML(int parameterIndex, SQLXML x) throws SQLException { try { unrecorded(parameterIndex); ps.setSQLXML(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setShort(int parameterIndex, short x) throws SQLException { try { record(parameterIndex, (long) x); ps.setShort(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setString(int parameterIndex, String x) throws SQLException { try { record(parameterIndex, x); ps.setString(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setTime(int parameterIndex, Time x, Calendar calendar2) throws SQLException { try { unrecorded(parameterIndex); ps.setTime(parameterIndex, x, calendar2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setTime(int parameterIndex, Time x) throws SQLException { try { unrecorded(parameterIndex); ps.setTime(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setTimestamp(int parameterIndex, Timestamp x, Calendar calendar2) throws SQLException { try { unrecorded(parameterIndex); ps.setTimestamp(parameterIndex, x, calendar2); } catch (SQLException e) { throw translate(e); } }
    @Override public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException { try { unrecorded(parameterIndex); ps.setTimestamp(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Override public void setURL(int parameterIndex, URL x) throws SQLException { try { unrecorded(parameterIndex); ps.setURL(parameterIndex, x); } catch (SQLException e) { throw translate(e); } }
    @Deprecated @Override public void setUnicodeStream(int parameterIndex, InputStream x, int n2) throws SQLException { try { unrecorded(parameterIndex); ps.setUnicodeStream(parameterIndex, x, n2); } catch (SQLException e) { throw translate(e); } }
}
