package io.corrosion.jdbc.proxy;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * A connection's transaction as SQLite, sqlite-jdbc and the file's transaction gate ({@link GateTransaction}) see it,
 * kept in step where sqlite-jdbc lets them drift: it switches its auto-commit flag before the COMMIT or BEGIN that
 * should go with it, and carries on as if that had run. Errors leave untranslated; the connection translates them.
 */
final class ConnectionTransaction {
    private final SQLiteConnection raw;
    private final GateTransaction gate;
    /** The open transaction was begun by a savepoint set in auto-commit: a DEFERRED one ({@link #setSavepoint}). */
    private volatile boolean savepointBegan;

    ConnectionTransaction(SQLiteConnection raw, GateTransaction gate) {
        this.raw = raw;
        this.gate = gate;
    }

    @FunctionalInterface
    interface SavepointCall {
        Savepoint run() throws SQLException;
    }

    /**
     * Before every statement: the first one of a transaction tells the gate. One that sqlite-jdbc began
     * {@code IMMEDIATE} or {@code EXCLUSIVE} ({@code transaction_mode}) took the write lock at its BEGIN (which
     * sqlite-jdbc runs at once after each commit): no apply can come between its read and its write, so it does not
     * wait at the gate (it waited for an apply that waited for its lock, up to the gate's bound, 5 s).
     */
    void statementStarting() throws SQLException {
        if (!raw.getAutoCommit()) {
            gate.statementInTransaction(beganHoldingTheWriteLock());
        }
    }

    private boolean beganHoldingTheWriteLock() {
        if (savepointBegan) {
            return false;
        }
        SQLiteConfig.TransactionMode mode = raw.getCurrentTransactionMode();
        return mode == SQLiteConfig.TransactionMode.IMMEDIATE || mode == SQLiteConfig.TransactionMode.EXCLUSIVE;
    }

    /** The transaction is over (rolled back, committed, its connection closed): the gate stops counting it. */
    void ended() {
        gate.ended();
        savepointBegan = false;
    }

    void rollback() throws SQLException {
        ended();
        raw.rollback();
    }

    /**
     * sqlite-jdbc lets a savepoint be set in auto-commit (JDBC does not): it switches to manual commit and its
     * SAVEPOINT begins a DEFERRED transaction, whatever {@code transaction_mode} says; that transaction waits at the
     * gate like any other that takes no write lock at its BEGIN.
     */
    Savepoint setSavepoint(SavepointCall call) throws SQLException {
        boolean beginsTransaction = raw.getAutoCommit();
        Savepoint savepoint = call.run();
        savepointBegan |= beginsTransaction;
        return savepoint;
    }

    void commit() throws SQLException {
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
            begin("BEGIN " + raw.getConnectionConfig().getTransactionMode().name()); // or the one left open goes on
        } catch (SQLException notBegun) {
            raw.getConnectionConfig().setAutoCommit(true);
            commitFailure.addSuppressed(notBegun);
        }
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
