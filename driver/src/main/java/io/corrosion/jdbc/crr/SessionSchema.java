package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sqlite.SQLiteConnection;

/**
 * A session's schema operations ({@link CrrSession#schema}): what the driver runs around the application's DDL and
 * what {@code crsql_as_crr}, {@code crsql_begin_alter}/{@code crsql_commit_alter} and their kin do. Each runs
 * atomically: in the caller's transaction (a savepoint) if one is open, else in a transaction of its own.
 */
public final class SessionSchema {
    private final CrrSession session;
    private final SQLiteConnection conn;
    private final CrrDdl ddl;

    SessionSchema(CrrSession session, SQLiteConnection conn, CrrDdl ddl) {
        this.session = session;
        this.conn = conn;
        this.ddl = ddl;
    }

    /** Makes {@code table} a CRR under every cr-sqlite restriction ({@code crsql_as_crr}). */
    public void asCrr(String table) throws SQLException {
        asCrr(table, CrrRule.ALL);
    }

    /** Makes {@code table} a CRR, enforcing only the given restrictions. */
    public void asCrr(String table, Set<CrrRule> rules) throws SQLException {
        session.inTransactionDo(() -> ddl.asCrr(table, rules));
    }

    /** Makes one of the driver's own tables a CRR (they are internal, which {@link #asCrr} refuses). */
    public void asInternalCrr(String table) throws SQLException {
        session.inTransactionDo(() -> ddl.asInternalCrr(table));
    }

    /** After {@code ALTER TABLE from RENAME TO to}, between {@link #beginAlter} and instead of {@link #commitAlter}. */
    public boolean renameCrr(String from, String to) throws SQLException {
        boolean[] carried = new boolean[1];
        session.inTransactionDo(() -> carried[0] = ddl.renameCrr(from, to));
        return carried[0];
    }

    /**
     * After {@code ALTER TABLE from RENAME TO to}, in its transaction: the application's triggers whose body UPSERTs
     * into the table tell the UNIQUE checks its new name ({@link AppTriggers}); the triggers of the CRRs among their
     * tables stay in their order ({@link TriggerOrder}).
     */
    public void renamedInTriggers(String from, String to) throws SQLException {
        session.inTransactionDo(() -> {
            for (String table : AppTriggers.renameUpsertTable(conn, from, to)) {
                String crr = session.crrName(table);
                if (crr != null) {
                    TriggerOrder.settle(conn, crr);
                }
            }
        });
    }

    /**
     * Before {@code DROP TABLE} of a CRR, in the transaction: if it is part of a rebuild, the table's clocks are kept
     * for the rename that ends it ({@link #renameCrr}), or go now to the table that replaced it under its old name (a
     * rebuild that renamed it away first). Returns that table, or null.
     */
    public String holdForRebuild(String table) throws SQLException {
        return ddl.holdForRebuild(table);
    }

    /**
     * Enforces {@code index}, a plain index on the CRR {@code table}, as a UNIQUE constraint for local writes (see
     * {@link UniqueChecks}: merges are never refused by it). An index not enforced yet must hold for the rows already
     * there, as SQLite's CREATE UNIQUE INDEX requires; one enforced already (IF NOT EXISTS, run again) is kept as it
     * is, whatever merges brought since.
     */
    public void enforceUnique(String table, String index) throws SQLException {
        session.inTransactionDo(() -> {
            if (!UniqueChecks.enforcedIndexes(conn, table).contains(index.toLowerCase(Locale.ROOT))) {
                UniqueChecks.refuseCollidingRows(conn, table, index);
            }
            UniqueChecks.create(conn, table, index, CrrCatalog.pkColumns(conn, table));
            TriggerOrder.settle(conn, table);
        });
    }

    /** Stops enforcing {@code index} as UNIQUE; call after DROP INDEX. */
    public void dropUnique(String index) throws SQLException {
        session.inTransactionDo(() -> UniqueChecks.drop(conn, index));
    }

    /**
     * Makes a table that existed before the driver opened the file a CRR, under the driver's rules: its unique
     * indexes become checks ({@link #convertUniqueIndexes}) and its rows are back-filled, all in one transaction.
     *
     * @throws CrrSchemaException if it cannot be one (no primary key, a UNIQUE constraint of the table, ...); nothing
     *                            changed then
     */
    public void upgradeToCrr(String table) throws SQLException {
        session.inTransactionDo(() -> ddl.upgradeToCrr(table));
    }

    /** {@code crsql_begin_alter}: call before ALTER TABLE on a CRR. */
    public void beginAlter(String table) throws SQLException {
        session.inTransactionDo(() -> ddl.beginAlter(table));
    }

    /** {@code crsql_commit_alter}: call after ALTER TABLE on a CRR. */
    public void commitAlter(String table) throws SQLException {
        session.inTransactionDo(() -> ddl.commitAlter(table, true));
    }

    /**
     * After the application created a trigger on the CRR {@code table} (the newest trigger): its capture triggers are
     * made again, after it, so that they fire first (SQLite fires a table's newest trigger first; {@link TriggerOrder}).
     * An application trigger that writes the same table (puts back a row its statement deleted, deletes a row just
     * inserted) then writes after the statement's own change was captured, as a statement after it would.
     */
    public void captureBeforeNewestTrigger(String table) throws SQLException {
        session.inTransactionDo(() -> TriggerOrder.settle(conn, table));
    }

    /** Forgets a CRR's metadata; call after DROP TABLE or to stop replicating a table. */
    public void dropCrr(String table) throws SQLException {
        session.inTransactionDo(() -> ddl.dropCrr(table));
    }

    /** Repairs CRRs whose tables were altered or dropped without the engine; returns their names. */
    public List<String> repairSchema() throws SQLException {
        return session.inTransaction(ddl::repairDrift);
    }

    /** Tables of this file that are not CRRs (nor internal): candidates to upgrade with {@link #asCrr}. */
    public List<String> nonCrrTables() throws SQLException {
        return ddl.candidateTables();
    }

    /**
     * Drops version log entries that no clock refers to any more (each local UPDATE transaction adds one; a
     * later write to the same row makes it stale). Run it now and then, e.g. from the replication agent.
     * Returns the number of entries removed; crsql_changes and the db versions are unchanged by it.
     */
    public long compactLog() throws SQLException {
        return session.inTransaction(ddl::compactLog);
    }
}
