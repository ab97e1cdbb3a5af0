package io.corrosion.jdbc.node;

import io.corrosion.jdbc.crr.CrrSession;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * One physical connection of the node: its CRR session and the DDL the driver is wrapping on it. Schema changes to
 * replicated tables run atomically with the engine's work around them — in a transaction of the driver's own when
 * the application is in auto-commit mode, else in a savepoint of the application's transaction — so no other
 * connection ever sees a replicated table without its capture, and a refused CREATE TABLE leaves nothing behind.
 */
final class NodeConnection {
    private static final Logger log = LoggerFactory.getLogger(NodeConnection.class);
    private static final String SAVEPOINT = "corrosion_ddl";

    private enum Scope { NONE, TRANSACTION, SAVEPOINT }

    final SQLiteConnection raw;
    final CrrSession session;
    /** The merges the application makes on this connection, for the commit listeners. */
    final MergeNotices notices;
    /** CRRs whose capture is off for an ALTER TABLE in the current scope. */
    final List<String> altering = new ArrayList<>();
    /** The columns of the CRRs in {@link #altering}, before the ALTER TABLE ran: what it dropped is recorded. */
    final java.util.Map<String, List<String>> columnsBeforeAlter = new java.util.HashMap<>();
    /** Tables CREATE TABLE found already there in the current scope, lower-cased. */
    final java.util.Set<String> preexisting = new java.util.HashSet<>();
    /** Indexes CREATE UNIQUE INDEX (IF NOT EXISTS) found already there in the current scope, lower-cased. */
    final java.util.Set<String> preexistingIndexes = new java.util.HashSet<>();
    /** Foreign keys and CHECK constraints as the statement running an {@code INSERT INTO crsql_changes} found them. */
    MergePragmas merging;
    /** Slots whose claims the running statement merged through {@code crsql_changes}, for the rule at its end. */
    final List<Long> claimsMerged = new ArrayList<>();
    /**
     * A string of the batch about to run is not only reads and writes of rows (BEGIN, DDL, ATTACH, ...): a merge in the
     * batch runs without {@link #beginMerge}. Set before a batch, cleared once it ran or failed.
     */
    boolean batchOwnsTransaction;
    /** {@link #beginMerge} began a transaction that is not ended yet. */
    private boolean mergeBegun;
    private Scope scope = Scope.NONE;
    /** Plans that entered the scope and have not left it (a batch enters once per string). */
    private int plans;

    NodeConnection(SQLiteConnection raw, CrrSession session, MergeNotices notices) {
        this.raw = raw;
        this.session = session;
        this.notices = notices;
    }

    boolean inDdlScope() {
        return scope != Scope.NONE;
    }

    /**
     * Enters the DDL scope, taking the write lock first: a read before it inside the application's transaction could
     * pin an old snapshot, and the statement writes anyway.
     */
    void enterDdl() throws SQLException {
        plans++;
        if (scope != Scope.NONE) {
            return;
        }
        try {
            if (beginImmediate()) {
                scope = Scope.TRANSACTION;
                return;
            }
        } catch (SQLException e) {
            plans--;
            throw e;
        }
        exec("DELETE FROM crsql_master WHERE 0"); // a write that writes nothing: takes the write lock
        exec("SAVEPOINT " + SAVEPOINT);
        scope = Scope.SAVEPOINT;
    }

    /** One plan left the scope; the last one ends it, keeping ({@code success}) or undoing its work. */
    void leaveDdl(boolean success) throws SQLException {
        if (scope == Scope.NONE) {
            return;
        }
        if (success && --plans > 0) {
            return;
        }
        Scope ending = scope;
        scope = Scope.NONE;
        plans = 0;
        altering.clear();
        columnsBeforeAlter.clear();
        preexisting.clear();
        preexistingIndexes.clear();
        if (ending == Scope.TRANSACTION) {
            commitOrUndo(success);
        } else if (success) {
            exec("RELEASE " + SAVEPOINT);
        } else {
            exec("ROLLBACK TO " + SAVEPOINT);
            exec("RELEASE " + SAVEPOINT);
            // The engine's work in the savepoint is undone, a journal flush among it: its watermark must not be
            // claimed at commit. Forgotten after the rollback, so what it records (the taken db version) stays.
            session.forgetTransactionCaches();
        }
    }

    /**
     * Ends the transaction the scope began in auto-commit mode. A COMMIT that fails leaves SQLite's transaction open:
     * a deferred foreign key the statement broke (a DROP TABLE's implicit DELETE of rows another table refers to) is
     * checked only then, where SQLite alone would have failed the statement itself. So the transaction is rolled back,
     * and the statement fails with the COMMIT's error, its work undone, as in SQLite.
     */
    private void commitOrUndo(boolean success) throws SQLException {
        if (!success) {
            exec("ROLLBACK");
            return;
        }
        try {
            exec("COMMIT");
        } catch (SQLException e) {
            try {
                exec("ROLLBACK");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            session.forgetTransactionCaches(); // the engine's work in it is undone, a journal flush among it
            throw e;
        }
    }

    /**
     * In auto-commit mode, begins the transaction that an application's statement merging rows through
     * {@code crsql_changes} runs in, so that the slot conflict rule for the claims it merged commits with them
     * ({@link #commitMerge}): with a commit of their own, a crash between the two left a claim without its rule, and a
     * rule that failed left the statement's rows committed although it threw. Joins a transaction SQL began.
     */
    void beginMerge() throws SQLException {
        if (!mergeBegun) {
            mergeBegun = beginImmediate();
        }
    }

    /**
     * Commits the transaction {@link #beginMerge} began, if it did. One that SQLite ended itself (a trigger's
     * {@code RAISE(ROLLBACK)}, a full disk failed the statement) is over: nothing to commit.
     */
    void commitMerge() throws SQLException {
        if (!mergeBegun) {
            return;
        }
        try {
            exec("COMMIT");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                throw e; // still open: rollbackMerge ends it
            }
        }
        mergeBegun = false;
    }

    /**
     * Rolls back the transaction {@link #beginMerge} began, if it did: nothing of the statement stays. False if it began
     * none (the application's transaction is left to the application).
     */
    boolean rollbackMerge(Exception cause) {
        if (!mergeBegun) {
            return false;
        }
        mergeBegun = false;
        try {
            exec("ROLLBACK");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
        // the engine's work in it is undone; forgotten after the rollback, so what it records (the taken db version) stays
        session.forgetTransactionCaches();
        return true;
    }

    /**
     * {@code BEGIN IMMEDIATE} in auto-commit mode: true if it began a transaction, false if one is open already (the
     * application ran BEGIN itself, or is not in auto-commit mode) and the caller joins it.
     */
    private boolean beginImmediate() throws SQLException {
        if (!raw.getAutoCommit()) {
            return false;
        }
        try {
            exec("BEGIN IMMEDIATE");
            return true;
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("within a transaction")) {
                throw e;
            }
            return false;
        }
    }

    /** Undoes the scope after a failure; logs instead of throwing (the application sees the original failure). */
    void abandonDdl() {
        try {
            leaveDdl(false);
        } catch (SQLException e) {
            log.error("Could not undo the driver's work around a failed schema change; roll the transaction back", e);
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }
}
