package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Reentrant;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * The transactions a {@link CrrSession} runs its work in: in auto-commit mode one of its own (BEGIN IMMEDIATE: merges
 * read before they write), inside the application's or the owner's transaction a savepoint, so the work is atomic
 * either way. The transaction-control statements stay prepared (the session's {@link SessionStatements}): preparing
 * one cost about as much as the merge of a small changeset.
 */
final class SessionTransactions {
    private static final String SAVEPOINT = "crsql_op";
    private static final String READ_SAVEPOINT = "crsql_read";

    private final SQLiteConnection conn;
    private final TxState tx;
    private final SessionStatements statements;
    /** What the session forgets when a savepoint's work is undone (caches of what it wrote). */
    private final Runnable undone;

    SessionTransactions(SQLiteConnection conn, TxState tx, SessionStatements statements, Runnable undone) {
        this.conn = conn;
        this.tx = tx;
        this.statements = statements;
        this.undone = undone;
    }

    /**
     * Begins a transaction with {@code BEGIN IMMEDIATE} that the caller ends with {@code COMMIT} or {@code ROLLBACK} on
     * the connection (in auto-commit mode, as the replication agent does); work inside runs in savepoints.
     */
    void beginImmediate() throws SQLException {
        exec("BEGIN IMMEDIATE");
        tx.begunByOwner = true;
    }

    /** Runs {@code work} atomically, outside any running statement. */
    <T> T run(Reentrant.Work<T> work) throws SQLException {
        boolean own = false;
        if (conn.getAutoCommit() && !tx.begunByOwner) {
            try {
                exec("BEGIN IMMEDIATE");
                own = true;
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains("within a transaction")) {
                    throw e;
                }
            }
        }
        if (own) {
            try {
                T result = work.run();
                exec("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly("ROLLBACK", e);
                throw e;
            }
        }
        return inSavepoint(SAVEPOINT, work, undone);
    }

    /** Runs reads in one snapshot: a savepoint (a deferred transaction of its own in auto-commit mode). */
    <T> T read(Reentrant.Work<T> work) throws SQLException {
        return inSavepoint(READ_SAVEPOINT, work, () -> {});
    }

    /** Runs {@code work} in savepoint {@code name}; if it fails, rolls back to it and runs {@code undone}. */
    private <T> T inSavepoint(String name, Reentrant.Work<T> work, Runnable undone) throws SQLException {
        exec("SAVEPOINT " + name);
        try {
            T result = work.run();
            exec("RELEASE " + name);
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly("ROLLBACK TO " + name, e);
            undone.run();
            rollbackQuietly("RELEASE " + name, e);
            throw e;
        }
    }

    private void rollbackQuietly(String sql, Exception cause) {
        try {
            exec(sql);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void exec(String sql) throws SQLException {
        try {
            statements.prepared(sql).execute();
        } catch (SQLException | RuntimeException e) {
            statements.forget(sql, e); // sqlite-jdbc may have finalized it
            throw e;
        }
    }
}
