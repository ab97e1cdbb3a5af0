package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * A connection's transaction as SQLite, sqlite-jdbc and the file's transaction gate ({@link GateTransaction}) see it,
 * kept in step where sqlite-jdbc lets them drift: it switches its auto-commit flag before the COMMIT or BEGIN that
 * should go with it, and carries on as if that had run. Errors leave untranslated; the connection translates them.
 */
final class ConnectionTransaction {
    private static final Pattern BEGIN_TAKING_THE_LOCK = Pattern.compile("(?i)^\\s*BEGIN\\s+(IMMEDIATE|EXCLUSIVE)\\b");

    private final SQLiteConnection raw;
    private final GateTransaction gate;
    /** The open transaction was begun by a savepoint set in auto-commit: a DEFERRED one ({@link #setSavepoint}). */
    private volatile boolean savepointBegan;
    /**
     * In manual commit with {@code transaction_mode} IMMEDIATE or EXCLUSIVE, a commit or rollback ended the transaction
     * and the next one is to begin before the next statement ({@link #endThenBeginLazily}).
     */
    private volatile boolean beginPending;
    /**
     * SQLite has a transaction open that SQL began ({@code BEGIN}, or {@code SAVEPOINT} outside a transaction) while
     * sqlite-jdbc is in auto-commit: the gate counts it as any other ({@link #transactionControlRan}).
     */
    private volatile boolean sqlBegan;
    /** That transaction's BEGIN was IMMEDIATE or EXCLUSIVE: it holds the write lock. */
    private volatile boolean sqlBeganHoldingTheWriteLock;

    ConnectionTransaction(SQLiteConnection raw, GateTransaction gate) {
        this.raw = raw;
        this.gate = gate;
    }

    @FunctionalInterface
    interface SavepointCall {
        Savepoint run() throws SQLException;
    }

    /** What runs once a savepoint is released. */
    @FunctionalInterface
    interface Released {
        void run() throws SQLException;
    }

    /**
     * Before every statement: the first one of a transaction tells the gate. One begun {@code IMMEDIATE} or
     * {@code EXCLUSIVE} ({@code transaction_mode}) took the write lock at its BEGIN (run by setAutoCommit(false), or
     * here after a commit or rollback): no apply can come between its read and its write, so it does not wait at the
     * gate (it waited for an apply that waited for its lock, up to the gate's bound, 5 s).
     */
    void statementStarting() throws SQLException {
        if (!raw.getAutoCommit()) {
            beginIfPending();
            gate.statementInTransaction(beganHoldingTheWriteLock());
        } else if (sqlBegan) {
            gate.statementInTransaction(sqlBeganHoldingTheWriteLock);
        }
    }

    /**
     * A statement ran (or {@code failed}) in auto-commit. If it controls transactions ({@code BEGIN}, {@code COMMIT},
     * {@code SAVEPOINT}, ...), or failed inside a transaction SQL began (SQLite may have rolled it back:
     * {@code RAISE(ROLLBACK)}), SQLite is asked whether a transaction is open now: the gate counts one SQL began from
     * its next statement, and stops counting it when it ended. It counted none, so an apply could commit between such
     * a transaction's read and its write (40001).
     */
    void transactionControlRan(SqlPlan plan, boolean failed) {
        if (!raw.getConnectionConfig().isAutoCommit()) {
            return;
        }
        boolean control = false;
        boolean takesTheLock = false;
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.TRANSACTION) {
                control = true;
                takesTheLock |= BEGIN_TAKING_THE_LOCK.matcher(s.sql()).find();
            }
        }
        if (!control && !(failed && sqlBegan)) {
            return;
        }
        boolean open = sqliteTransactionOpen();
        if (open && !sqlBegan) {
            sqlBeganHoldingTheWriteLock = takesTheLock;
            sqlBegan = true;
        } else if (!open && sqlBegan) {
            sqlBegan = false;
            ended();
        }
    }

    /**
     * Begins the transaction a commit or rollback left to the next statement; if its BEGIN is refused (another writer
     * holds the lock), the statement fails (40001) and the next one tries again.
     */
    private void beginIfPending() throws SQLException {
        if (beginPending) {
            synchronized (this) {
                if (beginPending) {
                    beginConfigured();
                    beginPending = false;
                }
            }
        }
    }

    private boolean beganHoldingTheWriteLock() {
        if (savepointBegan) {
            return false;
        }
        return takesTheWriteLock(raw.getCurrentTransactionMode());
    }

    private static boolean takesTheWriteLock(SQLiteConfig.TransactionMode mode) {
        return mode == SQLiteConfig.TransactionMode.IMMEDIATE || mode == SQLiteConfig.TransactionMode.EXCLUSIVE;
    }

    /** The transaction is over (rolled back, committed, its connection closed): the gate stops counting it. */
    void ended() {
        gate.ended();
        savepointBegan = false;
        sqlBegan = false; // a transaction SQL began can end through the JDBC API too (a savepoint, then commit())
        sqlBeganHoldingTheWriteLock = false;
    }

    void rollback() throws SQLException {
        if (immediateManualCommit()) {
            endThenBeginLazily("ROLLBACK");
            return;
        }
        ended();
        raw.rollback();
    }

    /** In manual commit with a {@code transaction_mode} whose BEGIN takes the write lock (IMMEDIATE, EXCLUSIVE). */
    private boolean immediateManualCommit() throws SQLException {
        return !raw.getAutoCommit() && takesTheWriteLock(raw.getConnectionConfig().getTransactionMode());
    }

    /**
     * Ends the transaction ({@code COMMIT} or {@code ROLLBACK}) and leaves the next one to begin before the next
     * statement. sqlite-jdbc's commit() and rollback() run {@code BEGIN IMMEDIATE} at once after it, and fail if
     * another writer (the agent, another connection) took the lock in between: a commit that succeeded failed with
     * 40001, an application that retries on 40001 ran its transaction twice, and the connection was left in manual
     * commit with no transaction, its next statements committing one by one. Begun later, the BEGIN's refusal is the
     * next statement's, which belongs to the next transaction; and a connection left in manual commit holds no lock.
     * A COMMIT or ROLLBACK that fails leaves the connection as sqlite-jdbc's would ({@link #endedUnlessStillOpen}).
     */
    private synchronized void endThenBeginLazily(String sql) throws SQLException {
        if (beginPending) {
            return; // no statement since the last commit or rollback: nothing to end
        }
        try (Statement s = raw.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            endedUnlessStillOpen();
            throw e;
        }
        ended();
        beginPending = true;
    }

    /**
     * sqlite-jdbc lets a savepoint be set in auto-commit (JDBC does not): it switches to manual commit and its
     * SAVEPOINT begins a DEFERRED transaction, whatever {@code transaction_mode} says; that transaction waits at the
     * gate like any other that takes no write lock at its BEGIN.
     */
    Savepoint setSavepoint(SavepointCall call) throws SQLException {
        boolean beginsTransaction = raw.getAutoCommit();
        if (!beginsTransaction) {
            beginIfPending(); // the savepoint goes in the transaction a commit left to begin, not in one of its own
        }
        Savepoint savepoint = call.run();
        savepointBegan |= beginsTransaction;
        return savepoint;
    }

    /**
     * Releasing the outermost savepoint of a transaction a savepoint began in auto-commit commits it (SQLite), but
     * sqlite-jdbc stays in manual commit: the connection goes back to auto-commit, as SQLite is, and the gate stops
     * counting the transaction. It counted it until a commit, rollback or close, and every apply of the agent waited
     * the gate's bound (500 ms) meanwhile; the statements in between committed one by one all the same.
     */
    void releaseSavepoint(Savepoint savepoint, Released released) throws SQLException {
        raw.releaseSavepoint(savepoint);
        try {
            released.run(); // before SQLite is asked whether a transaction is open: see ConnectionProxy#afterExecute
        } finally {
            if (savepointBegan && !sqliteTransactionOpen()) {
                ended();
                raw.getConnectionConfig().setAutoCommit(true);
            }
        }
    }

    void commit() throws SQLException {
        if (immediateManualCommit()) {
            endThenBeginLazily("COMMIT");
            return;
        }
        try {
            raw.commit();
        } catch (SQLException e) {
            endedUnlessStillOpen();
            throw e;
        }
        ended();
    }

    /**
     * Switches auto-commit; true if that committed a transaction. Switching it on commits the open transaction
     * (JDBC). Switching it off begins one; if that BEGIN fails ({@code BEGIN IMMEDIATE} while another writer holds the
     * lock), the connection stays in auto-commit: sqlite-jdbc switches its flag first, and left it in manual commit
     * with no transaction, every statement committing on its own (a pool then handed it out so, and Spring, seeing
     * manual commit, began nothing).
     */
    boolean setAutoCommit(boolean flag) throws SQLException {
        if (flag && switchedOnWithNothingBegun()) {
            return false;
        }
        boolean wasAutoCommit = raw.getAutoCommit();
        boolean committing = flag && !wasAutoCommit;
        try {
            raw.setAutoCommit(flag);
        } catch (SQLException e) {
            if (committing) {
                endedUnlessStillOpen();
                if (raw.getAutoCommit()) {
                    stayInManualCommit(e);
                }
            } else if (!flag && wasAutoCommit && !raw.getAutoCommit()) {
                raw.getConnectionConfig().setAutoCommit(true); // the BEGIN failed: SQLite still auto-commits
            }
            throw e;
        }
        if (committing) {
            ended();
        }
        return committing;
    }

    /**
     * Switching auto-commit on while the next transaction is still to begin ({@link #beginPending}): there is nothing
     * to commit, and sqlite-jdbc's COMMIT would fail ("no transaction is active"); only its flag switches.
     */
    private synchronized boolean switchedOnWithNothingBegun() {
        if (!beginPending) {
            return false;
        }
        beginPending = false;
        raw.getConnectionConfig().setAutoCommit(true);
        raw.setCurrentTransactionMode(null); // as sqlite-jdbc's own switch leaves it
        return true;
    }

    /**
     * A commit failed. One that leaves the transaction open (a deferred constraint refused it; a statement of it is
     * still running: "SQL statements in progress") leaves it holding the write lock, for the application to repair or
     * roll back: it stays counted at the gate, or its next statement would wait there for an apply that waits for
     * that lock (up to the gate's bound, 5 s).
     */
    private void endedUnlessStillOpen() {
        if (!sqliteTransactionOpen()) {
            ended();
        }
    }

    /** Whether SQLite has a transaction open: a BEGIN says so by its refusal (one it allows is undone at once). */
    private boolean sqliteTransactionOpen() {
        try {
            if (!begin("BEGIN")) {
                return true;
            }
        } catch (SQLException notBegun) {
            return false; // not for an open transaction: as if none were open, the count ends
        }
        try (Statement s = raw.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException emptyTransaction) {
            // the transaction just begun holds nothing: if it cannot be undone now, the application's next commit,
            // rollback or close ends it
        }
        return false;
    }

    /**
     * Switching auto-commit on failed to commit: the connection stays in manual commit, as after a failed
     * {@link #commit()}, with a transaction open as sqlite-jdbc keeps one in that mode. sqlite-jdbc switches its flag
     * before it commits, so after a commit a deferred foreign key refused, the application's rollback was refused
     * ("database in auto-commit mode") and the open transaction kept the file's write lock, for every writer and the
     * agent, until the connection closed (a pool keeps it open). When SQLite had ended the transaction itself
     * ({@code RAISE(ROLLBACK)}, a {@code COMMIT} run as SQL, a full disk), a new one begins, as sqlite-jdbc's
     * {@code rollback()} would begin it. If that cannot begin either (another writer holds the lock for
     * {@code BEGIN IMMEDIATE}), the connection is left in auto-commit, which is then SQLite's state, and the commit's
     * failure carries the reason.
     */
    private void stayInManualCommit(SQLException commitFailure) {
        raw.getConnectionConfig().setAutoCommit(false);
        try {
            beginConfigured(); // or the one left open goes on
        } catch (SQLException notBegun) {
            raw.getConnectionConfig().setAutoCommit(true);
            commitFailure.addSuppressed(notBegun);
        }
    }

    /** Begins a transaction in the configured {@code transaction_mode}, unless SQLite has one open already. */
    private void beginConfigured() throws SQLException {
        begin("BEGIN " + raw.getConnectionConfig().getTransactionMode().name());
    }

    /** Runs {@code beginSql}: true if it began a transaction, false if SQLite had one open already. */
    private boolean begin(String beginSql) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute(beginSql);
            return true;
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("within a transaction")) {
                return false;
            }
            throw e;
        }
    }
}
